package dev.ausb.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns the CANCEL lines of a cancel-latency run (bin/bench-cancel) into the "Cancel latency" section
 * of docs/PERFORMANCE.md: per point, the median over the rounds of each round's median and 99th
 * percentile, for C libusb and ausb, their ratios, and whether the targets were met. Replaces that
 * section (up to the next "## " heading, so a hand-written "## Cancel latency notes" after it stays)
 * if the file has one, else appends it at the end (after "## Notes", which {@link Report} keeps when
 * it rewrites the throughput part, so both survive each other).
 * Usage: CancelReport RESULTS OUTPUT.md COMMAND [AUSB_REVISION]
 */
public final class CancelReport {
    static final String HEADING = "## Cancel latency";
    private static final double MEDIAN_RATIO_TARGET = 2.0;
    private static final double P99_TARGET_US = 20_000;
    private static final Map<String, String> POINTS = Map.of(
            "hid-dummy", "HID gadget interrupt IN, dummy_hcd",
            "kbd-xhci", "QEMU usb-kbd interrupt IN, qemu-xhci",
            "bulk-dummy", "Loopback bulk IN, dummy_hcd");
    private static final Map<String, String> JAVA = Map.of("ausb", "ausb", "ausb-vt", "ausb (virtual threads)");

    private CancelReport() {}

    /** One round of one implementation at one point. */
    record Round(long tried, long cancelled, long other, long stuck, double cps, double median, double p90, double p99,
            double max) {}

