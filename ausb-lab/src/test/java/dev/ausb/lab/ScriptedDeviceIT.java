package dev.ausb.lab;

import static dev.ausb.lab.TransfersIT.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbAlternateSetting;
import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbControlRequest.Recipient;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDirection;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOutEndpoint;
import dev.ausb.UsbOverflowException;
import dev.ausb.UsbStallException;
import dev.ausb.UsbTimeoutException;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferType;
import dev.ausb.lab.FfsFunction.Desc;
import dev.ausb.lab.FfsFunction.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Devices the tests implement themselves through FunctionFS ({@link FfsFunction}): control
 * requests answered, stalled, delayed or left to die; endpoints halted by the device; replies
 * larger than the host asked for; descriptors no kernel gadget has.
 */
@Timeout(120)
class ScriptedDeviceIT {
    static final int ECHO = 0x01;
    static final int STALL = 0x02;
    static final int SLOW = 0x03;
    static final int SHORT = 0x04;
    static final int STORE = 0x05;
    private static UsbContext usb;

    @BeforeAll
    static void context() {
        Lab.requireGuest();
        usb = UsbContext.create();
    }

    @AfterAll
    static void close() {
        if (usb != null) {
            usb.close();
        }
    }

    /** A vendor function: interface 0 (class 0xff) with a bulk IN, a bulk OUT and an interrupt IN endpoint. */
    private static FfsFunction.Builder vendorFunction() {
        return FfsFunction.builder()
                .descriptors(Desc.iface(0, 0, 3, 0xff, 0x42, 0x07, 1), Desc.bulk(0x81, 64), Desc.bulk(0x02, 64),
                        Desc.interrupt(0x83, 16, 4))
                .highSpeed(Desc.iface(0, 0, 3, 0xff, 0x42, 0x07, 1), Desc.bulk(0x81, 512), Desc.bulk(0x02, 512),
                        Desc.interrupt(0x83, 16, 4))
                .strings("Scripted interface")
                .onSetup(s -> switch (s.request()) {
                    case ECHO -> Reply.data(new byte[] {(byte) s.value(), (byte) (s.value() >> 8), (byte) s.index(), 0x55});
                    case SHORT -> Reply.data(new byte[] {1, 2, 3});
                    case SLOW -> Reply.after(Duration.ofMillis(1500), Reply.data(new byte[] {9}));
                    case STORE -> Reply.accept();
                    default -> Reply.stall();
                });
    }

    private static Gadget plug(FfsFunction f, int productId) {
        return Gadget.builder().productId(productId).strings("Lab", "Scripted").functionFs(f)
                .maxSpeed("high-speed").udc(0).bind();
    }

    private static UsbEndpoint endpoint(UsbInterfaceHandle itf, UsbDirection dir, UsbTransferType type) {
        return itf.endpoints().stream().filter(e -> e.direction() == dir && e.transferType() == type).findFirst()
                .orElseThrow();
    }

    private static UsbControlRequest vendor(int request, int value, int index) {
        return UsbControlRequest.vendor(Recipient.INTERFACE, request, value, index);
    }

    @Test
    void controlRequests_answeredStalledShortAndStored_asTheDeviceDecides() throws Exception {
        FfsFunction f = vendorFunction().build();
        try (Gadget g = plug(f, 0x5c01); UsbDeviceHandle h = g.await(usb).open()) {
            f.awaitEnabled();
            assertArrayEquals(new byte[] {0x34, 0x12, 0, 0x55}, h.controlIn(vendor(ECHO, 0x1234, 0), 64)
                    .get(5, TimeUnit.SECONDS));

            Throwable stalled = failure(h.controlIn(vendor(STALL, 0, 0), 8));
            assertInstanceOf(UsbStallException.class, stalled);
            assertTrue(stalled.getMessage().contains("1a0a:5c01"), stalled.getMessage());
            // a SETUP clears ep0's stall: the next request is answered
            assertEquals(4, h.controlIn(vendor(ECHO, 7, 0), 4).get(5, TimeUnit.SECONDS).length);

            assertArrayEquals(new byte[] {1, 2, 3}, h.controlIn(vendor(SHORT, 0, 0), 200).get(5, TimeUnit.SECONDS),
                    "a short reply completes with what came");
            assertArrayEquals(new byte[] {1, 2}, h.controlIn(vendor(SHORT, 0, 0), 2).get(5, TimeUnit.SECONDS),
                    "the device's reply is cut to wLength");

            assertEquals(5, h.controlOut(vendor(STORE, 0, 0), new byte[] {5, 4, 3, 2, 1}).get(5, TimeUnit.SECONDS));
            assertEquals(0, h.controlOut(vendor(STORE, 1, 0), new byte[0]).get(5, TimeUnit.SECONDS));
            assertInstanceOf(UsbStallException.class, failure(h.controlOut(vendor(0x7f, 0, 0), new byte[] {1})));
            List<byte[]> stored = f.received();
            assertEquals(2, stored.size());
            assertArrayEquals(new byte[] {5, 4, 3, 2, 1}, stored.get(0));
            assertArrayEquals(new byte[0], stored.get(1));

            FfsFunction.Setup last = f.setups().getLast();
            assertEquals(0x41, last.requestType(), "vendor, host-to-device, interface");
            assertEquals(0x7f, last.request());
            f.checkHealthy();
        }
    }

