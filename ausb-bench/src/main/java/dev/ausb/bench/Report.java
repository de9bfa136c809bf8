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
import java.util.TreeMap;

/**
 * Turns the RESULT lines of a lab benchmark run into docs/PERFORMANCE.md: the median of each
 * implementation at each point, ausb's ratio to each other, and whether the targets were met.
 * Usage: Report RESULTS OUTPUT.md COMMAND
 */
public final class Report {
    private Report() {}

    private static final List<String> IMPLS = List.of("c", "ausb", "ausb-et", "javadoesusb", "usb4java");
    private static final Map<String, String> NAMES = Map.of("c", "C libusb", "ausb", "ausb", "ausb-et",
            "ausb (event thread)", "javadoesusb", "JavaDoesUSB", "usb4java", "usb4java");

    record Sample(double mbps, double tps, double cpuMsPerMb, double allocPerTransfer) {}

    public static void main(String[] args) throws IOException {
        Map<String, Map<String, List<Sample>>> byPoint = new LinkedHashMap<>(); // point -> impl -> samples
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 9 || !f[0].equals("RESULT")) {
                continue;
            }
            String point = f[2] + " " + f[3] + (f[2].equals("rtt") ? "" : " x" + f[4]);
            Map<String, Double> kv = new TreeMap<>();
            for (int i = 5; i < f.length; i++) {
                String[] p = f[i].split("=");
                kv.put(p[0], Double.parseDouble(p[1]));
            }
            byPoint.computeIfAbsent(point, k -> new LinkedHashMap<>()).computeIfAbsent(f[1], k -> new ArrayList<>())
                    .add(new Sample(kv.get("MBps"), kv.get("tps"), kv.get("cpu_ms_per_MB"), kv.get("alloc_per_transfer")));
        }
        StringBuilder md = new StringBuilder();
        md.append("# Performance\n\n");
        md.append("Measured by `").append(args.length > 2 ? args[2] : "bin/bench").append("` on ").append(LocalDate.now())
                .append(", inside the USB lab (QEMU TCG guest, Debian kernel 6.1, dummy_hcd at high speed, SourceSink ")
                .append("and Loopback gadgets) on this project's build machine: ")
                .append(Runtime.getRuntime().availableProcessors()).append(" guest CPUs, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(". Every implementation runs the same points in the same guest, in rounds whose order rotates; ")
                .append("each cell is the median of the rounds. Absolute numbers are those of an emulated machine; ")
                .append("the ratios are the result.\n\n");
        md.append("Streaming points are MB/s (10^6 bytes) of bulk IN from or OUT to SourceSink with N transfers of ")
                .append("the given size in flight; `rtt` points are round trips per second through Loopback (write, ")
                .append("then read back) with one transfer in flight, through ausb's plain future API. JavaDoesUSB ")
                .append("keeps its own fixed number of transfers in flight, so its row is the same configuration at every N.\n\n");
        md.append("| point | C libusb | ausb | ausb/C | ausb (event thread) | ausb-et/C | JavaDoesUSB | usb4java "
                + "| best ausb / JDU | best ausb / usb4java | ausb bytes allocated per transfer | CPU ms per MB: C / ausb / ausb-et |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        List<String> misses = new ArrayList<>();
        for (var e : byPoint.entrySet()) {
            String point = e.getKey();
            boolean rtt = point.startsWith("rtt");
            Map<String, Double> med = new LinkedHashMap<>();
            for (String impl : IMPLS) {
                List<Sample> s = e.getValue().getOrDefault(impl, List.of());
                if (!s.isEmpty()) {
                    med.put(impl, median(s.stream().mapToDouble(x -> rtt ? x.tps() : x.mbps()).toArray()));
                }
            }
            Double c = med.get("c");
            Double a = med.get("ausb");
            Double et = med.get("ausb-et");
            Double best = a == null ? et : et == null ? a : Math.max(a, et);
            String bestName = best == null ? "" : best.equals(a) ? "ausb" : "ausb (event thread)";
            md.append("| ").append(point).append(rtt ? " (trips/s)" : " (MB/s)")
                    .append(" | ").append(cell(c)).append(" | ").append(cell(a)).append(" | ").append(ratio(a, c))
                    .append(" | ").append(cell(et)).append(" | ").append(ratio(et, c))
                    .append(" | ").append(cell(med.get("javadoesusb"))).append(" | ").append(cell(med.get("usb4java")))
                    .append(" | ").append(ratio(best, med.get("javadoesusb"))).append(" | ").append(ratio(best, med.get("usb4java")));
            md.append(" | ").append(cell(medianOf(e.getValue().get("ausb"), Sample::allocPerTransfer)));
            md.append(" | ").append(cell(medianOf(e.getValue().get("c"), Sample::cpuMsPerMb))).append(" / ")
                    .append(cell(medianOf(e.getValue().get("ausb"), Sample::cpuMsPerMb))).append(" / ")
                    .append(cell(medianOf(e.getValue().get("ausb-et"), Sample::cpuMsPerMb))).append(" |\n");
            double target = rtt ? 0.85 : 0.95;
            if (best != null && c != null && best < target * c) {
                misses.add(String.format(Locale.ROOT, "%s: %s reaches %.2f x C, target %.2f", point, bestName, best / c,
                        target));
            }
            for (String other : List.of("javadoesusb", "usb4java")) {
                Double o = med.get(other);
                if (best != null && o != null && best < o) {
                    misses.add(String.format(Locale.ROOT, "%s: behind %s (%.2f x)", point, NAMES.get(other), best / o));
                }
            }
        }
        md.append("\n## Targets\n\n");
        md.append("Streaming at least 0.95 x C at every point, round trips at least 0.85 x C, zero bytes allocated per ")
                .append("streaming transfer, ahead of JavaDoesUSB and usb4java at every point.\n\n");
        if (misses.isEmpty()) {
            md.append("All met in this run.\n");
        } else {
            md.append("Missed in this run:\n\n");
            misses.forEach(m -> md.append("- ").append(m).append('\n'));
        }
        md.append("\n## Reproduce\n\n```sh\nbin/bench                           # 3 rounds, 1.5 s windows (about 25 minutes)\n")
                .append("BENCH_REPS=5 BENCH_SECONDS=3 bin/bench  # steadier\nBENCH_POINTS=\"rtt:64 out:16384:1\" BENCH_IMPLS=\"c ausb\" bin/bench  # a subset, table in ausb-bench/target/\nbin/profile ausb rtt:64             # one point under JFR: hot methods, CPU per thread\n```\n\n")
                .append("The raw RESULT lines of the run are in `ausb-bench/target/results.txt`; the C reference is ")
                .append("`ausb-bench/c/usbbench.c`, the Java side `ausb-bench/src/main/java/dev/ausb/bench/`.\n");
        Files.createDirectories(Path.of(args[1]).toAbsolutePath().getParent());
        String existing = Files.exists(Path.of(args[1])) ? Files.readString(Path.of(args[1])) : "";
        int notes = existing.indexOf("\n## Notes");
        Files.writeString(Path.of(args[1]), md + (notes >= 0 ? existing.substring(notes) : ""));
    }

    private static Double medianOf(List<Sample> s, java.util.function.ToDoubleFunction<Sample> f) {
        return s == null || s.isEmpty() ? null : median(s.stream().mapToDouble(f).toArray());
    }

    static String cell(Double v) {
        return v == null ? "—" : fmt(v);
    }

    static String ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? "—" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
