package dev.ausb.lab;

import static dev.ausb.lab.Rig.BUFLEN;
import static dev.ausb.lab.Rig.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult;
import dev.ausb.UsbTransferResult.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cancel reaches a transfer in every state, and transfers on one endpoint reach libusb in the
 * order they were submitted, across cancels (lifecycle review H2, C2, W4, W5, W6, W9). The tests
 * hold the event thread of a {@code completeOnEventThread()} context, so a cancelled transfer is
 * not reaped until the test says so: the transfers submitted after it are certainly deferred.
 */
@Timeout(120)
class CancelOrderIT {
    private static UsbContext usb;

    @BeforeAll
    static void context() {
        Lab.requireGuest();
        usb = UsbContext.newBuilder().completeOnEventThread().build();
    }

    @AfterAll
    static void close() {
        if (usb != null) {
            usb.close();
        }
    }

    private static Status status(UsbTransferFuture<?> f) throws Exception {
        return f.reaped().get(5, TimeUnit.SECONDS).status();
    }

    @Test
    void cancelOfADeferredRead_isNotLost_itIsNeverSubmittedAndTheNextReadGetsTheData() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> a;
            UsbTransferFuture<byte[]> b;
            try (var hold = r.holdEventThread()) {
                a = r.in.read(BUFLEN);
                assertTrue(a.cancel(true));
                b = r.in.read(BUFLEN); // a is not reaped (the event thread is held): b waits behind it
                assertEquals(2, r.in.pending());
                assertTrue(b.cancel(true));
                // b never reached libusb: its reaped() completes at once, even with the event thread held
                assertEquals(Status.NOT_SUBMITTED, b.reaped().get(1, TimeUnit.SECONDS).status());
                assertEquals(1, r.in.pending());
            }
            assertEquals(Status.CANCELLED, status(a));
            assertEquals(0, r.in.pending());
            UsbTransferFuture<byte[]> c = r.in.read(BUFLEN);
            byte[] p = bytes(64, 1);
            r.loop(p);
            assertArrayEquals(p, c.get(5, TimeUnit.SECONDS), "the data goes to the live read, not to a lost one");
        }
    }

    @Test
    void aTransferSubmittedWhileTheAlternateSettingSwitches_isRefused_notKilledAsIfTheDeviceWereGone() throws Exception {
        // second review F9. Forced: the event thread is held, so the read that selectAlternateSetting
        // cancels cannot be reaped, and the switch waits with its flag up until the test lets it go
        try (Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> a;
            java.util.concurrent.CompletableFuture<Void> switched;
            try (var hold = r.holdEventThread()) {
                a = r.in.read(BUFLEN);
                Thread.sleep(100); // in the kernel
                switched = java.util.concurrent.CompletableFuture.runAsync(() -> r.itf.selectAlternateSetting(0),
                        runnable -> Thread.ofPlatform().name("switcher").start(runnable));
                Thread switcher = awaitThreadIn("switcher", "cancelAndAwait");
                IllegalStateException w = assertThrows(IllegalStateException.class, () -> r.out.write(bytes(8, 2)));
                assertTrue(w.getMessage().contains("switching to alternate setting 0"), w.getMessage());
                assertThrows(IllegalStateException.class, () -> r.in.read(BUFLEN));
                assertFalse(switched.isDone(), "the switch waits for the cancelled read: " + switcher.getState());
            }
            switched.get(10, TimeUnit.SECONDS);
            assertEquals(Status.CANCELLED, status(a));
            UsbTransferFuture<byte[]> c = r.in.read(BUFLEN);
            byte[] p = bytes(64, 3);
            r.loop(p);
            assertArrayEquals(p, c.get(5, TimeUnit.SECONDS), "after the switch the interface works as before");
        }
    }

    @Test
    void aCancelOfAReadTheDrainerIsSending_returnsAtOnce_andTheReadIsNeverSubmitted() throws Exception {
        // the drain loop: transfers go to libusb outside the endpoint's monitor. Forced: a is cancelled
        // with the event thread held, so b and c queue behind it; then the handle's write lock is held,
        // so the event thread, draining once a is reaped, waits inside b's submission
        try (Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> a;
            UsbTransferFuture<byte[]> b;
            UsbTransferFuture<byte[]> c;
            var hold = r.holdEventThread();
            a = r.in.read(BUFLEN);
            Thread.sleep(100);
            assertTrue(a.cancel(true));
            b = r.in.read(BUFLEN);
            c = r.in.read(BUFLEN);
            long[] cancelNanos = new long[1];
            dev.ausb.internal.LabProbe.withHandleWriteLocked(r.handle, () -> {
                try {
                    hold.release();
                    awaitThreadIn(hold.thread, "submitRaw");
                    long t0 = System.nanoTime();
                    assertTrue(b.cancel(true));
                    cancelNanos[0] = System.nanoTime() - t0;
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(cancelNanos[0] < TimeUnit.SECONDS.toNanos(1),
                    "the cancel waited for the submission in progress: " + cancelNanos[0] / 1_000_000 + " ms");
            assertEquals(Status.CANCELLED, status(a));
            assertEquals(Status.NOT_SUBMITTED, status(b), "b was cancelled before its submission went out");
            byte[] p = bytes(64, 4);
            r.loop(p);
            assertArrayEquals(p, c.get(5, TimeUnit.SECONDS), "c went out after b was refused");
            UsbTransferFuture<byte[]> d = r.in.read(BUFLEN); // b's hold was released: d goes out at once
            byte[] q = bytes(64, 5);
            r.loop(q);
            assertArrayEquals(q, d.get(5, TimeUnit.SECONDS));
        }
    }

    /** The live thread named {@code name} once it waits inside a method named {@code method} (at most 10 s). */
    private static Thread awaitThreadIn(String name, String method) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (var e : Thread.getAllStackTraces().entrySet()) {
                Thread t = e.getKey();
                if (t.getName().equals(name) && (t.getState() == Thread.State.WAITING
                        || t.getState() == Thread.State.TIMED_WAITING)
                        && java.util.Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals(method))) {
                    return t;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError(name + " never waited in " + method);
    }

    @Test
    void readsDeferredBehindACancel_goOutInSubmissionOrder() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> a;
            List<UsbTransferFuture<byte[]>> later = new java.util.ArrayList<>();
            try (var hold = r.holdEventThread()) {
                a = r.in.read(BUFLEN);
                a.cancel(true);
                for (int i = 0; i < 4; i++) {
                    later.add(r.in.read(BUFLEN));
                }
                assertEquals(5, r.in.pending());
            }
            assertEquals(Status.CANCELLED, status(a));
            for (int i = 0; i < 4; i++) {
                r.loop(bytes(100 + i, i)); // short packets: each ends one read
            }
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(bytes(100 + i, i), later.get(i).get(5, TimeUnit.SECONDS), "read " + i);
            }
        }
    }

    @Test
    void writesDeferredBehindACancelledWrite_arriveInSubmissionOrder() throws Exception {
        // a FunctionFS sink that reads nothing until told: the first write waits with 0 bytes moved
        FfsFunction f = FfsFunction.builder()
                .descriptors(FfsFunction.Desc.iface(0, 0, 1, 0xff, 0, 0, 1), FfsFunction.Desc.bulk(0x01, 64))
                .highSpeed(FfsFunction.Desc.iface(0, 0, 1, 0xff, 0, 0, 1), FfsFunction.Desc.bulk(0x01, 512))
                .strings("Sink").build();
        try (Rig r = Rig.loopback(usb, 1);
             Gadget g = Gadget.builder().productId(0x5c31).strings("Lab", "Sink").functionFs(f).maxSpeed("high-speed")
                     .udc(0).bind();
             var h = g.await(usb).open(); var itf = h.claimInterface(0)) {
            f.awaitEnabled();
            var out = TransfersIT.outOf(itf);
            UsbTransferFuture<Integer> stuck = out.write(bytes(512, 99));
            Thread.sleep(200);
            assertFalse(stuck.isDone(), "the sink reads nothing yet");
            List<UsbTransferFuture<Integer>> later = new java.util.ArrayList<>();
            try (var hold = r.holdEventThread()) { // the loop's context is this context: its event thread
                stuck.cancel(true);
                for (int i = 0; i < 3; i++) {
                    later.add(out.write(bytes(50 + i, 7 + i)));
                }
                assertEquals(4, out.pending());
            }
            assertEquals(Status.CANCELLED, status(stuck));
            assertEquals(0, stuck.reaped().get(5, TimeUnit.SECONDS).bytesTransferred());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(bytes(50 + i, 7 + i), f.receive(1, 512).get(10, TimeUnit.SECONDS), "write " + i);
                assertEquals(50 + i, later.get(i).get(5, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void closingTheInterface_failsADeferredRead_withoutSubmittingIt() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> a;
            UsbTransferFuture<byte[]> b;
            Thread closer;
            try (var hold = r.holdEventThread()) {
                a = r.in.read(BUFLEN);
                a.cancel(true);
                b = r.in.read(BUFLEN);
                closer = Thread.ofPlatform().start(r.itf::close); // waits for a, which waits for the event thread
                Thread.sleep(200);
                assertTrue(closer.isAlive());
            }
            closer.join(5000);
            assertFalse(closer.isAlive(), "interface close hung");
            assertEquals(Status.NOT_SUBMITTED, b.reaped().get(1, TimeUnit.SECONDS).status(),
                    "a deferred read must not be submitted on a released interface");
            assertInstanceOf(IllegalStateException.class, assertThrows(CompletionException.class, b::join).getCause());
            assertEquals(Status.CANCELLED, status(a));
        }
    }

    @Test
    void oneEndpointHandlePerAddress_sharesItsOrderTimeoutAndPendingCount() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            assertSame(r.in, r.itf.inEndpoint(r.in.address()));
            r.in.setTimeout(Duration.ofMillis(1234));
            assertEquals(Duration.ofMillis(1234), r.itf.inEndpoint(r.in.address()).timeout());
            r.in.setTimeout(Duration.ZERO);
            UsbTransferFuture<byte[]> a;
            UsbTransferFuture<byte[]> b;
            try (var hold = r.holdEventThread()) {
                a = r.itf.inEndpoint(r.in.address()).read(BUFLEN);
                a.cancel(true);
                b = r.itf.inEndpoint(r.in.address()).read(BUFLEN); // a new lookup: still behind a
                assertEquals(2, r.in.pending());
            }
            status(a);
            byte[] p = bytes(77, 3);
            r.loop(p);
            assertArrayEquals(p, b.get(5, TimeUnit.SECONDS));
            assertThrows(IllegalArgumentException.class, () -> r.in.read(0), "a 0-byte read would lose a packet");
            assertThrows(IllegalStateException.class, () -> r.handle.claimInterface(0), "claimed twice");
        }
    }

    @Test
    void aRetryMadeByTheCancelledTransfersOwnContinuation_waitsBehindIt() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            var retry = new java.util.concurrent.atomic.AtomicReference<UsbTransferFuture<byte[]>>();
            UsbTransferFuture<byte[]> a;
            try (var hold = r.holdEventThread()) {
                a = r.in.read(BUFLEN);
                a.whenComplete((v, e) -> retry.set(r.in.read(BUFLEN))); // runs inside a.cancel(), on this thread
                a.cancel(true);
                assertTrue(retry.get() != null);
                assertEquals(2, r.in.pending(), "the retry waits behind the cancelled read");
                assertFalse(retry.get().reaped().isDone());
            }
            assertEquals(Status.CANCELLED, status(a));
            r.loop(bytes(21, 4));
            assertArrayEquals(bytes(21, 4), retry.get().get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aCancelWhileTheHandlesWriteLockIsHeldForAnInstant_stillReachesLibusb() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> f = r.in.read(BUFLEN);
            Thread.sleep(100);
            Thread canceller = Thread.ofPlatform().unstarted(() -> f.cancel(true));
            dev.ausb.internal.LabProbe.withHandleWriteLocked(r.handle, () -> {
                canceller.start();
                try {
                    Thread.sleep(200); // the cancel finds the write lock held
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            canceller.join(5000);
            assertEquals(Status.CANCELLED, status(f), "the cancel was lost");
        }
    }

    @Test
    void dataThatArrivedForAReadCancelledWhileCompleting_isHandedBackByReaped() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> f;
            UsbTransferResult result;
            try (var hold = r.holdEventThread()) { // first: it takes the loop's first read
                f = r.in.read(BUFLEN);
                r.out.write(bytes(60, 6)); // both complete in the kernel; their callbacks wait for the event thread
                Thread.sleep(300);
                f.cancel(true); // too late for libusb: the read already has its data
            }
            result = f.reaped().get(5, TimeUnit.SECONDS);
            assertEquals(Status.COMPLETED, result.status());
            assertArrayEquals(bytes(60, 6), result.partialData(), "the data that arrived is not lost");
        }
    }

    @Test
    void cancelAll_handsBackEveryPendingRead_withWhatHadArrived() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            List<UsbTransferFuture<byte[]>> reads = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                reads.add(r.in.read(BUFLEN));
            }
            Thread.sleep(100);
            assertEquals(4, r.in.pending());
            List<UsbTransferResult> results = r.in.cancelAll().get(5, TimeUnit.SECONDS);
            assertEquals(4, results.size());
            for (UsbTransferResult res : results) {
                assertEquals(Status.CANCELLED, res.status());
                assertEquals(0, res.partialData().length);
            }
            for (var f : reads) {
                assertThrows(CancellationException.class, f::join);
            }
            assertEquals(0, r.in.pending());
            UsbTransferFuture<byte[]> c = r.in.read(BUFLEN);
            r.loop(bytes(10, 5));
            assertArrayEquals(bytes(10, 5), c.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aTimeoutOnAComposedStage_cancelsTheInnerReadThatStillWaits_notTheFinishedOuterTransfer() throws Exception {
        try (UsbContext plain = UsbContext.create(); Rig r = Rig.loopback(plain, 1)) {
            var inner = new java.util.concurrent.atomic.AtomicReference<UsbTransferFuture<byte[]>>();
            var composed = r.handle.controlIn(Rig.GET_STATUS, 2)
                    .thenCompose(status -> {
                        inner.set(r.in.read(BUFLEN));
                        return inner.get();
                    })
                    .orTimeout(300, TimeUnit.MILLISECONDS);
            assertInstanceOf(TimeoutException.class, assertThrows(CompletionException.class, composed::join).getCause());
            assertEquals(Status.CANCELLED, inner.get().reaped().get(5, TimeUnit.SECONDS).status(),
                    "the read behind the composition is cancelled");
            UsbTransferFuture<byte[]> fresh = r.in.read(BUFLEN);
            r.loop(bytes(33, 9));
            assertArrayEquals(bytes(33, 9), fresh.get(5, TimeUnit.SECONDS), "no orphan read took the reply");
        }
    }
}