    @Test
    void slowDevice_controlTimeout_failsInTime_andTheDeviceAnswersLaterRequests() throws Exception {
        FfsFunction f = vendorFunction().build();
        try (Gadget g = plug(f, 0x5c02); UsbDeviceHandle h = g.await(usb).open()) {
            f.awaitEnabled();
            long t0 = System.nanoTime();
            Throwable t = failure(h.controlIn(vendor(SLOW, 0, 0), 8, Duration.ofMillis(300)));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertInstanceOf(UsbTimeoutException.class, t);
            assertTrue(ms >= 250 && ms < 1400, "timed out after " + ms + " ms");
            // the same request with time enough is answered
            assertArrayEquals(new byte[] {9}, h.controlIn(vendor(SLOW, 0, 0), 8, Duration.ofSeconds(5))
                    .get(10, TimeUnit.SECONDS));
            assertEquals(4, h.controlIn(vendor(ECHO, 1, 0), 4).get(5, TimeUnit.SECONDS).length);
        }
    }

    @Test
    void deviceHaltsItsEndpoint_readsStall_clearHaltRecovers() throws Exception {
        FfsFunction f = vendorFunction().build();
        try (Gadget g = plug(f, 0x5c03); UsbDeviceHandle h = g.await(usb).open();
                UsbInterfaceHandle itf = h.claimInterface(0)) {
            f.awaitEnabled();
            UsbInEndpoint in = itf.inEndpoint(endpoint(itf, UsbDirection.IN, UsbTransferType.BULK).address());
            var sent = f.send(1, new byte[] {1, 2, 3, 4, 5});
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, in.read(512).get(5, TimeUnit.SECONDS));
            assertEquals(5, sent.get(5, TimeUnit.SECONDS));

            f.halt(1, true); // the device halts bulk IN by itself: no SET_FEATURE from the host
            Throwable t = failure(in.read(512, Duration.ofSeconds(5)));
            assertInstanceOf(UsbStallException.class, t);
            in.clearHalt();
            sent = f.send(1, new byte[] {6, 7});
            assertArrayEquals(new byte[] {6, 7}, in.read(512).get(5, TimeUnit.SECONDS));
            sent.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void deviceSendsMoreThanAskedFor_isAnOverflow_andOutCarriesOn() throws Exception {
        FfsFunction f = vendorFunction().build();
        try (Gadget g = plug(f, 0x5c04); UsbDeviceHandle h = g.await(usb).open();
                UsbInterfaceHandle itf = h.claimInterface(0)) {
            f.awaitEnabled();
            UsbInEndpoint in = itf.inEndpoint(endpoint(itf, UsbDirection.IN, UsbTransferType.BULK).address());
            f.send(1, new byte[512]);
            Throwable t = failure(in.read(100, Duration.ofSeconds(5)));
            assertInstanceOf(UsbOverflowException.class, t, String.valueOf(t));
            // the OUT direction carries on and the device gets every byte
            UsbOutEndpoint out = itf.outEndpoint(endpoint(itf, UsbDirection.OUT, UsbTransferType.BULK).address());
            var got = f.receive(2, 4096);
            byte[] data = new byte[700];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 7);
            }
            assertEquals(700, out.write(data).get(5, TimeUnit.SECONDS));
            assertArrayEquals(data, got.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void interruptEndpoint_deliversWhatTheDeviceReports_whenItReportsIt() throws Exception {
        FfsFunction f = vendorFunction().build();
        try (Gadget g = plug(f, 0x5c05); UsbDeviceHandle h = g.await(usb).open();
                UsbInterfaceHandle itf = h.claimInterface(0)) {
            f.awaitEnabled();
            UsbEndpoint ep = endpoint(itf, UsbDirection.IN, UsbTransferType.INTERRUPT);
            assertEquals(16, ep.maxPacketSize());
            UsbInEndpoint irq = itf.inEndpoint(ep.address());
            UsbTransferFuture<byte[]> pending = irq.read(16);
            Thread.sleep(300);
            assertFalse(pending.isDone(), "nothing to report yet");
            f.send(3, new byte[] {(byte) 0xa5, 0x01});
            assertArrayEquals(new byte[] {(byte) 0xa5, 0x01}, pending.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void deviceDiesMidRequest_pendingTransfersFailDeviceGone_andCloseWorks() throws Exception {
        FfsFunction f = FfsFunction.builder()
                .descriptors(Desc.iface(0, 0, 2, 0xff, 0, 0, 0), Desc.bulk(0x81, 64), Desc.bulk(0x02, 64))
                .highSpeed(Desc.iface(0, 0, 2, 0xff, 0, 0, 0), Desc.bulk(0x81, 512), Desc.bulk(0x02, 512))
                .onSetup(s -> s.request() == 0x66 ? Reply.die() : Reply.stall())
                .build();
        try (Gadget g = plug(f, 0x5c06)) {
            UsbDevice dev = g.await(usb);
            UsbDeviceHandle h = dev.open();
            UsbInterfaceHandle itf = h.claimInterface(0);
            f.awaitEnabled();
            UsbInEndpoint in = itf.inEndpoint(endpoint(itf, UsbDirection.IN, UsbTransferType.BULK).address());
            List<UsbTransferFuture<byte[]>> reads = List.of(in.read(512), in.read(512), in.read(512));
            // the process behind the device dies while answering this request
            Throwable t = failure(h.controlIn(vendor(0x66, 0, 0), 8, Duration.ofSeconds(5)));
            assertInstanceOf(UsbDeviceGoneException.class, t);
            for (var r : reads) {
                assertInstanceOf(UsbDeviceGoneException.class, failure(r));
            }
            g.awaitGone(usb);
            assertInstanceOf(UsbDeviceGoneException.class, failure(in.read(512)));
            h.close();
            assertFalse(h.isOpen());
        }
    }

    @Test
    void hidFunction_hasItsClassDescriptor_interfaceString_andInterruptInterval() throws Exception {
        // a HID class descriptor (0x21) as FunctionFS accepts it, then one interrupt IN endpoint
        byte[] hid = Desc.raw(0x21, 0x11, 0x01, 0x00, 0x01, 0x22, 0x2d, 0x00);
        FfsFunction f = FfsFunction.builder()
                .descriptors(Desc.iface(0, 0, 1, 0x03, 0x00, 0x00, 1), hid, Desc.interrupt(0x81, 8, 10))
                .highSpeed(Desc.iface(0, 0, 1, 0x03, 0x00, 0x00, 1), hid, Desc.interrupt(0x81, 8, 7))
                .strings("Scripted HID")
                .onSetup(s -> Reply.stall())
                .build();
        try (Gadget g = plug(f, 0x5c07)) {
            UsbDevice dev = g.await(usb);
            UsbAlternateSetting alt = dev.configurations().getFirst().interfaces().getFirst().alternateSettings()
                    .getFirst();
            assertEquals(0x03, alt.interfaceClass());
            assertEquals(1, alt.extra().size(), "the HID descriptor sits between interface and endpoint");
            assertArrayEquals(hid, alt.extra().getFirst().bytes());
            assertEquals(0x22, alt.extra().getFirst().u8(6), "report descriptor type");
            assertEquals(0x2d, alt.extra().getFirst().u16(7), "report descriptor length");
            UsbEndpoint ep = alt.endpoints().getFirst();
            assertEquals(UsbTransferType.INTERRUPT, ep.transferType());
            assertEquals(7, ep.interval(), "high-speed interval as written");
            try (UsbDeviceHandle h = dev.open()) {
                assertEquals("Scripted HID", h.readString(alt.nameIndex()).orElseThrow());
                assertEquals("Scripted", h.readStrings().product().orElseThrow());
            }
        }
    }
}
