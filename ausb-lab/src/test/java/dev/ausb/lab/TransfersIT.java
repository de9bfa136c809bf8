package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbControlRequest.Recipient;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOutEndpoint;
import dev.ausb.UsbStallException;
import dev.ausb.UsbTimeoutException;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Control, bulk IN and OUT transfers against SourceSink (pattern 1: byte i of each packet is
 * i % 63, and its sink stalls on a byte that breaks the pattern) and Loopback (what is
 * written comes back; its IN endpoint has nothing to send until then).
 */
@Timeout(120)
class TransfersIT {
    static final int BUFLEN = 4096;
    private static UsbContext usb;
    private static Gadget sourceSink;
    private static Gadget loopback;

    @BeforeAll
    static void plug() {
        Lab.requireGuest();
        usb = UsbContext.create();
        sourceSink = Gadget.builder().function("SourceSink", Map.of("pattern", "1", "bulk_buflen", "" + BUFLEN))
                .maxSpeed("high-speed").udc(0).bind();
        loopback = Gadget.builder().productId(0x100b).strings("Lab", "Loopback")
                .function("Loopback", Map.of("bulk_buflen", "" + BUFLEN)).maxSpeed("high-speed").udc(1).bind();
        sourceSink.await(usb);
        loopback.await(usb);
    }

    @AfterAll
    static void unplug() {
        usb.close();
        sourceSink.close();
        loopback.close();
    }

