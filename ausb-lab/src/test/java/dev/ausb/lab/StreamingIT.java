package dev.ausb.lab;

import static dev.ausb.lab.TransfersIT.inOf;
import static dev.ausb.lab.TransfersIT.outOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbBuffer;
import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbInStream;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOutStream;
import dev.ausb.UsbStallException;
import dev.ausb.UsbStreamOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streams with many transfers in flight: order and content, backpressure, errors, unplug, close, leaks. */
@Timeout(180)
class StreamingIT {
    static final int BUFLEN = 4096;
    private static UsbContext usb;

    @BeforeAll
    static void open() {
        Lab.requireGuest();
        usb = UsbContext.create();
    }

    @AfterAll
    static void close() {
        usb.close();
    }

    private static Gadget sourceSink() {
        return Gadget.builder().function("SourceSink", Map.of("pattern", "1", "bulk_buflen", "" + BUFLEN))
                .maxSpeed("high-speed").udc(0).bind();
    }

    private static Gadget loopback() {
        return Gadget.builder().productId(0x100b).strings("Lab", "Loopback")
                .function("Loopback", Map.of("bulk_buflen", "" + BUFLEN, "qlen", "32")).maxSpeed("high-speed")
                .udc(1).bind();
    }

    /** Checks SourceSink's pattern: byte i of each 512-byte packet is i % 63. */
    private static boolean patterned(UsbBuffer b) {
        for (int i = 0; i < b.length(); i++) {
            if (b.segment().get(ValueLayout.JAVA_BYTE, i) != (byte) ((i % 512) % 63)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void handlerStream_deliversEveryBufferInOrderWithTheDevicesData() throws Exception {
        try (Gadget g = sourceSink(); UsbDeviceHandle h = g.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            AtomicLong expected = new AtomicLong();
            AtomicInteger bad = new AtomicInteger();
            CompletableFuture<Void> enough = new CompletableFuture<>();
            UsbInStream s = itf.inEndpoint(0x81).stream(new UsbStreamOptions(8, 16384), b -> {
                if (b.sequence() != expected.getAndIncrement() || b.length() != 16384 || !patterned(b)) {
                    bad.incrementAndGet();
                }
                if (b.sequence() == 300) {
                    enough.complete(null);
                }
            });
            enough.get(60, TimeUnit.SECONDS);
            s.close();
            long after = s.transfersDelivered();
            Thread.sleep(200);
            assertEquals(after, s.transfersDelivered(), "no delivery after close() returned");
            assertNull(s.done().get(5, TimeUnit.SECONDS));
            assertEquals(0, bad.get(), "buffers out of order or with wrong data");
            assertTrue(s.bytesDelivered() >= 301L * 16384);
            assertThrows(IllegalArgumentException.class,
                    () -> itf.inEndpoint(0x81).stream(new UsbStreamOptions(4, 1000), b -> { }), "not whole packets");
            dev.ausb.internal.LabProbe.assertNoLeak(usb, h, 64);
        }
    }

    @Test
    void handlerStream_onAnEventThreadContext_runsInTheCallbackInOrder() throws Exception {
        try (UsbContext fast = UsbContext.newBuilder().completeOnEventThread().build(); Gadget g = sourceSink();
                UsbDeviceHandle h = g.await(fast).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            AtomicLong expected = new AtomicLong();
            AtomicInteger bad = new AtomicInteger();
            AtomicReference<String> thread = new AtomicReference<>();
            CompletableFuture<Void> enough = new CompletableFuture<>();
            UsbInStream s = itf.inEndpoint(0x81).stream(new UsbStreamOptions(8, 16384), b -> {
                thread.set(Thread.currentThread().getName());
                if (b.sequence() != expected.getAndIncrement() || !patterned(b)) {
                    bad.incrementAndGet();
                }
                if (b.sequence() == 200) {
                    enough.complete(null);
                }
            });
            enough.get(60, TimeUnit.SECONDS);
            s.close();
            assertNull(s.done().get(5, TimeUnit.SECONDS));
            assertEquals(0, bad.get());
            assertEquals("ausb-events", thread.get(), "the opt-in runs the handler in libusb's callback");
            dev.ausb.internal.LabProbe.assertNoLeak(fast, h, 64);
        }
    }

    @Test
    void publisher_slowSubscriber_losesNothing_andNeverHasMoreInFlightThanItsDemand() throws Exception {
        try (Gadget g = loopback(); UsbDeviceHandle h = g.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            int chunks = 40;
            List<Integer> received = new CopyOnWriteArrayList<>();
            AtomicLong requested = new AtomicLong();
            AtomicLong maxAhead = new AtomicLong();
            CompletableFuture<Void> all = new CompletableFuture<>();
            AtomicReference<Flow.Subscription> sub = new AtomicReference<>();
            inOf(itf).publisher(new UsbStreamOptions(8, BUFLEN)).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    sub.set(s);
                    requested.incrementAndGet();
                    s.request(1);
                }

                @Override
                public void onNext(UsbBuffer b) {
                    maxAhead.accumulateAndGet(received.size() + 1 - requested.get(), Math::max);
                    received.add(b.segment().get(ValueLayout.JAVA_INT_UNALIGNED, 0));
                    b.close();
                    TransfersIT.sleep(20); // a slow subscriber
                    if (received.size() == chunks) {
                        all.complete(null);
                        sub.get().cancel();
                    } else {
                        requested.incrementAndGet();
                        sub.get().request(1);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    all.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                    all.completeExceptionally(new AssertionError("unexpected completion"));
                }
            });
            try (UsbOutStream out = outOf(itf).stream(new UsbStreamOptions(4, 512))) { // whole packets; flush sends each 64-byte chunk
                for (int i = 0; i < chunks; i++) {
                    byte[] chunk = new byte[64];
                    java.nio.ByteBuffer.wrap(chunk).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(i);
                    out.write(chunk);
                    out.flush();
                }
            }
            all.get(60, TimeUnit.SECONDS);
            List<Integer> want = new ArrayList<>();
            for (int i = 0; i < chunks; i++) {
                want.add(i);
            }
            assertEquals(want, received, "every chunk, once, in order");
            assertTrue(maxAhead.get() <= 0, "delivered beyond demand: " + maxAhead.get());
        }
    }

    @Test
    void inputAndOutputStreams_roundTripAMegabyteThroughLoopback() throws Exception {
        try (Gadget g = loopback(); UsbDeviceHandle h = g.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            byte[] data = new byte[1 << 20];
            new java.util.Random(3).nextBytes(data);
            byte[] back = new byte[data.length];
            try (InputStream in = inOf(itf).inputStream(new UsbStreamOptions(8, BUFLEN))) {
                Thread writer = Thread.ofPlatform().start(() -> {
                    try (OutputStream out = outOf(itf).outputStream(new UsbStreamOptions(4, BUFLEN))) {
                        for (int off = 0; off < data.length; off += 10_000) {
                            out.write(data, off, Math.min(10_000, data.length - off));
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                int n = 0;
                while (n < back.length) {
                    int k = in.read(back, n, back.length - n);
                    assertTrue(k > 0, "read " + k + " at " + n);
                    n += k;
                }
                assertTrue(writer.join(java.time.Duration.ofSeconds(30)));
            }
            assertArrayEquals(data, back);
        }
    }

    @Test
    void stallMidStream_endsItWithOneTypedError() throws Exception {
        try (Gadget g = sourceSink(); UsbDeviceHandle h = g.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            CompletableFuture<Void> started = new CompletableFuture<>();
            UsbInStream s = itf.inEndpoint(0x81).stream(new UsbStreamOptions(4, 16384), b -> started.complete(null));
            started.get(30, TimeUnit.SECONDS);
            h.setFeature(UsbControlRequest.Recipient.ENDPOINT, UsbControlRequest.ENDPOINT_HALT, 0x81).get(5, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> s.done().get(10, TimeUnit.SECONDS));
            assertInstanceOf(UsbStallException.class, e.getCause());
            s.close(); // harmless after the end
            dev.ausb.internal.LabProbe.assertNoLeak(usb, h, 64);
        }
    }

    @Test
    void unplugMidStream_signalsDeviceGoneOnce_andHandleCloseEndsOtherStreams() throws Exception {
        try (Gadget g = loopback()) {
            UsbDeviceHandle h = g.await(usb).open();
            UsbInterfaceHandle itf = h.claimInterface(0);
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            AtomicInteger completes = new AtomicInteger();
            CompletableFuture<Void> terminal = new CompletableFuture<>();
            inOf(itf).publisher(new UsbStreamOptions(8, BUFLEN)).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(UsbBuffer b) {
                    b.close();
                }

                @Override
                public void onError(Throwable t) {
                    errors.add(t);
                    terminal.complete(null);
                }

                @Override
                public void onComplete() {
                    completes.incrementAndGet();
                    terminal.complete(null);
                }
            });
            Thread.sleep(200);
            g.unplug();
            terminal.get(5, TimeUnit.SECONDS);
            Thread.sleep(200);
            assertEquals(1, errors.size(), "one terminal signal: " + errors);
            assertEquals(0, completes.get());
            assertInstanceOf(UsbDeviceGoneException.class, errors.getFirst());
            h.close();
        }
        try (Gadget g = sourceSink()) {
            UsbDeviceHandle h = g.await(usb).open();
            UsbInStream s = h.claimInterface(0).inEndpoint(0x81).stream(new UsbStreamOptions(4, 16384), b -> { });
            Thread.sleep(200);
            h.close();
            assertTrue(s.done().isDone(), "closing the handle ended its stream first");
            assertInstanceOf(IllegalStateException.class,
                    assertThrows(ExecutionException.class, () -> s.done().get()).getCause());
        }
    }

    @Test
    void outStream_keepsTransfersInFlight_andReportsAStallOnTheNextCall() throws Exception {
        try (Gadget g = sourceSink(); UsbDeviceHandle h = g.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            byte[] pattern = new byte[BUFLEN];
            for (int i = 0; i < BUFLEN; i++) {
                pattern[i] = (byte) ((i % 512) % 63);
            }
            try (UsbOutStream out = itf.outEndpoint(0x02).stream(new UsbStreamOptions(8, BUFLEN))) {
                for (int i = 0; i < 256; i++) {
                    out.write(pattern);
                }
                out.drain();
                assertEquals(256L * BUFLEN, out.bytesWritten());
                byte[] wrong = pattern.clone();
                wrong[3] ^= 1;
                out.write(wrong);
                UsbStallException stall = assertThrows(UsbStallException.class, () -> {
                    for (int i = 0; i < 16; i++) {
                        out.write(pattern);
                        out.drain();
                    }
                });
                assertTrue(stall.getMessage().contains("0x02"), stall.getMessage());
            } catch (UsbStallException expectedOnClose) {
                // close reports the same failure again
            }
            itf.outEndpoint(0x02).clearHalt();
        }
    }

    @Test
    void longRun_steadyStateAllocatesAlmostNothingPerTransfer_andLeaksNothing() throws Exception {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Gadget g = sourceSink(); UsbDeviceHandle h = g.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            AtomicLong count = new AtomicLong();
            AtomicLong streamThread = new AtomicLong();
            UsbInStream s = itf.inEndpoint(0x81).stream(new UsbStreamOptions(8, 16384), b -> {
                streamThread.set(Thread.currentThread().threadId());
                count.incrementAndGet();
            });
            while (count.get() < 500) {
                Thread.sleep(20); // warm up
            }
            long events = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("ausb-events"))
                    .mapToLong(Thread::threadId).findFirst().orElseThrow();
            long a0 = mx.getThreadAllocatedBytes(streamThread.get()) + mx.getThreadAllocatedBytes(events);
            long c0 = count.get();
            while (count.get() < c0 + 2000) {
                Thread.sleep(20);
            }
            long a1 = mx.getThreadAllocatedBytes(streamThread.get()) + mx.getThreadAllocatedBytes(events);
            long c1 = count.get();
            s.close();
            double perTransfer = (double) (a1 - a0) / (c1 - c0);
            System.out.printf("steady state: %.1f bytes allocated per transfer over %d transfers%n", perTransfer, c1 - c0);
            assertTrue(perTransfer < 8, "allocated " + perTransfer + " bytes per transfer (target: none)");
            dev.ausb.internal.LabProbe.assertNoLeak(usb, h, 64);
        }
    }
}
