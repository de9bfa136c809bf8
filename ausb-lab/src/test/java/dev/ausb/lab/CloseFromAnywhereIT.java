package dev.ausb.lab;

import static dev.ausb.lab.Rig.BUFLEN;
import static dev.ausb.lab.Rig.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbInStream;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbStreamOptions;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult.Status;
import dev.ausb.internal.LabProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * close() of a handle, an interface or a context returns in bounded time from any thread: a
 * continuation of its own transfer, the joining thread, a stream handler, the event thread, while
 * an open() is in progress (lifecycle review H1, H4, H6, W14, C1).
 */
@Timeout(120)
class CloseFromAnywhereIT {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @BeforeAll
    static void guest() {
        Lab.requireGuest();
    }

    @Test
    void handleClosedInAContinuationOfItsOwnRead_closes() throws Exception {
        try (UsbContext usb = UsbContext.create(); Rig r = Rig.loopback(usb, 1)) {
            CompletableFuture<Void> c = r.in.read(BUFLEN).thenRun(r.handle::close);
            r.loop(bytes(64, 1));
            assertTimeoutPreemptively(BOUND, () -> c.get());
            assertFalse(r.handle.isOpen());
        }
    }

    @Test
    void handleClosedInAContinuationRunByTheJoiningThread_closes() throws Exception {
        try (UsbContext usb = UsbContext.create(); Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> f = r.in.read(BUFLEN);
            f.whenComplete((v, e) -> r.handle.close());
            Thread joiner = Thread.ofPlatform().start(f::join); // joins first: it completes f and runs the close
            while (joiner.getState() != Thread.State.WAITING && joiner.isAlive()) {
                Thread.sleep(5);
            }
            r.out.write(bytes(64, 2)); // not waited for here: the joiner is the one that finishes
            joiner.join(BOUND.toMillis());
            assertFalse(joiner.isAlive(), "the joiner hung in the close it ran");
            assertFalse(r.handle.isOpen());
        }
    }

    @Test
    void handleClosedWhenReaped_closes() throws Exception {
        try (UsbContext usb = UsbContext.create(); Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> f = r.in.read(BUFLEN);
            CompletableFuture<Void> c = f.reaped().thenRun(r.handle::close);
            f.cancel(true);
            assertTimeoutPreemptively(BOUND, () -> c.get());
            assertFalse(r.handle.isOpen());
        }
    }

    @Test
    void contextClosedInAContinuationOfOneOfItsTransfers_closes() throws Exception {
        UsbContext usb = UsbContext.create();
        try (Rig r = Rig.loopback(usb, 1)) {
            CompletableFuture<Void> c = r.in.read(BUFLEN).thenRun(usb::close);
            r.loop(bytes(64, 3));
            assertTimeoutPreemptively(BOUND, () -> c.get());
            assertFalse(usb.isOpen());
            assertFalse(r.handle.isOpen());
            assertTimeoutPreemptively(BOUND, usb::close); // a second close returns too
        }
    }

    @Test
    void contextClosedOnTheEventThread_finishesOnAHelper_andASecondCloseWaitsForIt() throws Exception {
        UsbContext usb = UsbContext.newBuilder().completeOnEventThread().build();
        try (Rig r = Rig.loopback(usb, 1)) {
            CompletableFuture<Void> c = r.in.read(BUFLEN).thenRun(usb::close);
            r.loop(bytes(64, 4));
            assertTimeoutPreemptively(BOUND, () -> c.get());
            assertTimeoutPreemptively(BOUND, usb::close);
            assertTrue(LabProbe.engineClosed(usb), "the second close returned before the first was done");
        }
    }

