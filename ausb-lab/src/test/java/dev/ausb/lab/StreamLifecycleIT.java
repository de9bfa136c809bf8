package dev.ausb.lab;

import static dev.ausb.lab.Rig.BUFLEN;
import static dev.ausb.lab.Rig.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbBuffer;
import dev.ausb.UsbContext;
import dev.ausb.UsbInStream;
import dev.ausb.UsbOutStream;
import dev.ausb.UsbStreamOptions;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult.Status;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Streams and buffers keep their promises at their edges: a kept buffer view throws instead of
 * reading freed memory, a stale close cannot give back a later buffer, an interrupted writer
 * does not spin, a blocked InputStream reader can be closed from another thread, and
 * reconfiguring cancels instead of reporting the device gone (lifecycle review C4, W13, H8, H9, W3, W8).
 */
@Timeout(120)
class StreamLifecycleIT {
    private static UsbContext usb;

    @BeforeAll
    static void context() {
        Lab.requireGuest();
        usb = UsbContext.newBuilder().deviceMemory(true).build(); // C4's crash was on usbfs device memory
    }

    @AfterAll
    static void close() {
        if (usb != null) {
            usb.close();
        }
    }

    @Test
    void aBufferViewKeptPastTheStream_throwsInsteadOfReadingFreedMemory() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            AtomicReference<MemorySegment> kept = new AtomicReference<>();
            AtomicReference<UsbBuffer> keptBuffer = new AtomicReference<>();
            CountDownLatch got = new CountDownLatch(1);
            UsbInStream s = r.in.stream(new UsbStreamOptions(4, BUFLEN), b -> { // device memory, as the context asks
                kept.set(b.segment());
                keptBuffer.set(b);
                got.countDown();
            });
            r.loop(bytes(BUFLEN, 1));
            assertTrue(got.await(10, TimeUnit.SECONDS));
            assertThrows(IllegalStateException.class, () -> keptBuffer.get().segment(),
                    "a handler's buffer outside its handler");
            s.close();
            // the stream munmapped its usbfs memory: this read would be a SIGSEGV, now it is an exception
            assertThrows(IllegalStateException.class, () -> kept.get().get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    @Test
    void aStaleCloseOfAnEarlierBuffer_doesNotGiveBackTheOneDeliveredAfterIt() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            BlockingQueue<UsbBuffer> items = new LinkedBlockingQueue<>();
            AtomicReference<Flow.Subscription> sub = new AtomicReference<>();
            r.in.publisher(new UsbStreamOptions(1, BUFLEN)).subscribe(new Flow.Subscriber<>() {
                public void onSubscribe(Flow.Subscription s) {
                    sub.set(s);
                }

                public void onNext(UsbBuffer b) {
                    items.add(b);
                }

                public void onError(Throwable t) {}

                public void onComplete() {}
            });
            for (int i = 0; i < 3; i++) {
                r.loop(bytes(100, i));
            }
            sub.get().request(1);
            UsbBuffer first = items.poll(10, TimeUnit.SECONDS);
            assertNotNull(first);
            first.close();
            sub.get().request(2);
            UsbBuffer second = items.poll(10, TimeUnit.SECONDS); // the same slot, delivered again
            assertNotNull(second);
            first.close(); // stale: must not give back the slot second occupies
            assertThrows(IllegalStateException.class, first::segment);
            assertNull(items.poll(500, TimeUnit.MILLISECONDS), "the only slot is held by the second buffer");
            assertArrayEquals(bytes(100, 1), second.toArray(), "the second buffer was overwritten");
            second.close();
            assertArrayEquals(bytes(100, 2), items.poll(10, TimeUnit.SECONDS).toArray());
            sub.get().cancel();
        }
    }

    @Test
    void aCancelFromOutsideTheStream_endsItWithAnError_notSilently() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            UsbInStream s = r.in.stream(new UsbStreamOptions(2, BUFLEN), b -> { });
            Thread.sleep(200); // its reads are in flight: Loopback has nothing to send
            dev.ausb.internal.LabProbe.cancelStreamTransfersFromOutside(usb);
            Throwable e = s.done().handle((v, x) -> x).get(5, TimeUnit.SECONDS);
            assertNotNull(e, "the stream ended as if closed by its owner");
            assertInstanceOf(IllegalStateException.class, e instanceof CompletionException c ? c.getCause() : e);
            s.close();
        }
    }

    @Test
    void anInterruptedWriterWaitingForTheDevice_parksInsteadOfSpinning() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            UsbOutStream out = r.out.stream(new UsbStreamOptions(2, BUFLEN));
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                Thread.currentThread().interrupt();
                try {
                    for (int i = 0; i < 1000; i++) {
                        out.write(bytes(BUFLEN, i)); // Loopback fills up, then the writer waits
                    }
                } catch (Throwable e) {
                    ended.set(e);
                }
            });
            Thread.sleep(1500);
            var threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getThreadCpuTime(writer.threadId());
            Thread.sleep(1000);
            long cpuMs = (threads.getThreadCpuTime(writer.threadId()) - cpu0) / 1_000_000;
            assertTrue(writer.isAlive(), "the writer should be waiting for the device");
            assertTrue(cpuMs < 300, "the waiting writer used " + cpuMs + " ms of CPU in 1 s");
            r.handle.close(); // ends the stream: the writer wakes with the failure
            writer.join(10_000);
            assertFalse(writer.isAlive());
            assertNotNull(ended.get());
        }
    }

    @Test
    void anInputStreamReaderBlockedOnAQuietEndpoint_isFreedByCloseFromAnotherThread() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            InputStream is = r.in.inputStream(new UsbStreamOptions(2, BUFLEN));
            AtomicReference<Throwable> readEnd = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    is.read();
                } catch (Throwable e) {
                    readEnd.set(e);
                }
                done.countDown();
            });
            Thread.sleep(300);
            assertTrue(reader.isAlive());
            assertTimeoutPreemptively(Duration.ofSeconds(2), is::close);
            assertTrue(done.await(2, TimeUnit.SECONDS), "the blocked read did not end");
            assertInstanceOf(IOException.class, readEnd.get());
        }
    }

    @Test
    void selectingAnAlternateSetting_cancelsPendingReads_insteadOfReportingTheDeviceGone() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            UsbTransferFuture<byte[]> p = r.in.read(BUFLEN);
            Thread.sleep(100);
            r.itf.selectAlternateSetting(0);
            assertThrows(CancellationException.class, p::join);
            assertEquals(Status.CANCELLED, p.reaped().get(5, TimeUnit.SECONDS).status());
            assertSame(r.in, TransfersIT.inOf(r.itf), "the same alternate setting keeps its endpoint handles");
            UsbTransferFuture<byte[]> q = TransfersIT.inOf(r.itf).read(BUFLEN);
            TransfersIT.outOf(r.itf).write(bytes(30, 1)).get(5, TimeUnit.SECONDS);
            assertArrayEquals(bytes(30, 1), q.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void anOutStreamWithZeroLengthPackets_endsOnlyItsLastTransferWithOne() throws Exception {
        FfsFunction f = FfsFunction.builder()
                .descriptors(FfsFunction.Desc.iface(0, 0, 1, 0xff, 0, 0, 1), FfsFunction.Desc.bulk(0x01, 64))
                .highSpeed(FfsFunction.Desc.iface(0, 0, 1, 0xff, 0, 0, 1), FfsFunction.Desc.bulk(0x01, 512))
                .strings("Sink").build();
        try (Gadget g = Gadget.builder().productId(0x5c30).strings("Lab", "Sink").functionFs(f).maxSpeed("high-speed")
                .udc(0).bind(); var h = g.await(usb).open(); var itf = h.claimInterface(0)) {
            f.awaitEnabled();
            var out = TransfersIT.outOf(itf);
            out.setZeroLengthPacket(true);
            var first = f.receive(1, 16384);
            try (UsbOutStream s = out.stream(new UsbStreamOptions(2, 1024))) {
                s.write(bytes(4096, 3)); // four full 1024-byte transfers: no message boundary among them
            } // close: the zero-length packet that ends the message
            assertArrayEquals(bytes(4096, 3), first.get(10, TimeUnit.SECONDS),
                    "the device's read must end at the ZLP after 4096 bytes, not after each transfer");
        }
    }

    @Test
    void outStreams_takeWholePackets_andAStreamOwnsItsEndpoint() throws Exception {
        try (Rig r = Rig.loopback(usb, 1)) {
            assertThrows(IllegalArgumentException.class, () -> r.out.stream(new UsbStreamOptions(2, 1000)),
                    "a full buffer would end in a short packet");
            try (UsbOutStream s = r.out.stream(new UsbStreamOptions(2, 1024))) {
                assertThrows(IllegalStateException.class, () -> r.out.write(new byte[8]), "two owners");
                assertThrows(IllegalStateException.class, () -> r.out.stream(new UsbStreamOptions(2, 1024)));
                s.write(bytes(100, 1));
            }
            UsbTransferFuture<byte[]> f = r.in.read(BUFLEN);
            assertArrayEquals(bytes(100, 1), f.get(5, TimeUnit.SECONDS));
            assertEquals(4, r.out.write(new byte[4]).get(5, TimeUnit.SECONDS), "the endpoint is free again");
        }
    }
}
