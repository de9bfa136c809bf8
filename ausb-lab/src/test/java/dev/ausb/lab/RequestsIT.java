package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbConfiguration;
import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDescriptorType;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbIoException;
import dev.ausb.UsbSpeed;
import dev.ausb.UsbStallException;
import dev.ausb.lab.usbip.Descriptors;
import dev.ausb.lab.usbip.Reply;
import dev.ausb.lab.usbip.Setup;
import dev.ausb.lab.usbip.Urb;
import dev.ausb.lab.usbip.UrbHandler;
import dev.ausb.lab.usbip.VirtualDevice;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Control requests as the wire sees them, on a virtual device that records each setup packet:
 * requests bound to an interface (with an entity in wIndex's high byte) and to an endpoint, the raw
 * {@code bmRequestType} form with its direction bit, and the generic descriptor reads (device
 * qualifier, other-speed configuration read header-first and parsed by the public parser, a HID
 * report descriptor from the interface, a reply of the wrong type refused).
 */
@Timeout(120)
class RequestsIT {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration SECOND = Duration.ofSeconds(1);
    static final byte[] QUALIFIER = Descriptors.bytes(10, 6, 0x00, 0x02, 0xff, 0, 0, 64, 1, 0);
    static final byte[] REPORT = Descriptors.bytes(0x05, 0x01, 0x09, 0x06, 0xa1, 0x01, 0xc0); // a HID report descriptor
    private static UsbContext usb;

    @BeforeAll
    static void open() {
        Lab.requireGuest();
        usb = UsbContext.create();
    }

    @AfterAll
    static void close() {
        if (usb != null) {
            usb.close();
        }
    }

    private static Setup setup(VirtualDevice v, int request) {
        Urb u = v.awaitUrb(x -> x.control() && x.setup().request() == request, WAIT);
        return u.setup();
    }

    @Test
    void boundAndRawRequests_carryTheRecipientIndexAndDirection() throws Exception {
        int pid = 0x7b01;
        UrbHandler handler = urb -> {
            if (!urb.control()) {
                return Reply.standard();
            }
            Setup s = urb.setup();
            if (s.type() != 0) { // class and vendor requests: answer IN with 4 bytes, OUT with ok
                return s.in() ? Reply.data(new byte[] {1, 2, 3, 4}) : Reply.ok();
            }
            if (s.request() == Setup.GET_STATUS && s.recipient() == 2 && s.index() == 0x81) {
                return Reply.data(new byte[] {1, 0}); // halted
            }
            return Reply.standard();
        };
        try (VirtualDevice v = UsbipDeviceIT.vendorDevice(pid, handler).standardRequestsToHandler().attach();
                UsbDeviceHandle h = UsbipDeviceIT.find(usb, v, pid).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            assertArrayEquals(new byte[] {1, 2, 3, 4},
                    itf.controlIn(UsbControlRequest.Type.CLASS, 0x11, 0x0100, 4, SECOND).get(10, TimeUnit.SECONDS));
            Setup cls = setup(v, 0x11);
            assertEquals(0xa1, cls.requestType(), "class, IN, interface");
            assertEquals(0x0000, cls.index(), "interface 0");
            assertEquals(0x0100, cls.value());

            h.controlIn(itf.request(UsbControlRequest.Type.CLASS, 0x12, 0x0200, 5), 4, SECOND).get(10, TimeUnit.SECONDS);
            assertEquals(0x0500, setup(v, 0x12).index(), "entity 5 of interface 0, as audio and video classes send it");

            assertEquals(2, itf.inEndpoint(0x81).controlOut(UsbControlRequest.Type.VENDOR, 0x13, 7, new byte[] {9, 9}, SECOND)
                    .get(10, TimeUnit.SECONDS));
            Setup ep = setup(v, 0x13);
            assertEquals(0x42, ep.requestType(), "vendor, OUT, endpoint");
            assertEquals(0x81, ep.index());
            assertEquals(true, itf.inEndpoint(0x81).readHalted().get(10, TimeUnit.SECONDS));
            assertEquals(false, itf.outEndpoint(0x02).readHalted().get(10, TimeUnit.SECONDS));

            // the raw byte, direction included, as libusb and PyUSB take it
            assertArrayEquals(new byte[] {1, 2, 3, 4}, h.control(0xc0, 0x14, 1, 2, 4, SECOND).get(10, TimeUnit.SECONDS));
            Setup raw = setup(v, 0x14);
            assertEquals(0xc0, raw.requestType());
            assertEquals(1, raw.value());
            assertEquals(2, raw.index());
            assertEquals(3, h.control(0x41, 0x15, 0, 0, new byte[] {1, 2, 3}, SECOND).get(10, TimeUnit.SECONDS));
            assertEquals(0x41, setup(v, 0x15).requestType());
            assertThrows(IllegalArgumentException.class, () -> h.control(0x40, 0x16, 0, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> h.control(0xc0, 0x16, 0, 0, new byte[1]));
            itf.close();
            assertThrows(IllegalStateException.class, () -> itf.controlIn(UsbControlRequest.Type.CLASS, 0x11, 0, 4, SECOND));
            v.checkHealthy();
        }
    }

    @Test
    void descriptorReads_reachWhatTheTreeDoesNotHold() throws Exception {
        int pid = 0x7b02;
        byte[] other = Descriptors.configuration(1, 0x80, 50,
                Descriptors.iface(0, 0, 0xff, 0, 0, 0, Descriptors.bulk(0x81, 64), Descriptors.bulk(0x02, 64)));
        other[1] = (byte) UsbDescriptorType.OTHER_SPEED_CONFIGURATION;
        try (VirtualDevice v = UsbipDeviceIT.vendorDevice(pid, urb -> Reply.standard())
                .descriptor(UsbDescriptorType.DEVICE_QUALIFIER, 0, QUALIFIER)
                .descriptor(UsbDescriptorType.OTHER_SPEED_CONFIGURATION, 0, other)
                .descriptor(UsbDescriptorType.HID_REPORT, 0, REPORT)
                .descriptor(UsbDescriptorType.DEBUG, 0, Descriptors.bytes(4, 0x05, 0x81, 0x02)) // claims to be an endpoint
                .attach();
                UsbDeviceHandle h = UsbipDeviceIT.find(usb, v, pid).open()) {
            assertArrayEquals(QUALIFIER, h.readDescriptor(UsbDescriptorType.DEVICE_QUALIFIER, 0));

            byte[] bytes = h.readDescriptor(UsbDescriptorType.OTHER_SPEED_CONFIGURATION, 0);
            assertArrayEquals(other, bytes);
            List<Integer> lengths = v.urbs(0x80).stream().filter(u -> u.setup().request() == Setup.GET_DESCRIPTOR
                    && u.setup().descriptorType() == UsbDescriptorType.OTHER_SPEED_CONFIGURATION)
                    .map(u -> u.setup().length()).toList();
            assertEquals(List.of(9, other.length), lengths, "the header first, then wTotalLength");
            UsbConfiguration c = UsbConfiguration.parse(bytes, UsbSpeed.FULL);
            assertEquals(1, c.interfaces().size());
            assertEquals(64, c.interfaces().getFirst().alternateSettings().getFirst().endpoints().getFirst().maxPacketSize());
            assertEquals(100, c.maxPowerMilliamps());

            byte[] report = h.readDescriptor(UsbControlRequest.Type.STANDARD, UsbControlRequest.Recipient.INTERFACE,
                    UsbDescriptorType.HID_REPORT, 0, 0, 256, SECOND).get(10, TimeUnit.SECONDS);
            assertArrayEquals(REPORT, report);
            Urb u = v.awaitUrb(x -> x.control() && x.setup().descriptorType() == UsbDescriptorType.HID_REPORT, WAIT);
            assertEquals(0x81, u.setup().requestType(), "standard, IN, interface");

            assertThrows(UsbIoException.class, () -> h.readDescriptor(UsbDescriptorType.DEBUG, 0), "a reply of another type");
            assertThrows(UsbStallException.class, () -> h.readDescriptor(UsbDescriptorType.OTG, 0), "none: the device stalls");
            v.checkHealthy();
        }
    }
}
