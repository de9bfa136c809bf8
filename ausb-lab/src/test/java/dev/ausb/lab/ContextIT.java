package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbException;
import dev.ausb.UsbMatchException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The context: its lifecycle and event thread, lookups, snapshots across plug and unplug, logging. */
@Timeout(120)
class ContextIT {
    @BeforeAll
    static void guest() {
        Lab.requireGuest();
    }

    private static long eventThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("ausb-events") && t.isAlive()).count();
    }

    @Test
    void closedContext_failsEveryCallWithIllegalState_andClosesItsHandles() {
        long before = eventThreads();
        UsbContext usb = UsbContext.create();
        assertEquals(before + 1, eventThreads(), "one event thread per context");
        UsbDevice any = usb.devices().getFirst();
        UsbDeviceHandle h = any.open();
        usb.close();
        usb.close(); // idempotent
        assertFalse(usb.isOpen());
        assertFalse(h.isOpen(), "closing the context closed the handle");
        assertEquals(before, eventThreads(), "the event thread has stopped");
        var e = assertThrows(IllegalStateException.class, usb::devices);
        assertEquals("this UsbContext is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> usb.findOne(UsbDeviceFilter.any()));
        assertThrows(IllegalStateException.class, usb::libusbVersion);
        assertThrows(IllegalStateException.class, any::open);
        assertThrows(IllegalStateException.class, any::readStrings);
        assertThrows(IllegalStateException.class, h::readLanguages);
    }

    @Test
    void severalContexts_liveSideBySide() {
        try (UsbContext a = UsbContext.create(); UsbContext b = UsbContext.create()) {
            List<String> da = a.devices().stream().map(Object::toString).toList();
            List<String> db = b.devices().stream().map(Object::toString).toList();
            assertEquals(da, db);
            assertNotSame(a.devices().getFirst(), b.devices().getFirst());
            assertTrue(a.libusbVersion().matches("1\\.0\\.\\d+\\.\\d+.*"), a.libusbVersion());
        }
    }

    @Test
    void lookups_exactlyOneAnyAndAll() {
        try (UsbContext usb = UsbContext.create()) {
            var twins = UsbDeviceFilter.of(0x0627, 0x0001); // QEMU's keyboard and tablet
            UsbMatchException several = assertThrows(UsbMatchException.class, () -> usb.findOne(twins));
            assertEquals(2, several.matchCount());
            assertTrue(several.getMessage().startsWith("2 USB devices match vendorId=0x0627, productId=0x0001"));
            for (UsbDevice d : several.matches()) {
                assertTrue(several.getMessage().contains(d.toString()), several.getMessage());
            }
            assertEquals(2, usb.findAll(twins).size());
            assertTrue(usb.findAny(twins).isPresent());
            UsbMatchException none = assertThrows(UsbMatchException.class,
                    () -> usb.findOne(UsbDeviceFilter.of(0xdead, 0xbeef)));
            assertEquals(0, none.matchCount());
            assertEquals("no USB device matches vendorId=0xdead, productId=0xbeef", none.getMessage());
            long dummyRoots = usb.findAll(UsbDeviceFilter.any().matching("dummy_hcd root hub",
                    d -> d.portPath().isEmpty() && d.hostControllerDriver().orElse("").equals("dummy_hcd"))).size();
            assertEquals(4, dummyRoots, "two dummy_hcd instances, each with a high-speed and a SuperSpeed root hub");
            assertTrue(usb.findAny(UsbDeviceFilter.any().usbClass(0x09, 0x00)).isPresent(), "some hub");
        }
    }

    @Test
    void snapshots_followPlugAndUnplug_andKeepDeviceIdentity() {
        try (UsbContext usb = UsbContext.create()) {
            int before = usb.devices().size();
            UsbDevice d;
            try (Gadget g = Gadget.builder().function("SourceSink", Map.of()).maxSpeed("high-speed").bind()) {
                d = g.await(usb);
                assertEquals(before + 1, usb.devices().size());
                assertSame(d, usb.findOne(g.filter()), "the same device keeps its object");
                g.unplug();
                g.awaitGone(usb);
                assertEquals(before, usb.devices().size());
                assertEquals(g.productId, d.productId(), "an unplugged device keeps its descriptors");
                UsbException e = assertThrows(UsbException.class, d::open);
                assertTrue(e instanceof UsbDeviceGoneException || e.errorName() != null, e.toString());
                g.replug();
                UsbDevice again = g.await(usb);
                assertNotSame(d, again, "a replugged device is a new device");
            }
        }
    }

    @Test
    void libusbMessages_reachSystemLogger() {
        Logger jul = Logger.getLogger("dev.ausb.libusb");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(h);
        java.util.logging.Level old = jul.getLevel();
        jul.setLevel(java.util.logging.Level.ALL);
        try (UsbContext usb = UsbContext.newBuilder().logLevel(System.Logger.Level.DEBUG).build()) {
            usb.devices();
        } finally {
            jul.removeHandler(h);
            jul.setLevel(old);
        }
        assertTrue(records.size() > 3, "libusb debug messages logged: " + records.size());
        assertTrue(records.stream().anyMatch(r -> r.getMessage().contains("libusb")), "libusb's own text");
    }
}