    public static void main(String[] args) throws IOException {
        Map<String, Map<String, List<Round>>> byPoint = new LinkedHashMap<>(); // "name threads" -> impl -> rounds
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || !f[0].equals("CANCEL")) {
                continue;
            }
            Map<String, Double> kv = new LinkedHashMap<>();
            for (int i = 4; i < f.length; i++) {
                String[] p = f[i].split("=");
                kv.put(p[0], Double.parseDouble(p[1]));
            }
            byPoint.computeIfAbsent(f[2] + " " + f[3], k -> new LinkedHashMap<>())
                    .computeIfAbsent(f[1], k -> new ArrayList<>())
                    .add(new Round(kv.get("n").longValue(), kv.get("cancelled").longValue(), kv.get("other").longValue(),
                            kv.get("stuck").longValue(), kv.get("cps"), kv.get("median_us"), kv.get("p90_us"),
                            kv.get("p99_us"), kv.get("max_us")));
        }
        StringBuilder md = new StringBuilder();
        md.append(HEADING).append("\n\n");
        md.append("Measured by `").append(args.length > 2 ? args[2] : "bin/bench-cancel").append("` on ")
                .append(LocalDate.now()).append(args.length > 3 ? " with ausb at " + args[3] : "")
                .append(", in the USB lab booted with `--zoo` (")
                .append(Runtime.getRuntime().availableProcessors()).append(" guest CPUs, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append("): C libusb (`ausb-bench/c/cancelbench.c`) and ausb (`dev.ausb.bench.CancelBench`) in the ")
                .append("same guest, in rounds whose order alternates. Each cancel: submit one read on an IN endpoint ")
                .append("that has nothing to send, wait 1.5 ms so it is in the kernel, then time from the cancel ")
                .append("(`libusb_cancel_transfer`; `f.cancel(true)`) until the waiting thread sees the transfer ")
                .append("reaped with status CANCELLED (the callback, with an event thread handling events; ")
                .append("`f.reaped().get()`). One thread: a fixed number of cancels per round; several threads: ")
                .append("each loops read-then-cancel on the same endpoint for a fixed time. Latencies are ")
                .append("microseconds; each cell is the median over the rounds of that round's median or 99th ")
                .append("percentile (nearest rank); \"worst p99\" and \"max\" are over all rounds. The kernel driver ")
                .append("(usbhid) is detached first. Points: the interrupt IN of a configfs HID gadget (usb_f_hid, ")
                .append("sends only when /dev/hidg0 is written) and the bulk IN of a Loopback gadget with nothing ")
                .append("written, both on dummy_hcd at high speed; the interrupt IN of QEMU's usb-kbd (full speed, ")
                .append("behind QEMU's usb-hub) on qemu-xhci.\n\n");
        md.append("| point | threads | ausb | cancels per round: C / ausb | median C (µs) | median ausb (µs) | ausb/C "
                + "| p99 C (µs) | p99 ausb (µs) | ausb/C | worst p99 ausb (µs) | max C / ausb (µs) | cancels/s C / ausb | target |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        List<String> misses = new ArrayList<>();
        for (var e : byPoint.entrySet()) {
            String[] key = e.getKey().split(" ");
            String point = POINTS.getOrDefault(key[0], key[0]);
            List<Round> c = e.getValue().getOrDefault("c", List.of());
            for (String impl : List.of("ausb", "ausb-vt")) {
                List<Round> a = e.getValue().get(impl);
                if (a == null) {
                    continue;
                }
                // latencies from the rounds that reaped at least one cancelled transfer
                List<Round> cl = c.stream().filter(r -> r.cancelled() > 0).toList();
                List<Round> al = a.stream().filter(r -> r.cancelled() > 0).toList();
                Double cMed = med(cl, Round::median);
                Double aMed = med(al, Round::median);
                Double cP99 = med(cl, Round::p99);
                Double aP99 = med(al, Round::p99);
                double worst = al.stream().mapToDouble(Round::p99).max().orElse(Double.NaN);
                long stuck = a.stream().mapToLong(Round::stuck).sum();
                long other = a.stream().mapToLong(Round::other).sum() + c.stream().mapToLong(Round::other).sum();
                long cStuck = c.stream().mapToLong(Round::stuck).sum();
                List<String> why = new ArrayList<>();
                if (cMed != null && aMed != null && aMed > MEDIAN_RATIO_TARGET * cMed) {
                    why.add(String.format(Locale.ROOT, "median %.1f x C", aMed / cMed));
                }
                if (aP99 != null && aP99 >= P99_TARGET_US) {
                    why.add(String.format(Locale.ROOT, "p99 %.1f ms", aP99 / 1000));
                }
                long roundsOver = al.stream().filter(r -> r.p99() >= P99_TARGET_US).count();
                if (stuck > 0) {
                    why.add(stuck + " not reaped within 5 s");
                }
                if (al.isEmpty()) {
                    why.add("no cancel reaped as CANCELLED");
                }
                String status = why.isEmpty() ? "met" : "missed: " + String.join(", ", why);
                if (roundsOver > 0) {
                    status += String.format(Locale.ROOT, " (p99 over 20 ms in %d of %d rounds, worst %.1f ms)", roundsOver,
                            al.size(), worst / 1000);
                }
                if (other > 0 || cStuck > 0) {
                    status += " (" + (other > 0 ? other + " reads reaped other than CANCELLED; the bench's stderr names their status" : "")
                            + (other > 0 && cStuck > 0 ? ", " : "") + (cStuck > 0 ? "C: " + cStuck + " stuck" : "") + ")";
                }
                if (!why.isEmpty()) {
                    misses.add(point + ", " + key[1] + (key[1].equals("1") ? " thread" : " threads") + ", "
                            + JAVA.get(impl) + ": " + String.join(", ", why));
                }
                md.append("| ").append(point).append(" | ").append(key[1]).append(" | ").append(JAVA.get(impl))
                        .append(" | ").append(range(c, Round::cancelled)).append(" / ").append(range(a, Round::cancelled))
                        .append(" | ").append(us(cMed)).append(" | ").append(us(aMed)).append(" | ").append(ratio(aMed, cMed))
                        .append(" | ").append(us(cP99)).append(" | ").append(us(aP99)).append(" | ").append(ratio(aP99, cP99))
                        .append(" | ").append(us(worst))
                        .append(" | ").append(us(max(cl))).append(" / ").append(us(max(al)))
                        .append(" | ").append(num(med(c, Round::cps))).append(" / ").append(num(med(a, Round::cps)))
                        .append(" | ").append(status).append(" |\n");
            }
        }
        md.append("\nTargets: ausb's median at most ").append(fmt(MEDIAN_RATIO_TARGET)).append(" x C libusb's and its 99th ")
                .append("percentile under 20 ms at every point, on both controllers, each judged as its cell shows it: ")
                .append("the median over the rounds (a round whose own p99 passed 20 ms is named in the last column).");
        if (misses.isEmpty()) {
            md.append(" All met in this run.\n");
        } else {
            md.append(" Missed in this run:\n\n");
            misses.forEach(m -> md.append("- ").append(m).append('\n'));
        }
        md.append("\n```sh\nbin/bench-cancel                                  # 3 rounds: 300 cancels per point "
                + "single-thread, 3 s with 4 threads\nCANCEL_REPS=5 CANCEL_COUNT=1000 bin/bench-cancel   # steadier\n"
                + "CANCEL_POINTS=\"kbd-xhci\" CANCEL_IMPLS=\"c ausb ausb-vt\" bin/bench-cancel  # a subset, table in "
                + "ausb-bench/target/\n```\n\n")
                .append("The raw CANCEL lines of the run are in `ausb-bench/target/cancel-results.txt`.\n");
        writeSection(Path.of(args[1]), HEADING, md.toString());
    }

    /**
     * Replaces the section that starts with {@code heading} (up to the next "## " heading) in
     * {@code out} with {@code md}, or appends it; the rest of the file is kept.
     */
    static void writeSection(Path out, String heading, String md) throws java.io.IOException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        String existing = Files.exists(out) ? Files.readString(out) : "";
        int at = existing.startsWith(heading + "\n") ? 0 : existing.indexOf("\n" + heading + "\n");
        String result;
        if (at < 0) {
            result = existing + (existing.isEmpty() || existing.endsWith("\n\n") ? "" : existing.endsWith("\n") ? "\n" : "\n\n") + md;
        } else {
            int start = at == 0 ? 0 : at + 1;
            int next = existing.indexOf("\n## ", start + heading.length());
            result = existing.substring(0, start) + md + (next < 0 ? "" : "\n" + existing.substring(next + 1));
        }
        Files.writeString(out, result);
    }

    private static Double med(List<Round> rounds, ToDoubleFunction<Round> f) {
        return rounds.isEmpty() ? null : Report.median(rounds.stream().mapToDouble(f).toArray());
    }

    private static Double max(List<Round> rounds) {
        return rounds.isEmpty() ? null : rounds.stream().mapToDouble(Round::max).max().getAsDouble();
    }

    private static String range(List<Round> rounds, ToDoubleFunction<Round> f) {
        if (rounds.isEmpty()) {
            return "—";
        }
        long lo = (long) rounds.stream().mapToDouble(f).min().getAsDouble();
        long hi = (long) rounds.stream().mapToDouble(f).max().getAsDouble();
        return lo == hi ? String.valueOf(lo) : lo + "–" + hi;
    }

    private static String us(Double v) {
        return v == null || v.isNaN() ? "—" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String num(Double v) {
        return v == null ? "—" : fmt(v);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? "—" : String.format(Locale.ROOT, "%.1f", a / b);
    }
}
