package dev.ausb.bench;

/**
 * The lab throughput run of one implementation: {@code LabBench IMPL SS_IN SS_OUT LB_OUT LB_IN POINT...}
 * where IMPL is ausb, ausb-et (completions on the event thread), javadoesusb or usb4java, the endpoints are hex addresses, and each POINT is
 * {@code in:SIZE:COUNT}, {@code out:SIZE:COUNT} or {@code rtt:SIZE}. Prints one RESULT line per point
 * in the C reference's format; {@code -Dbench.seconds} sets the measured window (default 1.5).
 * ausb-bench/lab/bench-inside runs it, interleaved with the C reference, inside the lab.
 */
public final class LabBench {
    static final int VID = 0x1a0a;
    static final int SOURCESINK = 0xbadd;
    static final int LOOPBACK = 0x100b;

    /** Endpoint addresses of the two gadgets. */
    record Endpoints(int ssIn, int ssOut, int lbOut, int lbIn) {}

    private LabBench() {}

    /** Runs one point ({@code in:SIZE:COUNT}, {@code out:SIZE:COUNT} or {@code rtt:SIZE}); returns its RESULT fields. */
    private static String measure(Impl impl, String point, double seconds) throws Exception {
        String[] p = point.split(":");
        int size = Integer.parseInt(p[1]);
        return switch (p[0]) {
            case "in" -> impl.streamIn(size, Integer.parseInt(p[2]), seconds);
            case "out" -> impl.streamOut(size, Integer.parseInt(p[2]), seconds);
            case "rtt" -> impl.roundTrips(size, seconds);
            default -> throw new IllegalArgumentException("unknown point " + point);
        };
    }

    /** Runs every point once for {@code seconds}, discarding results; a failing point is reported when measured. */
    private static void warmUp(Impl impl, String[] args, double seconds) {
        for (int i = 5; i < args.length; i++) {
            try {
                measure(impl, args[i], seconds);
            } catch (Exception e) {
                // measured (and reported) afterwards
            }
        }
    }

    /**
     * JIT warm-up: runs {@code round} once, then again until the JIT compiler is quiet (at most
     * {@code -Dbench.settle} seconds, default 20). In the emulated guest C2 takes seconds, and CPU it
     * spends compiling during a measured window is counted against the implementation being measured.
     * Does nothing if {@code warmup} is not positive.
     */
    static void warmUpUntilQuiet(String name, double warmup, Runnable round) {
        warmUpUntilQuiet(name, warmup, round, 0, Double.parseDouble(System.getProperty("bench.settle", "20")));
    }

    /**
     * Runs {@code round} until the JIT is quiet: a round during which the JIT compiled for at most
     * {@code quietFraction} of the round's time (0: not at all), or {@code settleSeconds} passed.
     */
    static void warmUpUntilQuiet(String name, double warmup, Runnable round, double quietFraction, double settleSeconds) {
        if (warmup <= 0) {
            return;
        }
        round.run();
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long settleBy = start + (long) (settleSeconds * 1e9);
        long before = -1;
        long roundStart = System.nanoTime();
        boolean quiet = false;
        int rounds = 0;
        while (System.nanoTime() < settleBy) {
            long now = jit.getTotalCompilationTime();
            long roundMs = (System.nanoTime() - roundStart) / 1_000_000;
            if (before >= 0 && now - before <= quietFraction * roundMs) {
                quiet = true;
                break;
            }
            before = now;
            roundStart = System.nanoTime();
            round.run();
            rounds++;
        }
        System.err.printf("bench: %s warmed up %d extra rounds in %.1f s, JIT %s%n", name, rounds,
                (System.nanoTime() - start) / 1e9, quiet ? "quiet" : "still compiling");
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        Endpoints ep = new Endpoints(Integer.decode(args[1]), Integer.decode(args[2]),
                Integer.decode(args[3]), Integer.decode(args[4]));
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "1.5"));
        try (Impl impl = switch (name) {
            case "ausb" -> new AusbImpl(ep, false);
            case "ausb-et" -> new AusbImpl(ep, true);
            case "javadoesusb" -> new JavaDoesUsbImpl(ep);
            case "usb4java" -> new Usb4JavaImpl(ep);
            default -> throw new IllegalArgumentException("unknown implementation " + name);
        }) {
            double warmup = Double.parseDouble(System.getProperty("bench.warmup", "0.5"));
            warmUpUntilQuiet(name, warmup, () -> warmUp(impl, args, warmup));
            for (int i = 5; i < args.length; i++) {
                String[] p = args[i].split(":");
                String result;
                try {
                    result = measure(impl, args[i], seconds);
                } catch (Exception e) {
                    System.err.println("FAILED " + name + " " + args[i] + ": " + e);
                    continue;
                }
                System.out.printf("RESULT %s %s %d %s %s%n", name, p[0], Integer.parseInt(p[1]), p.length > 2 ? p[2] : "1", result);
                System.out.flush();
            }
        }
    }
}
