package dev.ausb.bench;

import dev.ausb.UsbBuffer;
import dev.ausb.UsbContext;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbInStream;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbIsoOutStream;
import dev.ausb.UsbIsoStreamOptions;
import java.util.concurrent.atomic.LongAdder;

/**
 * The isochronous run of ausb, beside {@code ausb-bench/c/isobench.c} on the same virtual device:
 * {@code IsoBench IMPL VID PID POINT...}, IMPL ausb or ausb-et (completions on the event thread),
 * each POINT {@code in:N:PACKETS:LEN} or {@code out:N:PACKETS:LEN} (N transfers of PACKETS packets
 * of LEN bytes in flight on interface 0, alternate setting 1, IN 0x81, OUT 0x02). Prints one RESULT
 * line per point in the C reference's format; {@code -Dbench.seconds} is the window (default 3).
 */
public final class IsoBench {
    private IsoBench() {}

    /** Counts of one window. */
    private static final class Counts {
        final LongAdder bytes = new LongAdder();
        final LongAdder packets = new LongAdder();
        final LongAdder bad = new LongAdder();
    }

    private static String measure(UsbInterfaceHandle itf, String point, double seconds, double warmup) throws Exception {
        String[] p = point.split(":");
        boolean in = p[0].equals("in");
        var options = new UsbIsoStreamOptions(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
        return in ? measureIn(itf, options, seconds, warmup) : measureOut(itf, options, seconds, warmup);
    }

    private static String measureIn(UsbInterfaceHandle itf, UsbIsoStreamOptions o, double seconds, double warmup)
            throws Exception {
        java.util.concurrent.atomic.AtomicReference<Counts> window = new java.util.concurrent.atomic.AtomicReference<>(new Counts());
        try (UsbInStream s = itf.isoInEndpoint(0x81).stream(o, (UsbBuffer b) -> {
            Counts c = window.get();
            int n = b.packetCount();
            long got = 0;
            int bad = 0;
            for (int k = 0; k < n; k++) {
                if (b.packetCompleted(k)) {
                    got += b.packetActualLength(k);
                } else {
                    bad++;
                }
            }
            c.bytes.add(got);
            c.packets.add(n);
            c.bad.add(bad);
        })) {
            Thread.sleep((long) (warmup * 1000));
            Counts c = new Counts();
            Meter m = new Meter();
            window.set(c);
            Thread.sleep((long) (seconds * 1000));
            String r = line(m, c.bytes.sum(), c.packets.sum(), c.bad.sum());
            window.set(new Counts());
            return r;
        }
    }

    private static String measureOut(UsbInterfaceHandle itf, UsbIsoStreamOptions o, double seconds, double warmup) {
        byte[] frame = new byte[o.packetLength()];
        java.util.Arrays.fill(frame, (byte) 0x5a);
        try (UsbIsoOutStream s = itf.isoOutEndpoint(0x02).stream(o)) {
            long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
            while (System.nanoTime() < warmEnd) {
                s.writePacket(frame);
            }
            long b0 = s.bytesWritten();
            long p0 = s.packetsWritten();
            long x0 = s.packetsFailed();
            Meter m = new Meter();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                s.writePacket(frame);
            }
            // what the window's packets carried, as the host controller handed them back
            return line(m, s.bytesWritten() - b0, s.packetsWritten() - p0, s.packetsFailed() - x0);
        }
    }

    private static String line(Meter m, long bytes, long packets, long bad) {
        String r = m.result(bytes, packets); // MBps=.. tps=.. cpu_ms_per_MB=.. alloc_per_transfer=..
        String[] f = r.split(" ");
        return f[0] + " pps=" + f[1].substring(4) + " bad=" + bad + " " + f[2] + " alloc_per_packet=" + f[3].split("=")[1];
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int vid = Integer.parseInt(args[1], 16);
        int pid = Integer.parseInt(args[2], 16);
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "3"));
        double warmup = Double.parseDouble(System.getProperty("bench.warmup", "0.5"));
        UsbContext.Builder b = UsbContext.newBuilder();
        if (name.equals("ausb-et")) {
            b.completeOnEventThread();
        } else if (!name.equals("ausb")) {
            throw new IllegalArgumentException("unknown implementation " + name);
        }
        try (UsbContext usb = b.build(); UsbDeviceHandle h = usb.findOne(UsbDeviceFilter.of(vid, pid)).open();
                UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            LabBench.warmUpUntilQuiet(name, warmup, () -> {
                for (int i = 3; i < args.length; i++) {
                    try {
                        measure(itf, args[i], warmup, 0);
                    } catch (Exception e) {
                        // measured (and reported) below
                    }
                }
            });
            for (int i = 3; i < args.length; i++) {
                String[] p = args[i].split(":");
                if (name.equals("ausb-et") && p[0].equals("out")) {
                    continue; // an OUT stream's writer is the caller's thread either way: the same path as ausb
                }
                try {
                    String r = measure(itf, args[i], seconds, 0.3);
                    System.out.printf("RESULT %s iso-%s %sx%sx%s %s%n", name, p[0], p[1], p[2], p[3], r);
                    System.out.flush();
                } catch (Exception e) {
                    System.err.println("FAILED " + name + " " + args[i] + ": " + e);
                }
            }
            itf.selectAlternateSetting(0);
        }
    }
}
