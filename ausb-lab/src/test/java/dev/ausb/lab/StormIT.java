package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDirection;
import dev.ausb.UsbException;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOutEndpoint;
import dev.ausb.UsbStallException;
import dev.ausb.UsbTimeoutException;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferType;
import dev.ausb.internal.LabProbe;
import dev.ausb.lab.FfsFunction.Desc;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault campaign's cancel and timeout storm: many threads submit bulk, interrupt and control
 * transfers on dummy_hcd gadgets and on QEMU's xHCI devices, and cancel them or time them out at
 * random moments. Every future completes exactly once and is reaped, every byte that arrives is
 * right, and afterwards nothing is in flight, every transfer struct is back on the free list and
 * native memory has not grown.
 */
@Timeout(1800)
class StormIT {
    /** Transfers in the whole storm in CI (scaled by -Dausb.campaign.scale). */
    static final int TRANSFERS = Campaign.scaled(100_000);
    static final int THREADS = 8;
    private static final int REPORT = 16;

    @BeforeAll
    static void guest() {
        Lab.requireGuest();
    }

    /** One kind of transfer the storm makes, and how to check what it brought. */
    interface Target {
        UsbTransferFuture<?> submit(SplittableRandom rnd, Duration timeout);

        /** Throws AssertionError when the value is wrong. */
        void check(Object value);

        String name();
    }

    static final class Counts {
        final AtomicLong submitted = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong cancelled = new AtomicLong();
        final AtomicLong timedOut = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong cancels = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    }

