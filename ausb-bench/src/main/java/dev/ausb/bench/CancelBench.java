package dev.ausb.bench;

import dev.ausb.UsbContext;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The cancel-latency run of ausb, beside ausb-bench/c/cancelbench.c (the C libusb reference, same
 * work, same output): {@code CancelBench IMPL POINT...} where IMPL is {@code ausb} (workers on platform
 * threads) or {@code ausb-vt} (on virtual threads) and each POINT is
 * {@code NAME:BUS:ADDR:IFACE:EP:LEN:THREADS} (EP in hex) naming an IN endpoint with nothing to send.
 *
 * <p>Each worker repeats: {@code f = in.read(LEN)}, wait {@code -Dcancel.delayUs} (default 1500) so
 * the transfer is surely in the kernel, t0, {@code f.cancel(true)}, {@code f.reaped().get(5 s)}, t1.
 * With THREADS 1 a point measures {@code -Dcancel.count} cancels (default 300, after 20 discarded);
 * with more, that many workers cancel on the same endpoint for {@code -Dcancel.seconds} (default 3).
 * The JVM first warms up every point until the JIT is quiet (as {@link LabBench} does). Prints one
 * line per point, in cancelbench.c's format:
 * {@code CANCEL IMPL NAME THREADS n=.. cancelled=.. other=.. stuck=.. secs=.. cps=.. median_us=.. p90_us=.. p99_us=.. max_us=..}
 * (see cancelbench.c for the fields).
 */
public final class CancelBench {
    private static final int DISCARDED = 20;

    record Point(String name, int bus, int address, int iface, int endpoint, int length, int threads) {
        static Point parse(String s) {
            String[] f = s.split(":");
            return new Point(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                    Integer.parseInt(f[4], 16), Integer.parseInt(f[5]), Integer.parseInt(f[6]));
        }
    }

    /** One worker's counts and latencies (microseconds). */
    static final class Tally {
        long tried;
        long other;
        long stuck;
        double[] latency = new double[1024];
        int n;
        final Map<UsbTransferResult.Status, Integer> others = new EnumMap<>(UsbTransferResult.Status.class);
        /** The reaped() of a transfer not reaped within 5 s of its cancel, and when it was cancelled. */
        java.util.concurrent.CompletableFuture<UsbTransferResult> stuckReaped;
        long stuckSince;

        void add(double us) {
            if (n == latency.length) {
                latency = Arrays.copyOf(latency, n * 2);
            }
            latency[n++] = us;
        }
    }

    private CancelBench() {}

