package dev.ausb.lab;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * What the fault campaign shares: its scale (1 in CI; {@code -Dausb.campaign.scale=N} for the long
 * run), the report it writes for docs/RELIABILITY.md, and the process measurements (RSS, NMT,
 * threads) it checks for growth.
 */
final class Campaign {
    private Campaign() {}

    /** 1 in CI; bin/campaign passes a larger one. */
    static final double SCALE = Double.parseDouble(System.getProperty("ausb.campaign.scale", "1"));

    /** The report: one line per campaign test, in the run's work directory (the host prints it). */
    static final Path REPORT = Path.of("/tmp/campaign-report.txt");

    static int scaled(int n) {
        return (int) Math.max(1, Math.round(n * SCALE));
    }

    /** Appends "test: key=value ..." to the report. */
    static synchronized void report(String test, Map<String, ?> figures) {
        StringBuilder b = new StringBuilder(test).append(':');
        figures.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        b.append('\n');
        try {
            Files.writeString(REPORT, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.print("campaign " + b);
    }

    static Map<String, Object> figures() {
        return new LinkedHashMap<>();
    }

    /** A sample of the process: resident memory, NMT's malloc'd and total committed memory, threads. */
    record Sample(long rssKb, long nmtMallocKb, long nmtCommittedKb, long nmtOtherKb, int threads) {
        @Override
        public String toString() {
            return "rss=" + rssKb + "KB nmt.malloc=" + nmtMallocKb + "KB nmt.committed=" + nmtCommittedKb
                    + "KB nmt.other=" + nmtOtherKb + "KB threads=" + threads;
        }
    }

    private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern MALLOC = Pattern.compile("malloc: (\\d+)KB");
    private static final Pattern OTHER = Pattern.compile("-\\s+Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    static Sample sample() {
        System.gc();
        String nmt = nmtSummary();
        long committed = group(TOTAL, nmt, 2);
        long malloc = group(MALLOC, nmt, 1);
        long other = group(OTHER, nmt, 2);
        return new Sample(rssKb(), malloc, committed, other, Thread.activeCount());
    }

    private static long group(Pattern p, String text, int g) {
        Matcher m = p.matcher(text);
        return m.find() ? Long.parseLong(m.group(g)) : -1;
    }

    static String nmtSummary() {
        try {
            Object r = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            return String.valueOf(r);
        } catch (Exception e) {
            return "";
        }
    }

    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException ignored) {
            // not on Linux
        }
        return -1;
    }
}