    @Test
    void cancelAndTimeoutStorm_everyFutureOnce_dataRight_nothingLeaks() throws Exception {
        byte[] pattern = TransfersIT.pattern(16384);
        try (UsbContext usb = UsbContext.create();
             Gadget ss = Gadget.builder().function("SourceSink", Map.of("pattern", "1", "bulk_buflen", "4096"))
                     .maxSpeed("high-speed").udc(0).bind();
             Reporter reporter = new Reporter()) {
            FfsFunction ffs = interruptDevice();
            try (Gadget ig = Gadget.builder().productId(0x5c10).strings("Lab", "Reports").functionFs(ffs)
                    .maxSpeed("high-speed").udc(1).bind()) {
                List<Target> targets = new ArrayList<>();
                List<UsbDeviceHandle> handles = new ArrayList<>();
                // dummy_hcd: SourceSink bulk IN (pattern) and OUT (its sink stalls on a wrong byte), control
                UsbDeviceHandle hs = ss.await(usb).open();
                handles.add(hs);
                UsbInterfaceHandle si = hs.claimInterface(0);
                UsbInEndpoint ssIn = si.inEndpoint(0x81);
                UsbOutEndpoint ssOut = TransfersIT.outOf(si);
                targets.add(bulkIn(ssIn, pattern));
                targets.add(bulkOut(ssOut, pattern));
                targets.add(control(hs));
                // dummy_hcd: an interrupt IN endpoint of a FunctionFS device that sends numbered reports
                UsbDeviceHandle hi = ig.await(usb).open();
                handles.add(hi);
                ffs.awaitEnabled();
                UsbInterfaceHandle ii = hi.claimInterface(0);
                UsbInEndpoint intIn = ii.inEndpoint(ii.endpoints().stream()
                        .filter(e -> e.transferType() == UsbTransferType.INTERRUPT).findFirst().orElseThrow().address());
                Thread reports = Thread.ofPlatform().daemon(true).start(() -> sendReports(ffs));
                targets.add(interruptIn(intIn));
                targets.add(control(hi));
                // QEMU's xHCI: the keyboard's and tablet's interrupt IN (silent: every read is cancelled or
                // times out) and every device's control endpoint
                for (var xd : usb.devices()) {
                    if (!"xhci_hcd".equals(xd.hostControllerDriver().orElse("")) || xd.isHub()) {
                        continue;
                    }
                    UsbDeviceHandle hx = xd.open();
                    handles.add(hx);
                    hx.setAutoDetachKernelDriver(true);
                    targets.add(control(hx));
                    var alt = xd.configurations().getFirst().interfaces().getFirst().defaultSetting();
                    // HID interrupt IN only: QEMU's usb-storage stalls a bulk IN read sent without a command
                    var inEp = alt.endpoints().stream().filter(e -> e.direction() == UsbDirection.IN
                            && e.transferType() == UsbTransferType.INTERRUPT && alt.interfaceClass() == 0x03).findFirst();
                    if (inEp.isPresent()) {
                        UsbInterfaceHandle xi = hx.claimInterface(alt.interfaceNumber());
                        targets.add(silent(xi.inEndpoint(inEp.get().address()), xd.toString()));
                    }
                }
                assertTrue(targets.size() >= 7, "targets: " + targets.stream().map(Target::name).toList());

                Counts warm = storm(targets, TRANSFERS / 10, 1);
                assertClean(usb, handles, warm);
                Campaign.Sample before = Campaign.sample();
                Counts c = storm(targets, TRANSFERS - TRANSFERS / 10, 2);
                assertClean(usb, handles, c);
                Campaign.Sample after = Campaign.sample();
                reports.interrupt();

                long mallocGrowth = after.nmtMallocKb() - before.nmtMallocKb();
                var fig = Campaign.figures();
                fig.put("transfers", c.submitted.get() + warm.submitted.get());
                fig.put("targets", targets.size());
                fig.put("threads", THREADS);
                fig.put("completed", c.completed.get() + warm.completed.get());
                fig.put("ok", c.ok.get() + warm.ok.get());
                fig.put("cancels", c.cancels.get() + warm.cancels.get());
                fig.put("cancelled", c.cancelled.get() + warm.cancelled.get());
                fig.put("timedOut", c.timedOut.get() + warm.timedOut.get());
                fig.put("otherFailures", c.failed.get() + warm.failed.get());
                fig.put("wrongData", c.wrong.size() + warm.wrong.size());
                fig.put("bytesChecked", c.bytes.get() + warm.bytes.get());
                fig.put("nmtMallocGrowthKB", mallocGrowth);
                fig.put("rssGrowthKB", after.rssKb() - before.rssKb());
                fig.put("libusbWarnings", reporter.warnings.get());
                fig.put("libusbBenignAtDebug", reporter.benign.get());
                fig.put("before", "[" + before + "]");
                fig.put("after", "[" + after + "]");
                Campaign.report("storm", fig);
                assertEquals(List.of(), List.copyOf(c.wrong).subList(0, Math.min(REPORT, c.wrong.size())));
                assertTrue(mallocGrowth < 8 * 1024, "NMT malloc grew by " + mallocGrowth + " KB: " + before + " -> " + after);
                assertEquals(0, reporter.warnings.get(), "libusb warnings reached the log: " + reporter.first);
            }
        }
    }