    private static void waitNanos(long nanos) {
        long until = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** One read-wait-cancel-reap cycle; false if the transfer was not reaped within 5 s. */
    private static boolean cycle(UsbInEndpoint in, int length, long delayNanos, Tally t)
            throws InterruptedException, ExecutionException {
        UsbTransferFuture<byte[]> f = in.read(length);
        waitNanos(delayNanos);
        long t0 = System.nanoTime();
        f.cancel(true);
        UsbTransferResult r;
        try {
            r = f.reaped().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            t.stuck++;
            t.stuckReaped = f.reaped();
            t.stuckSince = t0;
            return false;
        }
        long t1 = System.nanoTime();
        if (r.status() == UsbTransferResult.Status.CANCELLED) {
            t.add((t1 - t0) / 1e3);
        } else {
            t.other++;
            t.others.merge(r.status(), 1, Integer::sum);
        }
        return true;
    }

    /**
     * Measures one point: with {@code count > 0}, that many cancels on each of the point's workers
     * (after {@value #DISCARDED} discarded); else the workers cancel for {@code seconds}.
     */
    static String run(UsbInEndpoint in, Point p, long count, double seconds, long delayNanos, boolean virtual)
            throws InterruptedException {
        List<Tally> tallies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        long start = System.nanoTime();
        long until = start + (long) (seconds * 1e9);
        for (int i = 0; i < p.threads(); i++) {
            Tally t = new Tally();
            tallies.add(t);
            Runnable work = () -> {
                try {
                    Tally discarded = new Tally();
                    for (int k = 0; count > 0 && k < DISCARDED; k++) {
                        if (!cycle(in, p.length(), delayNanos, discarded)) {
                            t.stuck = discarded.stuck;
                            t.stuckReaped = discarded.stuckReaped;
                            t.stuckSince = discarded.stuckSince;
                            return;
                        }
                    }
                    while (count > 0 ? t.tried < count : System.nanoTime() < until) {
                        t.tried++;
                        if (!cycle(in, p.length(), delayNanos, t)) {
                            return; // still in flight: later reads on this endpoint would queue behind it
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            };
            workers.add(virtual ? Thread.ofVirtual().start(work) : Thread.ofPlatform().start(work));
        }
        for (Thread w : workers) {
            w.join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        long tried = 0;
        long other = 0;
        long stuck = 0;
        int n = 0;
        Map<UsbTransferResult.Status, Integer> others = new EnumMap<>(UsbTransferResult.Status.class);
        for (Tally t : tallies) {
            tried += t.tried;
            other += t.other;
            stuck += t.stuck;
            n += t.n;
            t.others.forEach((k, v) -> others.merge(k, v, Integer::sum));
        }
        double[] all = new double[n];
        int k = 0;
        for (Tally t : tallies) {
            System.arraycopy(t.latency, 0, all, k, t.n);
            k += t.n;
        }
        Arrays.sort(all);
        if (stuck > 0) {
            // for the engine's developers: slow, or never? wait up to 10 s more for each
            StringBuilder late = new StringBuilder();
            for (Tally t : tallies) {
                if (t.stuckReaped != null) {
                    try {
                        UsbTransferResult r = t.stuckReaped.get(10, TimeUnit.SECONDS);
                        late.append(String.format(Locale.ROOT, " %s after %.1f s;", r.status(),
                                (System.nanoTime() - t.stuckSince) / 1e9));
                    } catch (TimeoutException | ExecutionException e) {
                        late.append(" not reaped after 15 s;");
                    }
                }
            }
            System.err.printf("bench: %s x%d%s: %d reads not reaped within 5 s of their cancel; later:%s%n", p.name(),
                    p.threads(), count > 0 ? "" : " (timed)", stuck, late);
        }
        if (!others.isEmpty()) {
            System.err.println("bench: " + p.name() + ": reaped other than cancelled: " + others);
        }
        for (Throwable e : failures) {
            System.err.println("FAILED " + p.name() + ": " + e);
        }
        return String.format(Locale.ROOT, "n=%d cancelled=%d other=%d stuck=%d secs=%.3f cps=%.1f median_us=%.0f "
                + "p90_us=%.0f p99_us=%.0f max_us=%.0f", tried, n, other, stuck, secs, tried / secs,
                percentile(all, 0.5), percentile(all, 0.9), percentile(all, 0.99), n == 0 ? 0 : all[n - 1]);
    }

    /** Nearest rank, as cancelbench.c. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int k = (int) Math.ceil(q * sorted.length - 1e-9);
        return sorted[Math.min(Math.max(k, 1), sorted.length) - 1];
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        boolean virtual = switch (name) {
            case "ausb" -> false;
            case "ausb-vt" -> true;
            default -> throw new IllegalArgumentException("unknown implementation " + name);
        };
        long count = Long.getLong("cancel.count", 300);
        double seconds = Double.parseDouble(System.getProperty("cancel.seconds", "3"));
        long delayNanos = Long.getLong("cancel.delayUs", 1500) * 1000;
        double warmup = Double.parseDouble(System.getProperty("bench.warmup", "0.5"));
        List<Point> points = Arrays.stream(args, 1, args.length).map(Point::parse).toList();
        try (UsbContext usb = UsbContext.create()) {
            Map<String, UsbDeviceHandle> handles = new LinkedHashMap<>();
            Map<String, UsbInterfaceHandle> itfs = new LinkedHashMap<>();
            Map<Point, UsbInEndpoint> eps = new LinkedHashMap<>();
            for (Point p : points) {
                UsbDeviceHandle h = handles.computeIfAbsent(p.bus() + ":" + p.address(), key -> {
                    UsbDeviceHandle d = usb.findOne(UsbDeviceFilter.any().bus(p.bus()).address(p.address())).open();
                    d.setAutoDetachKernelDriver(true); // usbhid on the HID gadget and QEMU's keyboard
                    return d;
                });
                UsbInterfaceHandle itf = itfs.computeIfAbsent(p.bus() + ":" + p.address() + ":" + p.iface(),
                        key -> h.claimInterface(p.iface()));
                eps.put(p, itf.inEndpoint(p.endpoint()));
            }
            // the JIT warm-up runs every point, the several-thread ones too: their queue and hold paths
            // are code the single-thread points do not run (a stuck cancel would show in the
            // measured rounds' stuck= count; there has been none since the lifecycle work).
            // Quiet: the JIT compiled for at most 2 % of a round (in the lab's emulated guest it
            // rarely stops altogether); at most -Dbench.settle seconds (default 60)
            List<Point> warm = points;
            LabBench.warmUpUntilQuiet(name, warmup, () -> {
                for (Point p : warm) {
                    try {
                        run(eps.get(p), p, 0, warmup, delayNanos, virtual); // timed, discarded
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, 0.02, Double.parseDouble(System.getProperty("bench.settle", "60")));
            for (Point p : points) {
                System.out.printf("CANCEL %s %s %d %s%n", name, p.name(), p.threads(),
                        run(eps.get(p), p, p.threads() == 1 ? count : 0, seconds, delayNanos, virtual));
                System.out.flush();
            }
        }
    }
}