    /** SourceSink's pattern 1 at high speed: byte i of each 512-byte packet is i % 63. */
    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ((i % 512) % 63);
        }
        return b;
    }

    static UsbInEndpoint inOf(UsbInterfaceHandle itf) {
        return itf.inEndpoint(itf.endpoints().stream().filter(e -> e.direction() == dev.ausb.UsbDirection.IN)
                .findFirst().orElseThrow().address());
    }

    static UsbOutEndpoint outOf(UsbInterfaceHandle itf) {
        return itf.outEndpoint(itf.endpoints().stream().filter(e -> e.direction() == dev.ausb.UsbDirection.OUT)
                .findFirst().orElseThrow().address());
    }

    static Throwable failure(UsbTransferFuture<?> f) {
        CompletionException e = assertThrows(CompletionException.class, f::join);
        return e.getCause();
    }

    @Test
    void bulkIn_fromSourceSink_carriesItsPattern_intoArraysBuffersAndSegments() throws Exception {
        try (UsbDeviceHandle h = sourceSink.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            UsbInEndpoint in = itf.inEndpoint(0x81);
            assertArrayEquals(pattern(BUFLEN), in.read(BUFLEN).get(10, TimeUnit.SECONDS));
            assertArrayEquals(pattern(4 * BUFLEN), in.read(4 * BUFLEN).get(10, TimeUnit.SECONDS));

            ByteBuffer heap = ByteBuffer.allocate(BUFLEN + 100).position(100);
            assertEquals(BUFLEN, in.read(heap).get(10, TimeUnit.SECONDS));
            assertEquals(BUFLEN + 100, heap.position());
            assertArrayEquals(pattern(BUFLEN), java.util.Arrays.copyOfRange(heap.array(), 100, BUFLEN + 100));

            ByteBuffer direct = ByteBuffer.allocateDirect(BUFLEN);
            assertEquals(BUFLEN, in.read(direct).get(10, TimeUnit.SECONDS));
            byte[] got = new byte[BUFLEN];
            direct.flip().get(got);
            assertArrayEquals(pattern(BUFLEN), got);

            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = arena.allocate(2 * BUFLEN);
                UsbTransferFuture<Integer> f = in.read(seg);
                assertEquals(2 * BUFLEN, f.get(10, TimeUnit.SECONDS));
                assertEquals(UsbTransferResult.Status.COMPLETED, f.reaped().get(1, TimeUnit.SECONDS).status());
                assertArrayEquals(pattern(2 * BUFLEN), seg.toArray(ValueLayout.JAVA_BYTE));
            }
            assertThrows(IllegalArgumentException.class, () -> in.read(ByteBuffer.allocate(8).asReadOnlyBuffer()));
            assertThrows(IllegalArgumentException.class, () -> in.read(-1));
            assertThrows(IllegalArgumentException.class, () -> in.read(MemorySegment.ofArray(new byte[8])));
            assertThrows(NullPointerException.class, () -> in.read((ByteBuffer) null));
        }
    }

    @Test
    void bulkOut_toSourceSink_isAcceptedWhenItKeepsThePattern_andStallsWhenNot() throws Exception {
        try (UsbDeviceHandle h = sourceSink.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            UsbOutEndpoint out = itf.outEndpoint(0x02);
            assertEquals(BUFLEN, out.write(pattern(BUFLEN)).get(10, TimeUnit.SECONDS));
            ByteBuffer src = ByteBuffer.allocateDirect(BUFLEN).put(pattern(BUFLEN)).flip();
            assertEquals(BUFLEN, out.write(src).get(10, TimeUnit.SECONDS));
            assertEquals(BUFLEN, src.position());

            byte[] wrong = pattern(BUFLEN);
            wrong[10] ^= 0x55;
            // the sink checks a request when it has received it, then halts: the next transfer stalls
            Throwable t;
            try {
                out.write(wrong, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
                t = failure(out.write(pattern(BUFLEN), Duration.ofSeconds(5)));
            } catch (java.util.concurrent.ExecutionException e) {
                t = e.getCause();
            }
            assertInstanceOf(UsbStallException.class, t);
            assertTrue(t.getMessage().contains("bulk OUT 0x02 of 1a0a:badd"), t.getMessage());
            out.clearHalt();
            assertEquals(BUFLEN, out.write(pattern(BUFLEN)).get(10, TimeUnit.SECONDS));
            assertThrows(IllegalArgumentException.class, () -> itf.inEndpoint(0x02), "an OUT endpoint read");
            assertThrows(IllegalArgumentException.class, () -> itf.outEndpoint(0x81), "an IN endpoint written");
            assertThrows(IllegalArgumentException.class, () -> itf.outEndpoint(0x05), "no such endpoint");
        }
    }

    @Test
    void vendorControlRequests_roundTripSourceSinksBuffer() throws Exception {
        try (UsbDeviceHandle h = sourceSink.await(usb).open()) {
            byte[] data = new byte[256];
            new java.util.Random(5).nextBytes(data);
            var write = UsbControlRequest.vendor(Recipient.DEVICE, 0x5b, 0, 0);
            var read = UsbControlRequest.vendor(Recipient.DEVICE, 0x5c, 0, 0);
            assertEquals(256, h.controlOut(write, data).get(5, TimeUnit.SECONDS));
            assertArrayEquals(data, h.controlIn(read, 256).get(5, TimeUnit.SECONDS));
            // a standard request through the generic call: GET_DESCRIPTOR(DEVICE)
            byte[] dd = h.controlIn(UsbControlRequest.standard(Recipient.DEVICE, UsbControlRequest.GET_DESCRIPTOR,
                    0x0100, 0), 18).get(5, TimeUnit.SECONDS);
            assertEquals(18, dd.length);
            assertEquals(0x0a, dd[8] & 0xff);
            assertEquals(0x1a, dd[9] & 0xff);
            // an unknown vendor request stalls
            assertInstanceOf(UsbStallException.class,
                    failure(h.controlIn(UsbControlRequest.vendor(Recipient.DEVICE, 0x7e, 0, 0), 8)));
            assertThrows(IllegalArgumentException.class, () -> h.controlIn(read, 70000));
            assertThrows(IllegalArgumentException.class, () -> new UsbControlRequest(0x80, 0, 0, 0));
        }
    }

    @Test
    void endpointHalt_setFeatureStallsTransfers_clearHaltRecovers() throws Exception {
        try (UsbDeviceHandle h = sourceSink.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            UsbInEndpoint in = itf.inEndpoint(0x81);
            assertEquals(BUFLEN, in.read(BUFLEN).get(10, TimeUnit.SECONDS).length);
            h.setFeature(Recipient.ENDPOINT, UsbControlRequest.ENDPOINT_HALT, 0x81).get(5, TimeUnit.SECONDS);
            assertEquals(1, h.getStatus(Recipient.ENDPOINT, 0x81).get(5, TimeUnit.SECONDS) & 1, "halted");
            Throwable t = failure(in.read(BUFLEN));
            assertInstanceOf(UsbStallException.class, t);
            assertEquals("LIBUSB_TRANSFER_STALL", ((UsbStallException) t).errorName());
            in.clearHalt();
            assertEquals(0, h.getStatus(Recipient.ENDPOINT, 0x81).get(5, TimeUnit.SECONDS) & 1, "not halted");
            assertArrayEquals(pattern(BUFLEN), in.read(BUFLEN).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void loopback_roundTripsManySizes_includingMaxPacketMultiplesAndZeroLengthPackets() throws Exception {
        try (UsbDeviceHandle h = loopback.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            UsbOutEndpoint out = outOf(itf);
            UsbInEndpoint in = inOf(itf);
            java.util.Random rnd = new java.util.Random(1);
            for (int size : new int[] {1, 63, 64, 511, 512, 513, 1000, 1024, 2047, 3584, 4095, 4096}) {
                byte[] data = new byte[size];
                rnd.nextBytes(data);
                // a multiple of the packet size below the gadget's buffer ends only with a zero-length packet
                out.setZeroLengthPacket(size % 512 == 0 && size < BUFLEN);
                UsbTransferFuture<byte[]> echo = in.read(BUFLEN, Duration.ofSeconds(10));
                assertEquals(size, out.write(data).get(10, TimeUnit.SECONDS), "written " + size);
                assertArrayEquals(data, echo.get(10, TimeUnit.SECONDS), "echo of " + size);
            }
        }
    }

    @Test
    void pendingRead_cancelledOrTimedOut_reachesTheKernel_andTheEndpointWorksAfterwards() throws Exception {
        try (UsbDeviceHandle h = loopback.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            UsbInEndpoint in = inOf(itf);
            UsbOutEndpoint out = outOf(itf);

            UsbTransferFuture<byte[]> pending = in.read(BUFLEN);
            Thread.sleep(100);
            assertFalse(pending.isDone(), "nothing to read");
            assertTrue(pending.cancel(true));
            assertThrows(CancellationException.class, pending::join);
            UsbTransferResult r = pending.reaped().get(5, TimeUnit.SECONDS);
            assertEquals(UsbTransferResult.Status.CANCELLED, r.status());
            assertEquals(0, r.bytesTransferred());

            // orTimeout on a derived stage cancels the transfer itself
            var derived = in.read(BUFLEN).thenApply(b -> b.length).orTimeout(200, TimeUnit.MILLISECONDS);
            assertInstanceOf(TimeoutException.class, assertThrows(CompletionException.class, derived::join).getCause());
            assertEquals(UsbTransferResult.Status.CANCELLED,
                    ((UsbTransferFuture<?>) derived).reaped().get(5, TimeUnit.SECONDS).status());

            // libusb's own timeout: a typed error with the byte count
            Throwable t = failure(in.read(BUFLEN, Duration.ofMillis(150)));
            assertInstanceOf(UsbTimeoutException.class, t);
            assertEquals(0, ((UsbTimeoutException) t).bytesTransferred());

            // the endpoint still works, and nothing cancelled stole the data
            byte[] data = pattern(100);
            UsbTransferFuture<byte[]> echo = in.read(BUFLEN);
            out.write(data).get(10, TimeUnit.SECONDS);
            assertArrayEquals(data, echo.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aThousandCancelsInARow_leakNothing() throws Exception {
        try (UsbDeviceHandle h = loopback.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            UsbInEndpoint in = inOf(itf);
            for (int i = 0; i < 1000; i++) {
                UsbTransferFuture<byte[]> f = in.read(512);
                f.cancel(true);
                assertEquals(UsbTransferResult.Status.CANCELLED, f.reaped().get(5, TimeUnit.SECONDS).status(), "#" + i);
            }
            dev.ausb.internal.LabProbe.assertNoLeak(usb, h, 8);
        }
    }

    @Test
    void slowContinuation_doesNotDelayOtherTransfers_andNeverRunsOnTheEventThread() throws Exception {
        try (UsbDeviceHandle lb = loopback.await(usb).open(); UsbInterfaceHandle lbItf = lb.claimInterface(0);
                UsbDeviceHandle h = sourceSink.await(usb).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            var ranOn = new java.util.concurrent.CompletableFuture<String>();
            var release = new java.util.concurrent.CountDownLatch(1);
            // registered while the read is pending, so it runs where ausb completes the future
            var blocked = inOf(lbItf).read(BUFLEN).thenApply(b -> {
                ranOn.complete(Thread.currentThread().getName());
                try {
                    release.await(60, TimeUnit.SECONDS); // a continuation that blocks until the test is done
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return b;
            });
            outOf(lbItf).write(pattern(10)).get(10, TimeUnit.SECONDS);
            assertNotEquals("ausb-events", ranOn.get(10, TimeUnit.SECONDS));
            assertNotEquals(Thread.currentThread().getName(), ranOn.get());
            UsbInEndpoint in = itf.inEndpoint(0x81);
            for (int i = 0; i < 10; i++) {
                assertEquals(BUFLEN, in.read(BUFLEN).get(10, TimeUnit.SECONDS).length, "read " + i);
            }
            assertFalse(blocked.isDone(), "all 10 reads completed while the continuation was still blocked");
            release.countDown();
            blocked.get(10, TimeUnit.SECONDS);
        }
        try (UsbContext fast = UsbContext.newBuilder().completeOnEventThread().build();
                UsbDeviceHandle h = loopback.await(fast).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            // registered before the data exists, so the continuation runs where the future completes
            var thread = inOf(itf).read(BUFLEN).thenApply(b -> Thread.currentThread().getName());
            outOf(itf).write(pattern(10)).get(10, TimeUnit.SECONDS);
            assertEquals("ausb-events", thread.get(10, TimeUnit.SECONDS), "the opt-in completes on the event thread");
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