    /** Every submitted future completed once and was reaped; nothing in flight; every struct free. */
    private static void assertClean(UsbContext usb, List<UsbDeviceHandle> handles, Counts c) throws Exception {
        assertEquals(c.submitted.get(), c.completed.get(), "futures that never completed");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (LabProbe.engineCounts(usb)[0] + LabProbe.engineCounts(usb)[1] > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        int[] counts = LabProbe.engineCounts(usb);
        assertEquals(0, counts[0], "transfers still in flight");
        assertEquals(0, counts[1], "transfer structs not back on the free list");
        for (UsbDeviceHandle h : handles) {
            assertEquals(0, LabProbe.handleInFlight(h), "transfers of " + h + " still counted in flight");
        }
    }

    /** Runs {@code total} transfers from {@link #THREADS} threads; returns the counts once all are reaped. */
    private static Counts storm(List<Target> targets, int total, long seed) throws Exception {
        Counts c = new Counts();
        AtomicLong budget = new AtomicLong(total);
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<CompletableFuture<?>> reaped = new ConcurrentLinkedQueue<>();
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom rnd = new SplittableRandom(seed * 1000 + t);
            threads.add(Thread.ofPlatform().name("storm-" + t).start(() -> {
                List<UsbTransferFuture<?>> mine = new ArrayList<>();
                while (budget.getAndDecrement() > 0) {
                    Target target = targets.get(rnd.nextInt(targets.size()));
                    int mode = rnd.nextInt(4);
                    Duration timeout = mode == 0 ? Duration.ofMillis(1 + rnd.nextInt(30)) : Duration.ZERO;
                    UsbTransferFuture<?> f;
                    try {
                        f = target.submit(rnd, timeout);
                    } catch (RuntimeException e) {
                        c.wrong.add(target.name() + ": submit threw " + e);
                        continue;
                    }
                    c.submitted.incrementAndGet();
                    reaped.add(f.reaped());
                    f.whenComplete((v, e) -> {
                        c.completed.incrementAndGet();
                        classify(c, target, v, e);
                    });
                    if (mode == 1) {
                        LockSupport.parkNanos(rnd.nextInt(3_000_000)); // cancel at a random moment
                        c.cancels.incrementAndGet();
                        f.cancel(true);
                    } else if (mode == 2) {
                        f.orTimeout(1 + rnd.nextInt(20), TimeUnit.MILLISECONDS);
                    } else if (mode == 3) {
                        // left alone: data targets complete, silent ones are cancelled below
                    }
                    mine.add(f);
                    if (mine.size() >= 4) {
                        UsbTransferFuture<?> oldest = mine.removeFirst();
                        if (rnd.nextBoolean()) {
                            c.cancels.incrementAndGet();
                            oldest.cancel(true); // a cancel that races the completion, often
                        }
                        await(oldest, c);
                    }
                }
                for (UsbTransferFuture<?> f : mine) {
                    c.cancels.incrementAndGet();
                    f.cancel(true);
                    await(f, c);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(600_000);
            assertTrue(!t.isAlive(), t.getName() + " hung");
        }
        CompletableFuture.allOf(reaped.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + 5_000_000_000L; // completions run on virtual threads
        while (c.completed.get() < c.submitted.get() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return c;
    }

    private static void await(UsbTransferFuture<?> f, Counts c) {
        try {
            f.handle((v, e) -> null).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            c.wrong.add("a transfer did not complete in 30 s: " + e);
        }
    }

    private static void classify(Counts c, Target target, Object v, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause == null) {
            try {
                target.check(v);
                c.ok.incrementAndGet();
                if (v instanceof byte[] b) {
                    c.bytes.addAndGet(b.length);
                }
            } catch (AssertionError wrong) {
                c.wrong.add(target.name() + ": " + wrong.getMessage());
            }
        } else if (cause instanceof CancellationException) {
            c.cancelled.incrementAndGet();
        } else if (cause instanceof TimeoutException || cause instanceof UsbTimeoutException) {
            c.timedOut.incrementAndGet();
        } else if (cause instanceof UsbStallException) {
            c.wrong.add(target.name() + ": stalled (a wrong byte reached the sink?) " + cause.getMessage());
        } else if (cause instanceof UsbException) {
            c.failed.incrementAndGet();
            c.wrong.add(target.name() + ": " + cause);
        } else {
            c.wrong.add(target.name() + ": " + cause);
        }
    }

    private static Target bulkIn(UsbInEndpoint in, byte[] pattern) {
        return new Target() {
            public UsbTransferFuture<?> submit(SplittableRandom rnd, Duration timeout) {
                return in.read(512 * (1 + rnd.nextInt(32)), timeout);
            }

            public void check(Object value) {
                byte[] b = (byte[]) value;
                assertArrayEquals(java.util.Arrays.copyOf(pattern, b.length), b, "SourceSink's pattern");
            }

            public String name() {
                return "bulk IN (dummy_hcd SourceSink)";
            }
        };
    }

    private static Target bulkOut(UsbOutEndpoint out, byte[] pattern) {
        return new Target() {
            public UsbTransferFuture<?> submit(SplittableRandom rnd, Duration timeout) {
                int n = 512 * (1 + rnd.nextInt(16));
                return out.write(java.util.Arrays.copyOf(pattern, n), timeout);
            }

            public void check(Object value) {
                assertTrue((Integer) value > 0);
            }

            public String name() {
                return "bulk OUT (dummy_hcd SourceSink)";
            }
        };
    }

    private static Target control(UsbDeviceHandle h) {
        byte[] expected = new byte[18];
        UsbControlRequest get = UsbControlRequest.standard(UsbControlRequest.Recipient.DEVICE,
                UsbControlRequest.GET_DESCRIPTOR, 0x0100, 0);
        byte[] got = h.controlIn(get, 18).join();
        System.arraycopy(got, 0, expected, 0, 18);
        return new Target() {
            public UsbTransferFuture<?> submit(SplittableRandom rnd, Duration timeout) {
                return h.controlIn(get, 18, timeout);
            }

            public void check(Object value) {
                assertArrayEquals(expected, (byte[]) value, "device descriptor");
            }

            public String name() {
                return "control (" + h.device() + ")";
            }
        };
    }

    private static Target interruptIn(UsbInEndpoint in) {
        return new Target() {
            public UsbTransferFuture<?> submit(SplittableRandom rnd, Duration timeout) {
                return in.read(16, timeout);
            }

            public void check(Object value) {
                byte[] b = (byte[]) value;
                assertEquals(16, b.length, "a report");
                for (int k = 1; k < 16; k++) {
                    assertEquals((byte) (b[0] + k), b[k], "report byte " + k);
                }
            }

            public String name() {
                return "interrupt IN (dummy_hcd FunctionFS)";
            }
        };
    }

    private static Target silent(UsbInEndpoint in, String what) {
        return new Target() {
            public UsbTransferFuture<?> submit(SplittableRandom rnd, Duration timeout) {
                int mps = in.descriptor().maxPacketSize();
                return in.read(mps, timeout.isZero() ? Duration.ofMillis(50 + rnd.nextInt(100)) : timeout);
            }

            public void check(Object value) {
                // a keyboard or storage device sends nothing here; whatever came is not checked
            }

            public String name() {
                return in.descriptor().transferType() + " IN (xHCI " + what + ")";
            }
        };
    }

    /** A FunctionFS device with one interrupt IN endpoint of 16-byte reports. */
    private static FfsFunction interruptDevice() {
        return FfsFunction.builder()
                .descriptors(Desc.iface(0, 0, 1, 0xff, 0, 0, 1), Desc.interrupt(0x81, 16, 1))
                .highSpeed(Desc.iface(0, 0, 1, 0xff, 0, 0, 1), Desc.interrupt(0x81, 16, 1))
                .strings("Reports")
                .build();
    }

    /** The device side: numbered reports, as fast as the host reads them (byte k = first byte + k). */
    private static void sendReports(FfsFunction f) {
        int seq = 0;
        ByteBuffer b = ByteBuffer.allocate(16);
        while (!Thread.currentThread().isInterrupted()) {
            b.clear();
            for (int k = 0; k < 16; k++) {
                b.put((byte) (seq + k));
            }
            b.flip();
            seq++;
            try {
                f.endpoint(1).write(b);
            } catch (Exception e) {
                return; // unplugged at the end
            }
        }
    }

    /** Counts what libusb logged at WARNING or above during the storm, and what ausb logged as benign. */
    static final class Reporter extends Handler implements AutoCloseable {
        final AtomicLong warnings = new AtomicLong();
        final AtomicLong benign = new AtomicLong();
        volatile String first;
        private final Logger logger = Logger.getLogger("dev.ausb.libusb");
        private final Level old = logger.getLevel();

        Reporter() {
            logger.setLevel(Level.ALL);
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            String m = r.getMessage();
            if (r.getLevel().intValue() >= Level.WARNING.intValue() && m != null && m.contains("cancel")) {
                warnings.incrementAndGet();
                if (first == null) {
                    first = m;
                }
            } else if (m != null && m.contains("cancel failed")) {
                benign.incrementAndGet();
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setLevel(old);
        }
    }
}
