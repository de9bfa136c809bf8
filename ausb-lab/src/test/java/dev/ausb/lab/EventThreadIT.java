package dev.ausb.lab;

import static dev.ausb.lab.Rig.BUFLEN;
import static dev.ausb.lab.Rig.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbInStream;
import dev.ausb.UsbOutStream;
import dev.ausb.UsbStreamOptions;
import dev.ausb.UsbTransferFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event thread is never wedged: a blocking call made on it fails at once instead of
 * deadlocking the context, a stray interrupt does not stop it, and an inline stream closes while
 * its handler runs (lifecycle review H7, H10, H3).
 */
@Timeout(120)
class EventThreadIT {
    @BeforeAll
    static void guest() {
        Lab.requireGuest();
    }

    @Test
    void blockingCallsOnTheEventThread_failAtOnce_andTheContextKeepsWorking() throws Exception {
        try (UsbContext usb = UsbContext.newBuilder().completeOnEventThread().build(); Rig r = Rig.loopback(usb, 1)) {
            List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicReference<UsbTransferFuture<byte[]>> pending = new AtomicReference<>();
            CompletableFuture<Void> c = r.in.read(BUFLEN).thenRun(() -> {
                UsbTransferFuture<byte[]> never = pending.get();
                List<Runnable> calls = List.of(
                        () -> r.handle.readStrings(),
                        () -> r.handle.readBos(),
                        never::join,
                        () -> never.thenApply(b -> b.length).join(),
                        () -> never.reaped().join(),
                        () -> r.handle.controlIn(Rig.GET_STATUS, 2).join(),
                        () -> r.itf.selectAlternateSetting(0), // fails before it raises its flag (third review)
                        // a wait for a device no one plugs: the hotplug events it needs come on this thread,
                        // so it (and a stage of it) must fail at once, not hang until its 30 s are up
                        () -> usb.awaitDevice(dev.ausb.UsbDeviceFilter.of(0x1a0a, 0x7e7e), java.time.Duration.ofSeconds(30)).await(),
                        () -> usb.awaitDevice(dev.ausb.UsbDeviceFilter.of(0x1a0a, 0x7e7e), java.time.Duration.ofSeconds(30))
                                .thenApply(d -> d).join());
                for (Runnable call : calls) {
                    try {
                        call.run();
                        failures.add("returned");
                    } catch (IllegalStateException e) {
                        failures.add(e.getMessage().contains("event thread") ? "ok" : e.getMessage());
                    } catch (Throwable e) {
                        failures.add(e.toString());
                    }
                }
            });
            UsbTransferFuture<byte[]> never = r.in.read(BUFLEN); // behind the first read: it gets nothing
            pending.set(never);
            r.loop(new byte[] {42}); // completes the first read, on the event thread
            c.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok"), failures);
            // the context still completes transfers, and the interface was not left switching
            assertEquals(2, r.handle.controlIn(Rig.GET_STATUS, 2).get(5, TimeUnit.SECONDS).length);
            r.out.write(new byte[] {7}).get(5, TimeUnit.SECONDS);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {7}, never.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void anOutStreamWriteThatWouldWaitOnTheEventThread_failsAtOnce_andItsCloseThereReturns() throws Exception {
        try (UsbContext usb = UsbContext.newBuilder().completeOnEventThread().build(); Rig r = Rig.loopback(usb, 1)) {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            AtomicReference<UsbOutStream> stream = new AtomicReference<>();
            CompletableFuture<Void> c = r.onEventThread(() -> {
                UsbOutStream out = r.out.stream(new UsbStreamOptions(1, 512));
                stream.set(out);
                try {
                    for (int i = 0; i < 200; i++) {
                        out.write(bytes(512, i)); // the first full buffer is in flight: the next write would wait
                    }
                } catch (Throwable e) {
                    seen.set(e);
                }
                out.close(); // on the event thread: the drain goes on on a helper thread
            });
            c.get(10, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, seen.get());
            assertTrue(seen.get().getMessage().contains("event thread"), seen.get().getMessage());
            // the helper drains (the loop has room) and gives the endpoint back
            long deadline = System.nanoTime() + 10_000_000_000L;
            UsbOutStream again = null;
            while (again == null && System.nanoTime() < deadline) {
                try {
                    again = r.out.stream(new UsbStreamOptions(1, 512));
                } catch (IllegalStateException stillOwned) {
                    Thread.sleep(20);
                }
            }
            assertTrue(again != null, "the stream closed on the event thread never let its endpoint go");
            again.close();
        }
    }

    @Test
    void aStrayInterruptLeftOnTheEventThread_doesNotStopIt() throws Exception {
        try (UsbContext usb = UsbContext.newBuilder().completeOnEventThread().build(); Rig r = Rig.loopback(usb, 1)) {
            for (int i = 0; i < 3; i++) {
                r.onEventThread(() -> Thread.currentThread().interrupt()).get(5, TimeUnit.SECONDS);
            }
            AtomicInteger interruptedSeen = new AtomicInteger();
            r.onEventThread(() -> {
                if (Thread.currentThread().isInterrupted()) {
                    interruptedSeen.incrementAndGet();
                }
            }).get(5, TimeUnit.SECONDS);
            UsbTransferFuture<byte[]> f = r.in.read(BUFLEN);
            r.loop(bytes(40, 1));
            assertArrayEquals(bytes(40, 1), f.get(5, TimeUnit.SECONDS));
            assertEquals(0, interruptedSeen.get(), "the event loop clears a stray interrupt between callbacks");
        }
    }

    @Test
    void inlineStreamClosedWhileItsHandlerRuns_closesWithoutWaitingForMoreData() throws Exception {
        try (UsbContext usb = UsbContext.newBuilder().completeOnEventThread().build(); Rig r = Rig.loopback(usb, 1)) {
            CountDownLatch inHandler = new CountDownLatch(1);
            AtomicInteger calls = new AtomicInteger();
            UsbInStream s = r.in.stream(new UsbStreamOptions(2, BUFLEN), b -> {
                calls.incrementAndGet();
                inHandler.countDown();
                try {
                    Thread.sleep(300); // the close below runs now, between this callback and its resubmit
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            r.loop(bytes(64, 2)); // one packet; the loop then stays silent
            assertTrue(inHandler.await(10, TimeUnit.SECONDS));
            assertTimeoutPreemptively(Duration.ofSeconds(5), s::close);
            assertTrue(s.done().isDone());
            assertEquals(1, calls.get());
            assertTimeoutPreemptively(Duration.ofSeconds(5), r.handle::close);
        }
    }
}
