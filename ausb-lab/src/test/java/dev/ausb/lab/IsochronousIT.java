package dev.ausb.lab;

import static dev.ausb.lab.UsbipDeviceIT.VID;
import static dev.ausb.lab.UsbipDeviceIT.WAIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbInStream;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbIsoInEndpoint;
import dev.ausb.UsbIsoOutEndpoint;
import dev.ausb.UsbIsoPacket;
import dev.ausb.UsbIsoResult;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult;
import dev.ausb.UsbTransferResult.Status;
import dev.ausb.lab.usbip.Descriptors;
import dev.ausb.lab.usbip.Errno;
import dev.ausb.lab.usbip.Reply;
import dev.ausb.lab.usbip.Speed;
import dev.ausb.lab.usbip.Urb;
import dev.ausb.lab.usbip.UrbHandler;
import dev.ausb.lab.usbip.UsbipEvent.Unlinked;
import dev.ausb.lab.usbip.VirtualDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Isochronous transfers through ausb, against a device the test implements on the kernel's USB/IP
 * host controller (vhci_hcd carries isochronous URBs at every speed; dummy_hcd has none): packet
 * lengths, short packets and per-packet errors the device injects, OUT packets as the device
 * receives them, high-bandwidth packets, the size checks, and cancel and unplug on the common
 * lifecycle (the cancel seen by the device as an unlink).
 */
@Timeout(120)
class IsochronousIT {
    private static UsbContext usb;

    @BeforeAll
    static void context() {
        Lab.requireGuest();
        assertTrue(VirtualDevice.available(), "vhci_hcd is loaded by the lab's init");
        usb = UsbContext.create();
    }

    @AfterAll
    static void close() {
        if (usb != null) {
            usb.close();
        }
    }

    /** Interface 0: alt 0 without endpoints, alt 1 with isochronous IN 0x81 and OUT 0x02 of {@code wMaxPacketSize}. */
    static byte[] isoConfig(int wMaxPacketSize) {
        return UsbipDeviceIT.isoConfig(wMaxPacketSize);
    }

    static VirtualDevice.Builder isoDevice(int pid, Speed speed, int wMaxPacketSize, UrbHandler handler) {
        return VirtualDevice.builder()
                .device(Descriptors.device(VID, pid).usb(speed == Speed.FULL ? 0x0110 : 0x0200).strings(0, 1, 0))
                .configuration(isoConfig(wMaxPacketSize)).strings("iso " + speed).speed(speed).handler(handler);
    }

    /** Waits until libusb lists the virtual device, then opens it. */
    static UsbDeviceHandle open(VirtualDevice v, int pid) {
        return UsbipDeviceIT.find(usb, v, pid).open();
    }

    /** A device answering every isochronous URB as {@link UsbipDeviceIT#isoAnswer} does, attached. */
    static VirtualDevice answering(int pid, Speed speed, int wMaxPacketSize) {
        return isoDevice(pid, speed, wMaxPacketSize, urb -> urb.iso() ? UsbipDeviceIT.isoAnswer(urb) : Reply.standard())
                .attach();
    }