    @Test
    void aSecondCloseFromAContinuation_whileTheFirstWaitsForIt_returns() throws Exception {
        for (boolean contextFirst : new boolean[] {true, false}) {
            UsbContext usb = UsbContext.create();
            try (Rig r = Rig.loopback(usb, 1)) {
                CountDownLatch inside = new CountDownLatch(1);
                CountDownLatch go = new CountDownLatch(1);
                UsbTransferFuture<byte[]> f = r.in.read(BUFLEN);
                CompletableFuture<Void> c = f.thenRun(() -> {
                    inside.countDown();
                    try {
                        go.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (contextFirst) {
                        r.handle.close();
                    } else {
                        usb.close();
                    }
                });
                r.out.write(bytes(64, 9));
                assertTrue(inside.await(10, TimeUnit.SECONDS));
                Thread first = Thread.ofPlatform().start(contextFirst ? usb::close : r.handle::close);
                Thread.sleep(300); // the first close now waits in its drain
                go.countDown();
                first.join(BOUND.toMillis());
                assertFalse(first.isAlive(), "the first close hung");
                assertTimeoutPreemptively(BOUND, () -> c.get());
            } finally {
                usb.close();
            }
        }
    }

    @Test
    void closeFromAContinuation_onASerialCompletionExecutor_returns() throws Exception {
        var serial = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (UsbContext usb = UsbContext.newBuilder().completionExecutor(serial).build(); Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> r1 = r.in.read(BUFLEN);
            UsbTransferFuture<byte[]> r2 = r.in.read(BUFLEN); // still pending when r1's continuation closes
            CompletableFuture<Void> c = r1.thenRun(r.handle::close);
            r.out.write(bytes(64, 10));
            assertTimeoutPreemptively(BOUND, () -> c.get()); // r2's completion queues behind this task
            assertFalse(r.handle.isOpen());
            assertTimeoutPreemptively(BOUND, () -> r2.reaped().get());
        } finally {
            serial.shutdown();
        }
    }

    @Test
    void aRejectingCompletionExecutor_stillCompletesTheFuture_andCloseReturns() throws Exception {
        UsbContext usb = UsbContext.newBuilder().completionExecutor(t -> {
            throw new RejectedExecutionException("shut down");
        }).build();
        try (Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> f = r.in.read(BUFLEN);
            var written = r.out.write(bytes(64, 5));
            // nobody joins: the completion must go through the (refusing) executor and its fallback
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (!(f.isDone() && written.isDone()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertArrayEquals(bytes(64, 5), f.getNow(null));
            assertTimeoutPreemptively(BOUND, r.handle::close);
        } finally {
            assertTimeoutPreemptively(BOUND, usb::close);
        }
    }

    @Test
    void closingAHandleThatTheEventThreadUses_doesNotDeadlock() throws Exception {
        // the event thread runs a continuation of A that calls into B while another thread closes B:
        // the closer must not hold a lock the event thread needs while libusb_close waits for events
        try (UsbContext usb = UsbContext.newBuilder().completeOnEventThread().build();
             Rig a = Rig.loopback(usb, 1);
             Gadget gb = Gadget.builder().function("SourceSink", Map.of("pattern", "0")).maxSpeed("high-speed")
                     .udc(0).bind()) {
            UsbDeviceHandle b = gb.await(usb).open();
            CountDownLatch parked = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            AtomicReference<Throwable> seen = new AtomicReference<>();
            CompletableFuture<Void> cont = a.in.read(BUFLEN).thenRun(() -> {
                parked.countDown();
                try {
                    go.await(20, TimeUnit.SECONDS);
                    b.controlIn(Rig.GET_STATUS, 2);
                } catch (Throwable e) {
                    seen.set(e);
                }
            });
            a.loop(bytes(64, 6));
            assertTrue(parked.await(5, TimeUnit.SECONDS));
            Thread closer = Thread.ofPlatform().start(b::close);
            Thread.sleep(300); // the closer is in libusb_close, waiting for the events lock
            go.countDown();
            closer.join(BOUND.toMillis());
            assertFalse(closer.isAlive(), "closing B deadlocked against the event thread");
            cont.get(5, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, seen.get(), "B is closed: " + seen.get());
        }
    }

    @Test
    void interfaceClosedOnTheEventThread_canBeClaimedAgainAtOnce() throws Exception {
        try (UsbContext usb = UsbContext.newBuilder().completeOnEventThread().build(); Rig r = Rig.loopback(usb, 1)) {
            AtomicReference<UsbTransferFuture<byte[]>> pendingRef = new AtomicReference<>();
            CompletableFuture<Void> closed = r.onEventThread(() -> {
                pendingRef.set(r.in.read(BUFLEN)); // pending while the interface closes
                r.itf.close(); // on the event thread: the release goes on on a helper thread
            });
            closed.get(5, TimeUnit.SECONDS);
            UsbTransferFuture<byte[]> pending = pendingRef.get();
            try (UsbInterfaceHandle again = r.handle.claimInterface(0)) { // waits for that release
                assertEquals(Status.CANCELLED, pending.reaped().get(5, TimeUnit.SECONDS).status());
                UsbTransferFuture<byte[]> f = TransfersIT.inOf(again).read(BUFLEN);
                Thread.sleep(200);
                assertFalse(f.isDone());
                TransfersIT.outOf(again).write(bytes(20, 7)).get(5, TimeUnit.SECONDS);
                assertArrayEquals(bytes(20, 7), f.get(5, TimeUnit.SECONDS), "the new claim was not released");
            }
        }
    }

    @Test
    void handleClosedFromItsOwnStreamHandler_closes_andNothingTouchesFreedMemory() throws Exception {
        try (UsbContext usb = UsbContext.create(); Rig r = Rig.loopback(usb, 1)) {
            CountDownLatch called = new CountDownLatch(1);
            UsbInStream s = r.in.stream(new UsbStreamOptions(4, BUFLEN), b -> {
                r.handle.close(); // returns at once: the close waits for this handler on a helper thread
                b.toArray(); // still valid: the handler has not returned
                called.countDown();
            });
            r.loop(bytes(64, 8));
            assertTrue(called.await(10, TimeUnit.SECONDS));
            assertTimeoutPreemptively(BOUND, () -> s.done().handle((v, e) -> e).get());
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (r.handle.isOpen() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertFalse(r.handle.isOpen());
        }
    }

    @Test
    void contextClose_waitsForAnOpenInProgress_andClosesTheHandleItMade() throws Exception {
        try (Gadget g = Gadget.builder().function("SourceSink", Map.of("pattern", "0")).maxSpeed("high-speed")
                .udc(0).bind()) {
            UsbContext usb = UsbContext.create();
            UsbDevice dev = g.await(usb);
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            // an open() paused inside the context's open check, as a slow libusb_open would be
            CompletableFuture<UsbDeviceHandle> late = LabProbe.openPausedInside(usb, dev, inside, go);
            assertTrue(inside.await(5, TimeUnit.SECONDS));
            Thread closer = Thread.ofPlatform().start(usb::close);
            Thread.sleep(200);
            assertTrue(closer.isAlive(), "close must wait for the open in progress");
            go.countDown();
            closer.join(BOUND.toMillis());
            assertFalse(closer.isAlive());
            UsbDeviceHandle h = late.get(5, TimeUnit.SECONDS);
            assertFalse(h.isOpen(), "a handle opened during close survived libusb_exit");
            assertThrows(IllegalStateException.class, () -> h.controlIn(Rig.GET_STATUS, 2));
            assertThrows(IllegalStateException.class, () -> LabProbe.acquireTransfer(usb), "freed structs handed out");
        }
    }

    @Test
    void contextClosedWhileOpensRun_leavesNoHandleOpen() throws Exception {
        try (Gadget g = Gadget.builder().function("SourceSink", Map.of("pattern", "0")).maxSpeed("high-speed")
                .udc(0).bind()) {
            java.util.Random random = new java.util.Random(42);
            for (int i = 0; i < 40; i++) {
                UsbContext usb = UsbContext.create();
                UsbDevice dev = g.await(usb);
                List<UsbDeviceHandle> opened = java.util.Collections.synchronizedList(new ArrayList<>());
                Thread opener = Thread.ofPlatform().start(() -> {
                    try {
                        while (true) {
                            opened.add(dev.open());
                        }
                    } catch (IllegalStateException closed) {
                        // the context closed
                    }
                });
                Thread.sleep(random.nextInt(4));
                usb.close();
                opener.join(BOUND.toMillis());
                assertFalse(opener.isAlive());
                for (UsbDeviceHandle h : opened) {
                    assertFalse(h.isOpen(), "iteration " + i + ": a handle survived the context");
                }
            }
        }
    }
}
