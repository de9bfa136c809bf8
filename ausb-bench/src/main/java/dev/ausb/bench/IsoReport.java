package dev.ausb.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the RESULT lines of an isochronous run (bin/bench-iso) into the "Isochronous" section of
 * docs/PERFORMANCE.md (the rest of the file is kept): per point, the median over the rounds of each
 * implementation's MB/s, packets/s and CPU per MB, and ausb's ratios to C libusb.
 * {@code IsoReport RESULTS OUT HOW REV DEVICE}.
 */
public final class IsoReport {
    static final String HEADING = "## Isochronous";

    private IsoReport() {}

    /** One RESULT line: {@code RESULT impl iso-dir NxPxL MBps=.. pps=.. bad=.. cpu_ms_per_MB=.. ...}. */
    record Sample(String impl, String point, double mbps, double pps, double bad, double cpu) {
        static Sample parse(String line) {
            String[] f = line.trim().split("\\s+");
            Map<String, Double> kv = new LinkedHashMap<>();
            for (int i = 4; i < f.length; i++) {
                String[] e = f[i].split("=", 2);
                if (e.length == 2) {
                    kv.put(e[0], Double.parseDouble(e[1]));
                }
            }
            return new Sample(f[1], f[2] + " " + f[3], kv.getOrDefault("MBps", 0.0), kv.getOrDefault("pps", 0.0),
                    kv.getOrDefault("bad", 0.0), kv.getOrDefault("cpu_ms_per_MB", 0.0));
        }
    }

    public static void main(String[] args) throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.startsWith("RESULT ")) {
                samples.add(Sample.parse(line));
            }
        }
        Map<String, Map<String, List<Sample>>> byPoint = new TreeMap<>();
        for (Sample s : samples) {
            byPoint.computeIfAbsent(s.point(), k -> new TreeMap<>()).computeIfAbsent(s.impl(), k -> new ArrayList<>()).add(s);
        }
        String[] impls = {"c", "ausb", "ausb-et"};
        StringBuilder md = new StringBuilder(HEADING).append("\n\n");
        md.append("Measured by `").append(args[2]).append("` on ").append(java.time.LocalDate.now()).append(", ausb at ")
                .append(args[3]).append(", inside the USB lab against ").append(args[4]).append(". C libusb (`ausb-bench/c/isobench.c`) ")
                .append("and ausb's isochronous stream (`dev.ausb.bench.IsoBench`; `ausb-et`: completions on the event thread) ")
                .append("read from and write to the same device in the same boot, in rounds whose order rotates; each cell is the median ")
                .append("over the rounds, each round a window after a warm-up. A point is `in` or `out`, N transfers x packets x bytes.\n\n");
        md.append("| point | C MB/s | ausb MB/s | ausb/C | ausb-et MB/s | ausb-et/C | C packets/s | ausb packets/s | failed packets "
                + "C / ausb / ausb-et | CPU ms per MB: C / ausb / ausb-et | rounds |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var e : byPoint.entrySet()) {
            Map<String, List<Sample>> m = e.getValue();
            Double c = med(m.get("c"), Sample::mbps);
            Double a = med(m.get("ausb"), Sample::mbps);
            Double et = med(m.get("ausb-et"), Sample::mbps);
            md.append("| ").append(e.getKey()).append(" | ").append(Report.cell(c)).append(" | ").append(Report.cell(a)).append(" | ")
                    .append(Report.ratio(a, c)).append(" | ").append(Report.cell(et)).append(" | ").append(Report.ratio(et, c)).append(" | ")
                    .append(Report.cell(med(m.get("c"), Sample::pps))).append(" | ").append(Report.cell(med(m.get("ausb"), Sample::pps)))
                    .append(" | ");
            List<String> bad = new ArrayList<>();
            List<String> cpu = new ArrayList<>();
            int rounds = Integer.MAX_VALUE;
            for (String impl : impls) {
                bad.add(Report.cell(sum(m.get(impl), Sample::bad)));
                cpu.add(Report.cell(med(m.get(impl), Sample::cpu)));
                List<Sample> got = m.get(impl);
                if (got != null && !got.isEmpty()) { // ausb-et runs IN points only
                    rounds = Math.min(rounds, got.size());
                }
            }
            md.append(String.join(" / ", bad)).append(" | ").append(String.join(" / ", cpu)).append(" | ").append(rounds == Integer.MAX_VALUE ? 0 : rounds)
                    .append(" |\n");
        }
        md.append("\n```sh\nbin/bench-iso                      # 5 rounds of 3 s windows\n"
                + "ISO_REPS=9 ISO_SECONDS=5 bin/bench-iso   # steadier\n```\n\n"
                + "The raw RESULT lines of the run are in `ausb-bench/target/iso-results.txt`.\n");
        CancelReport.writeSection(Path.of(args[1]), HEADING, md.toString());
    }

    private static Double med(List<Sample> s, java.util.function.ToDoubleFunction<Sample> f) {
        return s == null || s.isEmpty() ? null : Report.median(s.stream().mapToDouble(f).toArray());
    }

    private static Double sum(List<Sample> s, java.util.function.ToDoubleFunction<Sample> f) {
        return s == null || s.isEmpty() ? null : s.stream().mapToDouble(f).sum();
    }

}