    static Throwable failureOf(UsbTransferFuture<?> f) throws Exception {
        return assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS)).getCause();
    }

    @ParameterizedTest
    @EnumSource(value = Speed.class, names = {"FULL", "HIGH"})
    void isoInAndOut_carryEachPacketWithItsLengthAndStatus_andAFailedPacketDoesNotFailTheTransfer(Speed speed)
            throws Exception {
        int pid = speed == Speed.FULL ? 0x7b01 : 0x7b02;
        int mps = speed == Speed.FULL ? 1023 : 1024;
        try (VirtualDevice v = answering(pid, speed, mps); UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            IllegalArgumentException noSuch = assertThrows(IllegalArgumentException.class, () -> itf.isoInEndpoint(0x81));
            assertTrue(noSuch.getMessage().contains("alternate setting 0"), noSuch.getMessage());
            itf.selectAlternateSetting(1);
            IllegalArgumentException notBulk = assertThrows(IllegalArgumentException.class, () -> itf.inEndpoint(0x81));
            assertTrue(notBulk.getMessage().contains("isoInEndpoint"), notBulk.getMessage());
            UsbIsoInEndpoint in = itf.isoInEndpoint(0x81);
            assertEquals(mps, in.maxPacketBytes());
            assertThrows(IllegalArgumentException.class, () -> in.read(8, mps + 1), "a packet above wMaxPacketSize");
            assertThrows(IllegalArgumentException.class, () -> in.read(0, 192));
            assertThrows(IllegalArgumentException.class, () -> in.read(UsbIsoInEndpoint.MAX_PACKETS + 1, 192));
            assertThrows(IllegalArgumentException.class, () -> itf.isoOutEndpoint(0x81), "0x81 is IN");

            // 8 packets of 192: the device fills packet k with (k + 1) * 10, the odd ones half, and fails packet 3
            UsbIsoResult r = in.read(8, 192).get(10, TimeUnit.SECONDS);
            assertEquals(8, r.packetCount());
            assertEquals(1, r.failedPackets());
            for (int k = 0; k < 8; k++) {
                UsbIsoPacket p = r.packet(k);
                assertEquals(k * 192, p.offset());
                assertEquals(192, p.length());
                if (k == 3) {
                    assertEquals(Status.ERROR, p.status(), "packet 3: -EPROTO from the device");
                    assertEquals(0, p.actualLength());
                    assertEquals(0, r.packetData(k).length);
                } else {
                    assertEquals(Status.COMPLETED, p.status(), "packet " + k);
                    byte[] expected = new byte[k % 2 == 0 ? 192 : 96];
                    java.util.Arrays.fill(expected, (byte) ((k + 1) * 10));
                    assertArrayEquals(expected, r.packetData(k), "packet " + k + "'s data, a short one included");
                }
            }
            assertEquals(4 * 192 + 3 * 96, r.bytesTransferred());
            Urb inUrb = v.awaitUrb(u -> u.iso() && u.in(), WAIT);
            assertEquals(8, inUrb.isoPackets().size());
            UsbTransferFuture<UsbIsoResult> again = in.read(new int[] {10, 20, 30});
            assertEquals(List.of(10, 10, 30), again.get(10, TimeUnit.SECONDS).packets().stream()
                    .map(UsbIsoPacket::actualLength).toList(), "lengths of their own: packet 1 half full, as the device answers odd packets");

            // OUT: 4 packets of 192 bytes, numbered; the device takes half of packet 1
            UsbIsoOutEndpoint out = itf.isoOutEndpoint(0x02);
            List<byte[]> packets = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                byte[] p = new byte[192];
                java.util.Arrays.fill(p, (byte) (k + 1));
                packets.add(p);
            }
            UsbIsoResult o = out.write(packets).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(192, 96, 192, 192), o.packets().stream().map(UsbIsoPacket::actualLength).toList());
            assertEquals(0, o.failedPackets());
            assertThrows(IllegalStateException.class, () -> o.packetData(0), "an OUT result holds no data");
            Urb outUrb = v.awaitUrb(u -> u.iso() && !u.in(), WAIT);
            byte[] sent = outUrb.outData();
            assertEquals(4 * 192, sent.length);
            for (int k = 0; k < 4; k++) {
                assertEquals(k + 1, sent[k * 192], "packet " + k + "'s first byte");
                assertEquals(k + 1, sent[k * 192 + 191], "packet " + k + "'s last byte");
            }
            assertThrows(IllegalArgumentException.class, () -> out.write(new byte[10], new int[] {4, 4}),
                    "lengths that do not add up");
            out.write(new byte[5], new int[] {0, 5}).get(10, TimeUnit.SECONDS);
            Urb zero = v.awaitUrb(u -> u.iso() && !u.in() && u.isoPackets().size() == 2, WAIT);
            assertEquals(List.of(0, 5), zero.isoPackets().stream().map(p -> p.length()).toList(),
                    "a 0-byte packet reaches the device as an interval with nothing to send");
            dev.ausb.internal.LabProbe.assertNoLeak(usb, h, 64);
            v.checkHealthy();
        }
    }

    @Test
    void aTransferOfMorePacketsThanAUrbHolds_comesBackWhole() throws Exception {
        // usbfs takes at most 128 packets per URB: libusb splits the transfer into several
        int pid = 0x7b09;
        try (VirtualDevice v = answering(pid, Speed.HIGH, 1024); UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            UsbIsoResult r = itf.isoInEndpoint(0x81).read(300, 8).get(20, TimeUnit.SECONDS);
            assertEquals(300, r.packetCount());
            int urbs = v.urbs(0x81).size();
            assertEquals(3, urbs, "300 packets in URBs of at most 128");
            for (int k = 0; k < 300; k++) {
                int inUrb = k % 128; // the device numbers packets within each URB
                UsbIsoPacket p = r.packet(k);
                assertEquals(k * 8, p.offset());
                if (inUrb == 3) {
                    assertEquals(Status.ERROR, p.status(), "packet " + k);
                } else {
                    assertEquals(inUrb % 2 == 0 ? 8 : 4, p.actualLength(), "packet " + k);
                    assertEquals((byte) ((inUrb + 1) * 10), r.packetData(k)[0], "packet " + k);
                }
            }
            v.checkHealthy();
        }
    }

    @Test
    void anIsoStream_completingOnTheEventThread_deliversInTheCallback() throws Exception {
        int pid = 0x7b0a;
        try (UsbContext inline = UsbContext.newBuilder().completeOnEventThread().build();
                VirtualDevice v = answering(pid, Speed.FULL, 1023)) {
            try (UsbDeviceHandle h = UsbipDeviceIT.find(inline, v, pid).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
                itf.selectAlternateSetting(1);
                List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
                java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(50);
                try (UsbInStream stream = itf.isoInEndpoint(0x81).stream(new dev.ausb.UsbIsoStreamOptions(3, 4, 64), b -> {
                    if (b.packet(3).status() != Status.ERROR || b.packet(1).actualLength() != 32
                            || b.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 64 + 32) != 0) {
                        wrong.add("#" + b.sequence() + ": " + b.packet(1) + " " + b.packet(3));
                    }
                    enough.countDown();
                })) {
                    assertTrue(enough.await(60, TimeUnit.SECONDS), "50 transfers: " + stream.transfersDelivered());
                }
                assertEquals(List.of(), wrong.stream().limit(5).toList(), "packets, and the zeroed gap after a short one");
                dev.ausb.internal.LabProbe.assertNoLeak(inline, h, 64);
            }
            v.checkHealthy();
        }
    }

    @Test
    void highBandwidth_packetsOfThreeTransactions_atHighSpeed() throws Exception {
        int pid = 0x7b03;
        int wMaxPacketSize = 1024 | (2 << 11); // three 1024-byte transactions per microframe
        UrbHandler full = urb -> {
            if (!urb.iso()) {
                return Reply.standard();
            }
            List<Reply.Packet> packets = new ArrayList<>();
            for (var p : urb.isoPackets()) {
                byte[] data = new byte[p.length()];
                java.util.Arrays.fill(data, (byte) 0x5a);
                packets.add(Reply.Packet.in(data));
            }
            return Reply.iso(packets);
        };
        try (VirtualDevice v = isoDevice(pid, Speed.HIGH, wMaxPacketSize, full).attach(); UsbDeviceHandle h = open(v, pid);
                UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            UsbIsoInEndpoint in = itf.isoInEndpoint(0x81);
            assertEquals(3072, in.maxPacketBytes());
            UsbIsoResult r = in.read(4, 3072).get(10, TimeUnit.SECONDS);
            assertEquals(0, r.failedPackets());
            assertEquals(4 * 3072, r.bytesTransferred());
            assertEquals(3072, r.packetData(3).length);
            assertThrows(IllegalArgumentException.class, () -> in.read(1, 3073));
            v.checkHealthy();
        }
    }

    @Test
    void cancellingAHeldIsoRead_reachesTheDeviceAsAnUnlink_andTheEndpointCarriesOn() throws Exception {
        int pid = 0x7b04;
        try (VirtualDevice v = isoDevice(pid, Speed.HIGH, 1024, urb -> urb.iso() && urb.in() ? Reply.hold() : Reply.standard())
                .attach(); UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            UsbIsoInEndpoint in = itf.isoInEndpoint(0x81);
            UsbTransferFuture<UsbIsoResult> f = in.read(8, 512);
            Urb held = v.awaitPending(0x81, WAIT);
            assertFalse(f.isDone(), "the device holds it");
            assertTrue(f.cancel(true));
            Unlinked unlink = v.awaitUnlink(held.seqnum(), WAIT);
            assertTrue(unlink.wasPending(), "the URB was pending on the device when the unlink came");
            assertThrows(CancellationException.class, f::join);
            assertEquals(Status.CANCELLED, f.reaped().get(10, TimeUnit.SECONDS).status());

            // the next one is answered by the test, after the cancelled one: in order
            UsbTransferFuture<UsbIsoResult> next = in.read(2, 512);
            Urb second = v.awaitPending(0x81, WAIT);
            assertTrue(second.seqnum() != held.seqnum());
            assertTrue(second.respond(Reply.iso(List.of(Reply.Packet.in(new byte[] {1, 2}), Reply.Packet.failed(Errno.EPROTO)))));
            UsbIsoResult r = next.get(10, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {1, 2}, r.packetData(0));
            assertEquals(Status.ERROR, r.packet(1).status());

            // a timeout cancels it the same way
            UsbTransferFuture<UsbIsoResult> timed = in.read(1, 512, java.time.Duration.ofMillis(200));
            Urb third = v.awaitPending(0x81, WAIT);
            v.awaitUnlink(third.seqnum(), WAIT);
            assertInstanceOf(dev.ausb.UsbTimeoutException.class, failureOf(timed));
            dev.ausb.internal.LabProbe.assertNoLeak(usb, h, 64);
            v.checkHealthy();
        }
    }

    @Test
    void isoOut_toQemusAudioDevice_onItsStreamingInterfacesAlternateSetting() throws Exception {
        // a second, independent implementation: QEMU's usb-audio on qemu-xhci (full speed), which
        // takes 48 kHz 16-bit stereo, 192 bytes a millisecond, on alternate setting 1
        UsbDevice audio = usb.findOne(UsbDeviceFilter.of(0x46f4, 0x0002));
        var streaming = audio.configurations().getFirst().interfaces().stream()
                .filter(i -> i.alternateSettings().stream().anyMatch(a -> a.alternateSetting() == 1 && a.endpoints()
                        .stream().anyMatch(e -> e.transferType() == dev.ausb.UsbTransferType.ISOCHRONOUS)))
                .findFirst().orElseThrow();
        int epAddress = streaming.alternateSettings().get(1).endpoints().stream()
                .filter(e -> e.transferType() == dev.ausb.UsbTransferType.ISOCHRONOUS).findFirst().orElseThrow().address();
        try (UsbDeviceHandle h = audio.open()) {
            h.setAutoDetachKernelDriver(true);
            try (UsbInterfaceHandle itf = h.claimInterface(streaming.number())) {
                itf.selectAlternateSetting(1);
                UsbIsoOutEndpoint out = itf.isoOutEndpoint(epAddress); // replaced after the second selection below
                assertTrue(out.maxPacketBytes() >= 192, "room for a millisecond of 48 kHz stereo: " + out.maxPacketBytes());
                // written faster than it plays, its buffer fills: it then takes less of a packet, or
                // nothing, and says so in the packet's actual length (an iso OUT packet is never retried)
                long packets = 0;
                long accepted = 0;
                for (int round = 0; round < 20; round++) {
                    List<byte[]> ms = new ArrayList<>();
                    for (int k = 0; k < 10; k++) {
                        byte[] p = new byte[192]; // silence
                        ms.add(p);
                    }
                    UsbIsoResult r = out.write(ms).get(10, TimeUnit.SECONDS);
                    assertEquals(0, r.failedPackets(), "round " + round + ": " + r.packets());
                    if (round == 0) {
                        assertEquals(10 * 192, r.bytesTransferred(), "the first 10 ms, into an empty buffer");
                    }
                    packets += r.packetCount();
                    accepted += r.bytesTransferred();
                }
                assertEquals(200, packets);
                assertTrue(accepted >= 10 * 192 && accepted <= 200 * 192, "accepted " + accepted);
                // and through a stream: 4 transfers of 10 ms in flight, 100 ms of silence, after
                // alternate setting 0 and 1 again, which start the device's buffer afresh
                itf.selectAlternateSetting(0);
                itf.selectAlternateSetting(1);
                out = itf.isoOutEndpoint(epAddress);
                try (dev.ausb.UsbIsoOutStream s = out.stream(new dev.ausb.UsbIsoStreamOptions(4, 10, 192))) {
                    for (int k = 0; k < 100; k++) {
                        s.writePacket(new byte[192]);
                    }
                    s.drain();
                    assertEquals(100, s.packetsWritten());
                    assertEquals(0, s.packetsFailed());
                    assertTrue(s.bytesWritten() >= 10 * 192 && s.bytesWritten() <= 100 * 192, "accepted " + s.bytesWritten());
                }
                itf.selectAlternateSetting(0);
            }
        }
    }

    @Test
    void anIsoStream_deliversEveryTransferInOrder_withItsPacketsStatuses_andReusesItsBuffers() throws Exception {
        int pid = 0x7b06;
        try (VirtualDevice v = answering(pid, Speed.HIGH, 1024); UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            UsbIsoInEndpoint in = itf.isoInEndpoint(0x81);
            assertThrows(IllegalArgumentException.class,
                    () -> in.stream(new dev.ausb.UsbIsoStreamOptions(4, 8, 1025), b -> { }), "a packet above 1024");
            List<String> wrong = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(200);
            int[] before = dev.ausb.internal.LabProbe.engineCounts(usb);
            long structsBefore = before[1];
            UsbInStream stream = in.stream(new dev.ausb.UsbIsoStreamOptions(4, 8, 192), b -> {
                if (b.sequence() != next.getAndIncrement()) {
                    wrong.add("sequence " + b.sequence());
                }
                if (b.packetCount() != 8 || b.length() != 8 * 192) {
                    wrong.add("#" + b.sequence() + ": " + b.packetCount() + " packets, " + b.length() + " bytes");
                }
                for (int k = 0; k < b.packetCount(); k++) {
                    UsbIsoPacket p = b.packet(k);
                    int expected = k == 3 ? 0 : k % 2 == 0 ? 192 : 96;
                    Status status = k == 3 ? Status.ERROR : Status.COMPLETED;
                    if (p.offset() != k * 192 || p.actualLength() != expected || p.status() != status) {
                        wrong.add("#" + b.sequence() + " packet " + k + ": " + p);
                    } else if (b.packetOffset(k) != p.offset() || b.packetActualLength(k) != expected
                            || b.packetCompleted(k) != (status == Status.COMPLETED)) {
                        wrong.add("#" + b.sequence() + " packet " + k + ": the record-free accessors disagree");
                    } else if (expected > 0 && (b.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, p.offset())
                            != (byte) ((k + 1) * 10) || b.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE,
                            p.offset() + expected - 1) != (byte) ((k + 1) * 10))) {
                        wrong.add("#" + b.sequence() + " packet " + k + ": wrong data");
                    }
                }
                enough.countDown();
            });
            assertTrue(enough.await(60, TimeUnit.SECONDS), "200 transfers: " + stream.transfersDelivered());
            stream.close();
            assertTrue(stream.done().isDone());
            assertEquals(List.of(), wrong.stream().limit(5).toList());
            assertTrue(stream.transfersDelivered() >= 200);
            assertEquals(stream.transfersDelivered() * (4 * 192 + 3 * 96), stream.bytesDelivered(),
                    "bytes counted are the bytes the packets carried");
            int[] after = dev.ausb.internal.LabProbe.engineCounts(usb);
            assertEquals(0, after[0], "nothing in flight");
            assertEquals(structsBefore, after[1], "every struct back on the free list");
            dev.ausb.internal.LabProbe.assertNoLeak(usb, h, 64);
            v.checkHealthy();
        }
    }

    @Test
    void anIsoPublisher_submitsOnlyAgainstDemand_andItsBuffersCarryPacketsUntilClosed() throws Exception {
        int pid = 0x7b07;
        try (VirtualDevice v = answering(pid, Speed.FULL, 1023); UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            UsbIsoInEndpoint in = itf.isoInEndpoint(0x81);
            java.util.concurrent.LinkedBlockingQueue<dev.ausb.UsbBuffer> got = new java.util.concurrent.LinkedBlockingQueue<>();
            java.util.concurrent.CompletableFuture<java.util.concurrent.Flow.Subscription> sub = new java.util.concurrent.CompletableFuture<>();
            java.util.concurrent.CompletableFuture<Throwable> failed = new java.util.concurrent.CompletableFuture<>();
            int structsBefore = dev.ausb.internal.LabProbe.engineCounts(usb)[1];
            in.publisher(new dev.ausb.UsbIsoStreamOptions(3, 4, 100)).subscribe(new java.util.concurrent.Flow.Subscriber<>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                    sub.complete(s);
                }

                @Override
                public void onNext(dev.ausb.UsbBuffer b) {
                    got.add(b);
                }

                @Override
                public void onError(Throwable t) {
                    failed.complete(t);
                }

                @Override
                public void onComplete() {}
            });
            java.util.concurrent.Flow.Subscription s = sub.get(10, TimeUnit.SECONDS);
            s.request(3);
            List<dev.ausb.UsbBuffer> three = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                dev.ausb.UsbBuffer b = got.poll(10, TimeUnit.SECONDS);
                assertTrue(b != null, "buffer " + i + " of a demand of 3 (3 transfers in flight)");
                three.add(b);
            }
            UsbipDeviceIT.sleep(300);
            assertTrue(got.isEmpty(), "no demand, no transfer: " + got);
            assertEquals(3, v.urbs(0x81).size(), "the device saw three transfers, for a demand of three");
            dev.ausb.UsbBuffer b = three.get(2);
            assertEquals(Status.ERROR, b.packet(3).status());
            assertEquals(50, b.packet(1).actualLength());
            b.close();
            assertThrows(IllegalStateException.class, () -> b.packet(0), "a closed buffer's packets are gone too");
            three.forEach(dev.ausb.UsbBuffer::close);
            s.cancel();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (dev.ausb.internal.LabProbe.engineCounts(usb)[1] != structsBefore && System.nanoTime() < deadline) {
                UsbipDeviceIT.sleep(20);
            }
            assertEquals(structsBefore, dev.ausb.internal.LabProbe.engineCounts(usb)[1], "the stream's structs are back");
            assertFalse(failed.isDone(), "no onError: " + failed.getNow(null));
            v.checkHealthy();
        }
    }

    @Test
    void detachingTheDevice_endsAnIsoStreamOnce_withDeviceGone() throws Exception {
        int pid = 0x7b08;
        try (VirtualDevice v = answering(pid, Speed.HIGH, 1024); UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            java.util.concurrent.CountDownLatch flowing = new java.util.concurrent.CountDownLatch(20);
            UsbInStream stream = itf.isoInEndpoint(0x81).stream(new dev.ausb.UsbIsoStreamOptions(4, 8, 512), b -> flowing.countDown());
            assertTrue(flowing.await(30, TimeUnit.SECONDS));
            v.detach();
            Throwable end = assertThrows(ExecutionException.class, () -> stream.done().get(10, TimeUnit.SECONDS)).getCause();
            assertInstanceOf(UsbDeviceGoneException.class, end);
            stream.close(); // after its end: returns at once
        }
    }

    /** Packet {@code k} of an OUT stream test: {@code length} bytes of {@code k + 1}. */
    static byte[] numbered(int k, int length) {
        byte[] p = new byte[length];
        java.util.Arrays.fill(p, (byte) (k + 1));
        return p;
    }

    @Test
    void anIsoOutStream_sendsPacketsOfTheirOwnLengths_blocksWhileAllAreInFlight_andCountsAFailedPacketWithoutEnding()
            throws Exception {
        int pid = 0x7b0b;
        try (VirtualDevice v = isoDevice(pid, Speed.HIGH, 1024, urb -> urb.iso() && !urb.in() ? Reply.hold() : Reply.standard())
                .attach(); UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            UsbIsoOutEndpoint out = itf.isoOutEndpoint(0x02);
            assertThrows(IllegalArgumentException.class, () -> out.stream(new dev.ausb.UsbIsoStreamOptions(2, 4, 1025)),
                    "a packet above 1024");
            int structsBefore = dev.ausb.internal.LabProbe.engineCounts(usb)[1];
            dev.ausb.UsbIsoOutStream s = out.stream(new dev.ausb.UsbIsoStreamOptions(2, 4, 100));
            assertThrows(IllegalStateException.class, () -> out.write(List.of(new byte[1])), "the stream has the endpoint");
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> s.writePacket(new byte[101]));
            assertTrue(tooLong.getMessage().contains("0..100"), tooLong.getMessage());

            // transfer 1: four packets of their own lengths, a 0-byte one among them
            s.writePacket(numbered(0, 100));
            s.writePacket(numbered(1, 50));
            s.writePacket(new byte[0]);
            s.writePacket(java.nio.ByteBuffer.wrap(numbered(3, 100)));
            Urb first = v.awaitPending(0x02, WAIT);
            assertEquals(List.of(100, 50, 0, 100), first.isoPackets().stream().map(p -> p.length()).toList());
            byte[] d1 = first.outData();
            assertEquals(250, d1.length);
            assertEquals(1, d1[0]);
            assertEquals(2, d1[100]);
            assertEquals(2, d1[149]);
            assertEquals(4, d1[150]);
            assertEquals(4, d1[249]);

            // transfer 2, from another thread: bytes cut into packets of 100 (the last left at 50),
            // then a packet of its own, which ends the 50 short; the transfer is full and goes out,
            // and the writer waits for slot 1 (transfer 1), which the device holds
            java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                byte[] bytes = new byte[250];
                for (int i = 0; i < 250; i++) {
                    bytes[i] = (byte) (10 + i / 100);
                }
                s.write(bytes);
                s.writePacket(numbered(20, 30));
                s.writePacket(numbered(40, 20)); // the first packet of transfer 3: its buffer is transfer 1's
            });
            Urb second = v.awaitUrb(u -> u.iso() && !u.in() && u.seqnum() != first.seqnum(), WAIT);
            assertEquals(List.of(100, 100, 50, 30), second.isoPackets().stream().map(p -> p.length()).toList());
            byte[] d2 = second.outData();
            assertEquals(10, d2[0]);
            assertEquals(11, d2[100]);
            assertEquals(12, d2[249]);
            assertEquals(21, d2[250]);
            UsbipDeviceIT.sleep(300);
            assertFalse(writer.isDone(), "both transfers in flight: the writer waits for a free one");

            // the device takes transfer 1, all but packet 1, which fails: the writer goes on
            assertTrue(first.respond(Reply.iso(List.of(Reply.Packet.out(100), Reply.Packet.failed(Errno.EPROTO),
                    Reply.Packet.out(0), Reply.Packet.out(100)))));
            writer.get(10, TimeUnit.SECONDS);
            assertTrue(second.respond(UsbipDeviceIT.isoAnswer(second)));

            // a flush sends what there is: the writer's packet of 20 and one of 10 bytes
            s.write(numbered(30, 10));
            s.flush();
            Urb third = v.awaitUrb(u -> u.iso() && !u.in() && u.isoPackets().size() == 2, WAIT);
            assertEquals(List.of(20, 10), third.isoPackets().stream().map(p -> p.length()).toList());
            byte[] d3 = third.outData();
            assertEquals(41, d3[0]);
            assertEquals(41, d3[19]);
            assertEquals(31, d3[20]);
            assertEquals(31, d3[29]);
            assertTrue(third.respond(UsbipDeviceIT.isoAnswer(third)));
            s.drain();
            assertEquals(4 + 4 + 2, s.packetsWritten());
            assertEquals(1, s.packetsFailed(), "packet 1 of transfer 1");
            assertEquals(200 + (100 + 50 + 50 + 30) + (20 + 5), s.bytesWritten(),
                    "what each packet carried: the device takes half of each packet 1 it answers");
            s.close();
            assertThrows(IllegalStateException.class, () -> s.writePacket(new byte[1]), "closed");
            assertEquals(structsBefore, dev.ausb.internal.LabProbe.engineCounts(usb)[1], "the stream's structs are back");
            out.write(List.of(new byte[4])); // the endpoint is free again (held by the device, cancelled by the close below)
            v.awaitPending(0x02, WAIT);
            out.cancelAll().get(10, TimeUnit.SECONDS);
            dev.ausb.internal.LabProbe.assertNoLeak(usb, h, 64);
            v.checkHealthy();
        }
    }

    @Test
    void anIsoOutStream_sustained_deliversEveryPacketInOrder_andAllocatesNoStructs() throws Exception {
        int pid = 0x7b0c;
        try (VirtualDevice v = answering(pid, Speed.FULL, 1023); UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            int structsBefore = dev.ausb.internal.LabProbe.engineCounts(usb)[1];
            int transfers = 300;
            try (dev.ausb.UsbIsoOutStream s = itf.isoOutEndpoint(0x02).stream(new dev.ausb.UsbIsoStreamOptions(4, 8, 192))) {
                byte[] frame = new byte[192];
                for (int k = 0; k < transfers * 8; k++) {
                    java.util.Arrays.fill(frame, (byte) k);
                    frame[1] = (byte) (k >> 8);
                    s.writePacket(frame);
                }
                s.drain();
                assertEquals(transfers * 8L, s.packetsWritten());
                assertEquals(0, s.packetsFailed());
                assertEquals(transfers * (7 * 192L + 96), s.bytesWritten(), "the device takes half of each packet 1");
            }
            List<Urb> urbs = v.urbs(0x02);
            assertEquals(transfers, urbs.size());
            List<String> wrong = new ArrayList<>();
            for (int t = 0; t < transfers && wrong.size() < 5; t++) {
                byte[] d = urbs.get(t).outData();
                for (int k = 0; k < 8; k++) {
                    int n = t * 8 + k;
                    if (d[k * 192] != (byte) n || d[k * 192 + 1] != (byte) (n >> 8) || d[k * 192 + 191] != (byte) n) {
                        wrong.add("URB " + t + " packet " + k);
                    }
                }
            }
            assertEquals(List.of(), wrong, "every packet in order, none lost or repeated");
            assertEquals(structsBefore, dev.ausb.internal.LabProbe.engineCounts(usb)[1], "every struct back on the free list");
            dev.ausb.internal.LabProbe.assertNoLeak(usb, h, 64);
            v.checkHealthy();
        }
    }

    @Test
    void detachingTheDevice_failsAWriterWaitingOnAnIsoOutStream_withDeviceGone() throws Exception {
        int pid = 0x7b0d;
        try (VirtualDevice v = isoDevice(pid, Speed.HIGH, 1024, urb -> urb.iso() && !urb.in() ? Reply.hold() : Reply.standard())
                .attach(); UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            dev.ausb.UsbIsoOutStream s = itf.isoOutEndpoint(0x02).stream(new dev.ausb.UsbIsoStreamOptions(2, 2, 64));
            java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                for (int k = 0; k < 6; k++) {
                    s.writePacket(numbered(k, 64));
                }
            });
            v.awaitPending(0x02, WAIT);
            v.awaitUrb(u -> u.iso() && !u.in() && u.seqnum() != v.urbs(0x02).getFirst().seqnum(), WAIT);
            UsbipDeviceIT.sleep(200);
            assertFalse(writer.isDone(), "the writer waits for a transfer the device holds");
            v.detach();
            Throwable end = assertThrows(ExecutionException.class, () -> writer.get(10, TimeUnit.SECONDS)).getCause();
            assertInstanceOf(UsbDeviceGoneException.class, end);
            s.close(); // the writer saw the failure: close does not report it twice
            assertThrows(UsbDeviceGoneException.class, () -> s.writePacket(new byte[1]), "the stream's end stays");
        }
    }

    @Test
    void atSuperSpeed_aPacketCarriesTheCompanionsBytesPerInterval_andBothDirectionsWork() throws Exception {
        // SuperSpeed iso: 1024-byte packets, a burst of 3 per interval (bMaxBurst 2), wBytesPerInterval 3072
        int pid = 0x7b0e;
        byte[] config = Descriptors.configuration(1, 0x80, 25,
                Descriptors.iface(0, 0, 0xff, 0, 0, 0),
                Descriptors.iface(0, 1, 0xff, 0, 0, 0,
                        Descriptors.iso(0x81, 1024, 1), Descriptors.ssCompanion(2, 0, 3072),
                        Descriptors.endpoint(0x02, 0x09, 1024, 1), Descriptors.ssCompanion(0, 0, 1024)));
        byte[] bos = Descriptors.bos(Descriptors.usb2Extension(0x02), Descriptors.superSpeedCapability(0x0e, 1, 10, 0x100));
        UrbHandler full = urb -> {
            if (!urb.iso()) {
                return Reply.standard();
            }
            List<Reply.Packet> packets = new ArrayList<>();
            for (var p : urb.isoPackets()) {
                byte[] data = new byte[p.length()];
                java.util.Arrays.fill(data, (byte) 0x33);
                packets.add(urb.in() ? Reply.Packet.in(data) : Reply.Packet.out(p.length()));
            }
            return Reply.iso(packets);
        };
        try (VirtualDevice v = VirtualDevice.builder()
                .device(Descriptors.device(VID, pid).usb(0x0320).maxPacketSize0(9).strings(0, 1, 0))
                .configuration(config).bos(bos).strings("iso super").speed(Speed.SUPER).handler(full).attach();
                UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            assertEquals(dev.ausb.UsbSpeed.SUPER, h.device().speed());
            itf.selectAlternateSetting(1);
            var ep = itf.isoInEndpoint(0x81).descriptor();
            var companion = ep.superSpeedCompanion().orElseThrow();
            assertEquals(2, companion.maxBurst());
            assertEquals(3072, companion.bytesPerInterval());
            UsbIsoInEndpoint in = itf.isoInEndpoint(0x81);
            assertEquals(3072, in.maxPacketBytes(), "wBytesPerInterval, not wMaxPacketSize, at SuperSpeed");
            assertThrows(IllegalArgumentException.class, () -> in.read(1, 3073));
            UsbIsoResult r = in.read(4, 3072).get(10, TimeUnit.SECONDS);
            assertEquals(0, r.failedPackets());
            assertEquals(4 * 3072, r.bytesTransferred());
            assertEquals(0x33, r.packetData(3)[3071]);
            Urb urb = v.awaitUrb(u -> u.iso() && u.in(), WAIT);
            assertEquals(4, urb.isoPackets().size());
            UsbIsoOutEndpoint out = itf.isoOutEndpoint(0x02);
            assertEquals(1024, out.maxPacketBytes());
            try (dev.ausb.UsbIsoOutStream s = out.stream(new dev.ausb.UsbIsoStreamOptions(2, 4, 1024))) {
                for (int k = 0; k < 40; k++) {
                    s.writePacket(numbered(k, 1024));
                }
                s.drain();
                assertEquals(40, s.packetsWritten());
                assertEquals(40 * 1024, s.bytesWritten());
            }
            List<Urb> outs = v.urbs(0x02);
            assertEquals(10, outs.size(), "40 packets in transfers of 4");
            for (int t = 0; t < 10; t++) {
                assertEquals(List.of(1024, 1024, 1024, 1024), outs.get(t).isoPackets().stream().map(p -> p.length()).toList());
                byte[] d = outs.get(t).outData();
                for (int k = 0; k < 4; k++) {
                    assertEquals((byte) (t * 4 + k + 1), d[k * 1024], "URB " + t + " packet " + k);
                    assertEquals((byte) (t * 4 + k + 1), d[k * 1024 + 1023], "URB " + t + " packet " + k);
                }
            }
            v.checkHealthy();
        }
    }

    @Test
    void anIsoOutStreamWrittenOnTheEventThread_failsWhereItWouldWait_beforeTouchingATransferInFlight() throws Exception {
        int pid = 0x7b0f;
        UrbHandler handler = urb -> urb.iso() ? Reply.hold() : Reply.standard();
        try (UsbContext inline = UsbContext.newBuilder().completeOnEventThread().build();
                VirtualDevice v = isoDevice(pid, Speed.HIGH, 1024, handler).attach()) {
            try (UsbDeviceHandle h = UsbipDeviceIT.find(inline, v, pid).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
                itf.selectAlternateSetting(1);
                dev.ausb.UsbIsoOutStream s = itf.isoOutEndpoint(0x02).stream(new dev.ausb.UsbIsoStreamOptions(2, 1, 64));
                java.util.concurrent.atomic.AtomicReference<Throwable> refused = new java.util.concurrent.atomic.AtomicReference<>();
                java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
                // a continuation of an IN read runs on the event thread of this context: the read is
                // answered only once the continuation is attached, so it cannot run on this thread
                java.util.concurrent.CompletableFuture<Void> onEventThread = itf.isoInEndpoint(0x81).read(1, 8).thenRun(() -> {
                    try {
                        for (int k = 0; k < 3; k++) {
                            s.writePacket(numbered(k, 64));
                            written.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        refused.set(e);
                    }
                });
                Urb read = v.awaitPending(0x81, WAIT);
                assertTrue(read.respond(UsbipDeviceIT.isoAnswer(read)));
                onEventThread.get(10, TimeUnit.SECONDS);
                assertEquals(2, written.get(), "two transfers had room: written from the event thread without a wait");
                assertInstanceOf(IllegalStateException.class, refused.get());
                assertTrue(refused.get().getMessage().contains("event thread"), refused.get().getMessage());
                Urb first = v.awaitPending(0x02, WAIT);
                Urb second = v.awaitUrb(u -> u.iso() && !u.in() && u.seqnum() != first.seqnum(), WAIT);
                assertArrayEquals(numbered(0, 64), first.outData());
                assertArrayEquals(numbered(1, 64), second.outData());
                UsbipDeviceIT.sleep(300);
                assertEquals(2, v.urbs(0x02).size(), "the refused write submitted nothing");
                // the device takes the first: the third packet goes out from this thread, in the buffer that came back
                assertTrue(first.respond(UsbipDeviceIT.isoAnswer(first)));
                s.writePacket(numbered(2, 64));
                Urb third = v.awaitUrb(u -> u.iso() && !u.in() && u.seqnum() != first.seqnum()
                        && u.seqnum() != second.seqnum(), WAIT);
                assertArrayEquals(numbered(2, 64), third.outData(), "the refused packet, written again");
                assertTrue(second.respond(UsbipDeviceIT.isoAnswer(second)));
                assertTrue(third.respond(UsbipDeviceIT.isoAnswer(third)));
                s.close();
                assertEquals(3, s.packetsWritten());
                assertEquals(3 * 64, s.bytesWritten());
                dev.ausb.internal.LabProbe.assertNoLeak(inline, h, 64);
            }
            v.checkHealthy();
        }
    }

    @Test
    void anIsoOutStreamWhoseDeviceNeverAnswers_endsWithATimeout_andItsDrainReturns() throws Exception {
        int pid = 0x7b10;
        try (VirtualDevice v = isoDevice(pid, Speed.HIGH, 1024, urb -> urb.iso() && !urb.in() ? Reply.hold() : Reply.standard())
                .attach(); UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            dev.ausb.UsbIsoOutStream s = itf.isoOutEndpoint(0x02).stream(new dev.ausb.UsbIsoStreamOptions(1, 2, 64));
            s.writePacket(numbered(0, 64));
            s.writePacket(numbered(1, 64));
            Urb held = v.awaitPending(0x02, WAIT);
            long t0 = System.nanoTime();
            assertThrows(dev.ausb.UsbTimeoutException.class, s::drain, "2 intervals of 125 us plus 5 s, then the timeout");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 3000 && ms < 30_000, "timed out after " + ms + " ms");
            v.awaitUnlink(held.seqnum(), WAIT);
            s.close(); // reported once: close returns
            dev.ausb.internal.LabProbe.assertNoLeak(usb, h, 64);
            v.checkHealthy();
        }
    }

    @Test
    void anIsoStreamWithMoreThanFiveSecondsOfIntervalsQueued_onADevicePacedInRealTime_doesNotTimeOut() throws Exception {
        // 8 transfers of 1024 packets at full speed: 8.2 s of intervals queued; each transfer's
        // timeout counts from its submission, so it covers the ones ahead of it too
        int pid = 0x7b11;
        java.util.concurrent.atomic.AtomicLong due = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        UrbHandler paced = urb -> {
            if (!urb.iso()) {
                return Reply.standard();
            }
            long per = urb.isoPackets().size() * 1_000_000L; // one packet a millisecond, one URB after another
            long at = due.updateAndGet(d -> Math.max(d, System.nanoTime()) + per);
            return Reply.after(java.time.Duration.ofNanos(Math.max(0, at - System.nanoTime())), UsbipDeviceIT.isoAnswer(urb));
        };
        try (VirtualDevice v = isoDevice(pid, Speed.FULL, 1023, paced).attach(); UsbDeviceHandle h = open(v, pid);
                UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();
            UsbInStream stream = itf.isoInEndpoint(0x81).stream(new dev.ausb.UsbIsoStreamOptions(8, 1024, 16),
                    b -> delivered.incrementAndGet());
            UsbipDeviceIT.sleep(11_000);
            assertFalse(stream.done().isDone(), "the stream still runs: " + stream.done());
            assertTrue(delivered.get() >= 8, "transfers delivered in 11 s: " + delivered.get());
            stream.close();
            v.checkHealthy();
        }
    }

    @Test
    void detachingTheDevice_failsAPendingIsoReadAsGone() throws Exception {
        int pid = 0x7b05;
        try (VirtualDevice v = isoDevice(pid, Speed.FULL, 1023, urb -> urb.iso() ? Reply.hold() : Reply.standard())
                .attach(); UsbDeviceHandle h = open(v, pid); UsbInterfaceHandle itf = h.claimInterface(0)) {
            itf.selectAlternateSetting(1);
            UsbTransferFuture<UsbIsoResult> f = itf.isoInEndpoint(0x81).read(4, 256);
            UsbTransferFuture<UsbIsoResult> w = itf.isoOutEndpoint(0x02).write(List.of(new byte[256]));
            v.awaitPending(0x81, WAIT);
            v.awaitPending(0x02, WAIT);
            long t0 = System.nanoTime();
            v.detach();
            assertInstanceOf(UsbDeviceGoneException.class, failureOf(f));
            assertInstanceOf(UsbDeviceGoneException.class, failureOf(w));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1000, "device-gone after " + ms + " ms");
            UsbTransferResult reaped = f.reaped().get(10, TimeUnit.SECONDS);
            assertEquals(Status.NO_DEVICE, reaped.status());
        }
    }
}
