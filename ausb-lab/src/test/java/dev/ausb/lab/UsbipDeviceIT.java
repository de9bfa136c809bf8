package dev.ausb.lab;

import static dev.ausb.lab.TransfersIT.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbAlternateSetting;
import dev.ausb.UsbConfiguration;
import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbControlRequest.Recipient;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceDescriptor;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDeviceStrings;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterface;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOverflowException;
import dev.ausb.UsbSpeed;
import dev.ausb.UsbStallException;
import dev.ausb.UsbSyncType;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult;
import dev.ausb.UsbTransferType;
import dev.ausb.lab.usbip.Descriptors;
import dev.ausb.lab.usbip.Errno;
import dev.ausb.lab.usbip.Reply;
import dev.ausb.lab.usbip.Setup;
import dev.ausb.lab.usbip.Speed;
import dev.ausb.lab.usbip.Urb;
import dev.ausb.lab.usbip.UrbHandler;
import dev.ausb.lab.usbip.UsbipEvent.Unlinked;
import dev.ausb.lab.usbip.VirtualDevice;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A device the test implements in Java and attaches to the kernel's USB/IP host controller
 * (vhci_hcd, {@link VirtualDevice}): enumeration by the real kernel and libusb, bulk data both ways
 * as the device decides, stalls and errno statuses, a cancel seen by the device as a USB/IP unlink,
 * an unplug under a pending transfer, isochronous endpoints and packets through C libusb (a second
 * implementation beside ausb's own, in {@link IsochronousIT}), malformed descriptors answered byte for byte.
 */
@Timeout(120)
class UsbipDeviceIT {
    static final int VID = 0x1209;
    static final Duration WAIT = Duration.ofSeconds(15);
    static final int VENDOR_ECHO = 0x51;
    static final int VENDOR_STORE = 0x52;
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

    /** High speed, vendor interface 0: bulk IN 0x81, bulk OUT 0x02, interrupt IN 0x83. */
    static byte[] vendorConfig() {
        return Descriptors.configuration(1, 4, 0x80, 50,
                Descriptors.iface(0, 0, 0xff, 0x42, 0x01, 5,
                        Descriptors.bulk(0x81, 512), Descriptors.bulk(0x02, 512), Descriptors.interrupt(0x83, 16, 4)));
    }

    static VirtualDevice.Builder vendorDevice(int pid, UrbHandler handler) {
        return VirtualDevice.builder()
                .device(Descriptors.device(VID, pid).bcdDevice(0x0123).strings(1, 2, 3))
                .configuration(vendorConfig())
                .strings("ausb lab", "USB/IP device", "vd-" + Integer.toHexString(pid), "config one", "vendor itf")
                .handler(handler)
                .speed(Speed.HIGH);
    }

    /** Waits until the kernel has addressed it and libusb lists it at that place. */
    static UsbDevice find(VirtualDevice v, int pid) {
        return find(usb, v, pid);
    }

    /** As {@link #find(VirtualDevice, int)}, in the context {@code usb}. */
    static UsbDevice find(UsbContext usb, VirtualDevice v, int pid) {
        VirtualDevice.Location at = v.awaitLocation(WAIT);
        UsbDeviceFilter filter = UsbDeviceFilter.of(VID, pid).bus(at.bus()).address(at.address());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<UsbDevice> d = usb.findAny(filter);
            if (d.isPresent()) {
                return d.get();
            }
            sleep(50);
        }
        throw new AssertionError("libusb does not list " + filter + " within " + WAIT);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 13);
        }
        return b;
    }

    static UsbControlRequest vendor(int request, int value) {
        return UsbControlRequest.vendor(Recipient.DEVICE, request, value, 0);
    }

    /** The device descriptor as ausb parsed it, written back to its 18 bytes. */
    static byte[] bytesOf(UsbDeviceDescriptor d) {
        int usbBcd = d.usbVersion().bcd();
        int devBcd = d.deviceVersion().bcd();
        return Descriptors.bytes(18, 1, usbBcd, usbBcd >> 8, d.deviceClass(), d.deviceSubclass(), d.deviceProtocol(),
                d.rawMaxPacketSize0(), d.vendorId(), d.vendorId() >> 8, d.productId(), d.productId() >> 8, devBcd,
                devBcd >> 8, d.manufacturerIndex(), d.productIndex(), d.serialNumberIndex(), d.numConfigurations());
    }

    /** A configuration as ausb parsed it, written back in descriptor order (interfaces, settings, endpoints, companions). */
    static byte[] bytesOf(UsbConfiguration c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Descriptors.bytes(9, 2, c.totalLength(), c.totalLength() >> 8, c.interfaces().size(), c.value(),
                c.nameIndex(), c.attributes(), c.maxPower()));
        for (UsbInterface itf : c.interfaces()) {
            for (UsbAlternateSetting alt : itf.alternateSettings()) {
                out.writeBytes(Descriptors.bytes(9, 4, alt.interfaceNumber(), alt.alternateSetting(), alt.endpoints().size(),
                        alt.interfaceClass(), alt.interfaceSubclass(), alt.interfaceProtocol(), alt.nameIndex()));
                for (UsbEndpoint ep : alt.endpoints()) {
                    out.writeBytes(Descriptors.endpoint(ep.address(), ep.attributes(), ep.rawMaxPacketSize(), ep.interval()));
                    ep.superSpeedCompanion().ifPresent(s -> out.writeBytes(
                            Descriptors.ssCompanion(s.maxBurst(), s.attributes(), s.bytesPerInterval())));
                }
            }
        }
        return out.toByteArray();
    }

    @Test
    void enumerates_theKernelAndAusbSeeExactlyTheDescriptorsItPresents() {
        int pid = 0x7a01;
        VirtualDevice.Builder b = vendorDevice(pid, urb -> Reply.standard());
        try (VirtualDevice v = b.attach()) {
            UsbDevice dev = find(v, pid);
            assertArrayEquals(Descriptors.device(VID, pid).bcdDevice(0x0123).strings(1, 2, 3).build(),
                    bytesOf(dev.descriptor()));
            assertEquals(1, dev.configurations().size());
            assertArrayEquals(vendorConfig(), bytesOf(dev.configurations().getFirst()));
            assertEquals(UsbSpeed.HIGH, dev.speed());
            UsbDeviceStrings s = dev.readStrings();
            assertEquals(Optional.of("ausb lab"), s.manufacturer());
            assertEquals(Optional.of("USB/IP device"), s.product());
            assertEquals(Optional.of("vd-7a01"), s.serialNumber());

            v.awaitConfigured(WAIT);
            assertEquals(1, v.configuration(), "the kernel's generic driver set configuration 1");
            List<Urb> ep0 = v.urbs().stream().filter(Urb::control).toList();
            assertTrue(ep0.stream().anyMatch(u -> u.setup().request() == Setup.GET_DESCRIPTOR
                    && u.setup().descriptorType() == Descriptors.DEVICE), "the kernel read the device descriptor: " + ep0);
            assertTrue(ep0.stream().noneMatch(u -> u.setup().standard() && u.setup().request() == Setup.SET_ADDRESS),
                    "vhci_hcd answers SET_ADDRESS itself: " + ep0);

            String lsusb = Lab.check("lsusb", "-v", "-d", String.format("%04x:%04x", VID, pid));
            for (String line : List.of("idVendor           0x1209", "idProduct          0x7a01", "iProduct                2 USB/IP device",
                    "bInterfaceClass       255", "bEndpointAddress     0x81  EP 1 IN", "bEndpointAddress     0x02  EP 2 OUT",
                    "bEndpointAddress     0x83  EP 3 IN", "iConfiguration          4 config one")) {
                assertTrue(lsusb.contains(line), "lsusb -v shows '" + line + "':\n" + lsusb);
            }
            v.checkHealthy();
        }
    }

    @Test
    void bulkAndControl_carryWhatTheDeviceAnswers_andDeliverWhatTheHostSends() throws Exception {
        int pid = 0x7a02;
        byte[] in = pattern(300, 7);
        UrbHandler handler = urb -> {
            if (urb.endpoint() == 0x81) {
                return urb.bufferLength() >= 4096 ? Reply.after(Duration.ofMillis(400), Reply.data(in)) : Reply.data(in);
            }
            if (urb.control() && urb.setup().request() == VENDOR_ECHO) {
                Setup s = urb.setup();
                return Reply.data(new byte[] {(byte) s.value(), (byte) (s.value() >> 8), (byte) s.length(), 0x5a});
            }
            if (urb.control() && urb.setup().request() == VENDOR_STORE) {
                return Reply.ok();
            }
            return Reply.standard();
        };
        try (VirtualDevice v = vendorDevice(pid, handler).attach();
                UsbDeviceHandle h = find(v, pid).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            assertArrayEquals(in, itf.inEndpoint(0x81).read(512).get(10, TimeUnit.SECONDS), "a short packet: 300 of 512");
            assertArrayEquals(Arrays.copyOf(in, 64), itf.inEndpoint(0x81).read(64).get(10, TimeUnit.SECONDS),
                    "the device's data cut to what the host asked for");
            long t0 = System.nanoTime();
            assertArrayEquals(in, itf.inEndpoint(0x81).read(4096).get(10, TimeUnit.SECONDS));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 350, "the delayed answer came after " + ms + " ms");

            byte[] out = pattern(1500, 99);
            assertEquals(1500, itf.outEndpoint(0x02).write(out).get(10, TimeUnit.SECONDS));
            Urb written = v.awaitUrb(u -> u.endpoint() == 0x02, WAIT);
            assertArrayEquals(out, written.outData());
            assertEquals(Urb.State.COMPLETED, written.state());

            assertArrayEquals(new byte[] {0x34, 0x12, 8, 0x5a}, h.controlIn(vendor(VENDOR_ECHO, 0x1234), 8).get(10, TimeUnit.SECONDS));
            assertEquals(3, h.controlOut(vendor(VENDOR_STORE, 7), new byte[] {9, 8, 7}).get(10, TimeUnit.SECONDS));
            Urb stored = v.awaitUrb(u -> u.control() && u.setup().request() == VENDOR_STORE, WAIT);
            assertEquals(0x40, stored.setup().requestType(), "vendor, host-to-device, device");
            assertEquals(7, stored.setup().value());
            assertArrayEquals(new byte[] {9, 8, 7}, stored.outData());
            v.checkHealthy();
        }
    }

    @Test
    void stallsAndErrnos_arriveAsTheMatchingExceptions() throws Exception {
        int pid = 0x7a03;
        UrbHandler handler = urb -> switch (urb.endpoint()) {
            case 0x81 -> Reply.stall();
            case 0x83 -> Reply.status(Errno.EOVERFLOW, new byte[] {1, 2});
            case 0x02 -> Reply.stall();
            default -> Reply.standard(); // ep0: vendor requests stall by default
        };
        try (VirtualDevice v = vendorDevice(pid, handler).attach();
                UsbDeviceHandle h = find(v, pid).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            assertInstanceOf(UsbStallException.class, failure(itf.inEndpoint(0x81).read(512)));
            assertInstanceOf(UsbStallException.class, failure(itf.outEndpoint(0x02).write(new byte[] {1})));
            assertInstanceOf(UsbOverflowException.class, failure(itf.inEndpoint(0x83).read(16)));
            assertInstanceOf(UsbStallException.class, failure(h.controlIn(vendor(0x7f, 0), 4)));
            // a stalled bulk endpoint is cleared with CLEAR_FEATURE(ENDPOINT_HALT), which the device sees
            itf.inEndpoint(0x81).clearHalt();
            v.awaitUrb(u -> u.control() && u.setup().request() == Setup.CLEAR_FEATURE && u.setup().recipient() == 2
                    && u.setup().index() == 0x81, WAIT);
            v.checkHealthy();
        }
    }

    @Test
    void cancellingAHeldRead_sendsAnUnlinkToTheDevice_andTheTransferIsReapedCancelled() throws Exception {
        int pid = 0x7a04;
        try (VirtualDevice v = vendorDevice(pid, urb -> urb.endpoint() == 0x81 ? Reply.hold() : Reply.standard()).attach();
                UsbDeviceHandle h = find(v, pid).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            UsbInEndpoint in = itf.inEndpoint(0x81);
            UsbTransferFuture<byte[]> f = in.read(512);
            Urb held = v.awaitPending(0x81, WAIT);
            sleep(200);
            assertFalse(f.isDone(), "the device holds it");
            assertTrue(v.unlinks().isEmpty(), "no unlink before the cancel: " + v.unlinks());

            assertTrue(f.cancel(true));
            Unlinked unlink = v.awaitUnlink(held.seqnum(), WAIT);
            assertTrue(unlink.wasPending(), "the URB was still pending on the device when the unlink came");
            assertEquals(Urb.State.UNLINKED, held.state());
            UsbTransferResult reaped = f.reaped().get(10, TimeUnit.SECONDS);
            assertEquals(UsbTransferResult.Status.CANCELLED, reaped.status());
            assertEquals(0, reaped.bytesTransferred());
            assertFalse(held.respond(Reply.data(new byte[] {1})), "an unlinked URB cannot be answered any more");

            // the endpoint and the connection carry on: the next read is answered by the test
            UsbTransferFuture<byte[]> next = in.read(512);
            Urb second = v.awaitPending(0x81, WAIT);
            assertTrue(second.seqnum() != held.seqnum());
            assertTrue(second.respond(Reply.data(new byte[] {4, 5, 6})));
            assertArrayEquals(new byte[] {4, 5, 6}, next.get(10, TimeUnit.SECONDS));
            assertEquals(1, v.unlinks().size(), "one cancel, one unlink: " + v.unlinks());
            v.checkHealthy();
        }
    }

    @Test
    void detachingTheDevice_failsItsPendingTransfers_asGone() throws Exception {
        int pid = 0x7a05;
        try (VirtualDevice v = vendorDevice(pid, urb -> urb.endpoint() == 0x81 ? Reply.hold() : Reply.standard()).attach();
                UsbDeviceHandle h = find(v, pid).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            UsbTransferFuture<byte[]> f = itf.inEndpoint(0x81).read(512);
            Urb held = v.awaitPending(0x81, WAIT);
            v.detach();
            assertTrue(v.disconnected());
            Throwable t = failure(f);
            assertInstanceOf(UsbDeviceGoneException.class, t, String.valueOf(t));
            assertEquals(Urb.State.DROPPED, held.state());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (usb.findAny(UsbDeviceFilter.of(VID, pid)).isPresent() && System.nanoTime() < deadline) {
                sleep(50);
            }
            assertTrue(usb.findAny(UsbDeviceFilter.of(VID, pid)).isEmpty(), "the device left the bus");
            v.checkHealthy();
        }
    }

    /** Interface 0: alt 0 without endpoints, alt 1 with an isochronous IN and an isochronous OUT endpoint. */
    static byte[] isoConfig(int mps) {
        return Descriptors.configuration(1, 0x80, 50,
                Descriptors.iface(0, 0, 0xff, 0, 0, 0),
                Descriptors.iface(0, 1, 0xff, 0, 0, 0,
                        Descriptors.iso(0x81, mps, 1), Descriptors.endpoint(0x02, 0x09, mps, 1)));
    }

    /** Iso IN: packet k carries (k + 1) * 10 in every byte, the odd ones half full, packet 3 fails -EPROTO. Iso OUT: packet 1 takes half. */
    static Reply isoAnswer(Urb urb) {
        List<Reply.Packet> packets = new ArrayList<>();
        for (int k = 0; k < urb.isoPackets().size(); k++) {
            int len = urb.isoPackets().get(k).length();
            if (!urb.in()) {
                packets.add(Reply.Packet.out(k == 1 ? len / 2 : len));
            } else if (k == 3) {
                packets.add(Reply.Packet.failed(Errno.EPROTO));
            } else {
                byte[] data = new byte[k % 2 == 0 ? len : len / 2];
                Arrays.fill(data, (byte) ((k + 1) * 10));
                packets.add(Reply.Packet.in(data));
            }
        }
        return Reply.iso(packets);
    }

    @ParameterizedTest
    @EnumSource(value = Speed.class, names = {"FULL", "HIGH"})
    void isochronousEndpoints_enumerate_andCarryPacketsThroughCLibusb(Speed speed) {
        int pid = speed == Speed.FULL ? 0x7a06 : 0x7a07;
        int mps = speed == Speed.FULL ? 1023 : 1024;
        try (VirtualDevice v = VirtualDevice.builder()
                .device(Descriptors.device(VID, pid).usb(speed == Speed.FULL ? 0x0110 : 0x0200).strings(0, 1, 0))
                .configuration(isoConfig(mps)).strings("iso " + speed).speed(speed)
                .handler(urb -> urb.iso() ? isoAnswer(urb) : Reply.standard()).attach()) {
            UsbDevice dev = find(v, pid);
            assertEquals(speed == Speed.FULL ? UsbSpeed.FULL : UsbSpeed.HIGH, dev.speed());
            UsbConfiguration c = dev.configurations().getFirst();
            assertArrayEquals(isoConfig(mps), bytesOf(c));
            UsbAlternateSetting alt1 = c.interfaces().getFirst().alternateSettings().get(1);
            UsbEndpoint isoIn = alt1.endpoint(0x81).orElseThrow();
            UsbEndpoint isoOut = alt1.endpoint(0x02).orElseThrow();
            assertEquals(UsbTransferType.ISOCHRONOUS, isoIn.transferType());
            assertEquals(UsbSyncType.ASYNCHRONOUS, isoIn.syncType());
            assertEquals(UsbTransferType.ISOCHRONOUS, isoOut.transferType());
            assertEquals(UsbSyncType.ADAPTIVE, isoOut.syncType());
            assertEquals(mps, isoIn.maxPacketSize());
            String lsusb = Lab.check("lsusb", "-v", "-d", String.format("%04x:%04x", VID, pid));
            assertTrue(lsusb.contains("Transfer Type            Isochronous"), lsusb);
            assertTrue(lsusb.contains("Synch Type               Asynchronous"), lsusb);

            // one isochronous IN transfer of 8 x 192 bytes, through C libusb
            IsoProbe.Result in = IsoProbe.transfer(VID, pid, 0x81, 1, 8, 192);
            assertEquals(0, in.transferStatus(), "LIBUSB_TRANSFER_COMPLETED");
            for (int k = 0; k < 8; k++) {
                IsoProbe.Packet p = in.packets().get(k);
                if (k == 3) {
                    assertEquals(new IsoProbe.Packet(0, 1, -1), p, "packet 3: LIBUSB_TRANSFER_ERROR from -EPROTO");
                } else {
                    assertEquals(new IsoProbe.Packet(k % 2 == 0 ? 192 : 96, 0, (k + 1) * 10), p, "packet " + k);
                }
            }
            Urb inUrb = v.awaitUrb(u -> u.iso() && u.in(), WAIT);
            assertEquals(8, inUrb.isoPackets().size());
            assertEquals(3 * 192, inUrb.isoPackets().get(3).offset());
            assertEquals(192, inUrb.isoPackets().get(3).length());
            assertEquals(Errno.EXDEV, inUrb.isoPackets().get(3).status(), "usbfs submits iso packets marked -EXDEV");
            // libusb selected alternate setting 1; the kernel set 0 again when the probe released the interface
            v.awaitUrb(u -> u.control() && u.setup().request() == Setup.SET_INTERFACE && u.setup().value() == 1
                    && u.setup().index() == 0, WAIT);

            // and one OUT transfer of 4 x 192 bytes: the device gets each packet's bytes at its offset
            IsoProbe.Result out = IsoProbe.transfer(VID, pid, 0x02, 1, 4, 192);
            assertEquals(0, out.transferStatus());
            assertEquals(List.of(192, 96, 192, 192), out.packets().stream().map(IsoProbe.Packet::actualLength).toList());
            Urb outUrb = v.awaitUrb(u -> u.iso() && !u.in(), WAIT);
            byte[] sent = outUrb.outData();
            assertEquals(4 * 192, sent.length);
            for (int k = 0; k < 4; k++) {
                assertEquals(k + 1, sent[k * 192 + 191], "packet " + k + "'s last byte");
            }
            v.checkHealthy();
        }
    }

    @Test
    void rawDescriptors_reachTheKernelByteForByte_evenMalformed() throws Exception {
        int pid = 0x7a09;
        byte[] device = Descriptors.device(VID, pid).build();
        // interface 0 claims two endpoints: 0x81 is 5 bytes long (invalid, a real endpoint has 7), 0x02 is fine
        byte[] config = Descriptors.bytes(9, 2, 30, 0, 1, 1, 0, 0x80, 50, 9, 4, 0, 0, 2, 0xff, 0, 0, 0,
                5, 5, 0x81, 2, 0, 7, 5, 0x02, 2, 0, 2, 0);
        try (VirtualDevice v = VirtualDevice.builder().device(device).descriptor(Descriptors.CONFIGURATION, 0, config)
                .attach()) {
            VirtualDevice.Location at = v.awaitLocation(WAIT);
            v.awaitConfigured(WAIT);
            Path sysfs = Path.of("/sys/bus/usb/devices", at.busId());
            byte[] expected = Arrays.copyOf(device, device.length + config.length);
            System.arraycopy(config, 0, expected, device.length, config.length);
            assertArrayEquals(expected, Files.readAllBytes(sysfs.resolve("descriptors")), "the kernel keeps what the device sent");
            Path itf = Path.of("/sys/bus/usb/devices", at.busId() + ":1.0");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!Files.isDirectory(itf) && System.nanoTime() < deadline) {
                sleep(20);
            }
            assertTrue(Files.isDirectory(itf.resolve("ep_02")), "the valid endpoint is there");
            assertFalse(Files.exists(itf.resolve("ep_81")), "the kernel skipped the 5-byte endpoint");
            v.checkHealthy();
        }
    }

    @Test
    void superSpeedDevice_onTheUpperPorts_withCompanionsAndBos() {
        int pid = 0x7a08;
        byte[] config = Descriptors.configuration(1, 0x80, 25,
                Descriptors.iface(0, 0, 0xff, 0, 0, 0,
                        Descriptors.bulk(0x81, 1024), Descriptors.ssCompanion(3, 0, 0),
                        Descriptors.bulk(0x02, 1024), Descriptors.ssCompanion(3, 0, 0)));
        byte[] bos = Descriptors.bos(Descriptors.usb2Extension(0x02), Descriptors.superSpeedCapability(0x0e, 1, 10, 0x100));
        try (VirtualDevice v = VirtualDevice.builder()
                .device(Descriptors.device(VID, pid).usb(0x0320).maxPacketSize0(9).strings(0, 1, 0))
                .configuration(config).bos(bos).strings("super").speed(Speed.SUPER).attach()) {
            UsbDevice dev = find(v, pid);
            assertEquals(UsbSpeed.SUPER, dev.speed());
            assertEquals(512, dev.descriptor().maxPacketSize0());
            assertArrayEquals(config, bytesOf(dev.configurations().getFirst()));
            assertEquals(2, dev.readBos().orElseThrow().capabilities().size());
            v.checkHealthy();
        }
    }
}
