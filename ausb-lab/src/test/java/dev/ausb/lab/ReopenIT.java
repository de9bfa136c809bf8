package dev.ausb.lab;

import static dev.ausb.lab.UsbipDeviceIT.VID;
import static dev.ausb.lab.UsbipDeviceIT.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbSpeed;
import dev.ausb.UsbTimeoutException;
import dev.ausb.lab.usbip.Descriptors;
import dev.ausb.lab.usbip.Speed;
import dev.ausb.lab.usbip.VirtualDevice;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code reopen} on the context's hotplug events, against virtual devices on vhci_hcd: a device that
 * comes back as another (a firmware's vendor and product) on the same port at another address, one
 * that comes back at SuperSpeed on the USB 3 peer port of the high-speed port it left (a loader that
 * enumerated at high speed, as Cypress FX3's does), and a wait that ends in a timeout.
 */
@Timeout(120)
class ReopenIT {
    private static UsbContext usb;

    @BeforeAll
    static void context() {
        Lab.requireGuest();
        assertTrue(VirtualDevice.available(), "vhci_hcd is loaded by the lab's init");
        usb = UsbContext.create();
        assertTrue(usb.hasHotplug(), "libusb's hotplug in the lab");
    }

    @AfterAll
    static void close() {
        if (usb != null) {
            usb.close();
        }
    }

    /** A vendor-class device with one bulk IN endpoint, at high or SuperSpeed (BOS and companion). */
    static VirtualDevice.Builder device(int pid, Speed speed) {
        VirtualDevice.Builder b = VirtualDevice.builder().strings("reopen " + pid).speed(speed);
        if (speed == Speed.SUPER) {
            return b.device(Descriptors.device(VID, pid).usb(0x0320).maxPacketSize0(9).strings(0, 1, 0))
                    .configuration(Descriptors.configuration(1, 0x80, 25, Descriptors.iface(0, 0, 0xff, 0, 0, 0,
                            Descriptors.bulk(0x81, 1024), Descriptors.ssCompanion(0, 0, 0))))
                    .bos(Descriptors.bos(Descriptors.usb2Extension(0x02), Descriptors.superSpeedCapability(0x0e, 1, 10, 0x100)));
        }
        return b.device(Descriptors.device(VID, pid).strings(0, 1, 0))
                .configuration(Descriptors.configuration(1, 0x80, 25, Descriptors.iface(0, 0, 0xff, 0, 0, 0,
                        Descriptors.bulk(0x81, 512))));
    }

    /** Waits (bounded) until the context no longer lists {@code d} as attached. */
    private static void awaitLeft(UsbDevice d) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (d.isAttached() && System.nanoTime() < deadline) {
            UsbipDeviceIT.sleep(20);
        }
        assertFalse(d.isAttached(), d + " left");
    }

    @Test
    void aDeviceThatComesBackAsAnother_onTheSamePort_isFoundByWhatIsExpected() throws Exception {
        int loader = 0x7c01;
        int firmware = 0x7c02;
        VirtualDevice first = device(loader, Speed.HIGH).attach();
        int port = first.port();
        UsbDevice before = UsbipDeviceIT.find(usb, first, loader);
        UsbDeviceHandle h = before.open();
        // the wait starts while the loader is still there: the expected filter keeps it from being taken
        CompletableFuture<UsbDeviceHandle> reopened = CompletableFuture.supplyAsync(
                () -> h.reopen(UsbDeviceFilter.of(VID, firmware), Duration.ofSeconds(60)));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (h.isOpen() && System.nanoTime() < deadline) {
            UsbipDeviceIT.sleep(20);
        }
        assertFalse(h.isOpen(), "reopen closed the old handle");
        UsbipDeviceIT.sleep(300);
        assertFalse(reopened.isDone(), "the loader is not what is expected back");
        first.close(); // unplugged: the firmware "re-enumerates"
        awaitLeft(before);
        UsbipDeviceIT.sleep(300);
        assertFalse(reopened.isDone(), "nothing there yet");
        try (VirtualDevice second = device(firmware, Speed.HIGH).port(port).attach()) {
            try (UsbDeviceHandle back = reopened.get(60, TimeUnit.SECONDS)) {
                UsbDevice d = back.device();
                assertEquals(firmware, d.productId());
                assertEquals(before.bus(), d.bus());
                assertEquals(before.portPath(), d.portPath());
                assertNotEquals(before.address(), d.address(), "a new address");
                assertTrue(back.isOpen());
            }
            second.checkHealthy();
        }
    }

    @Test
    void aDeviceThatComesBackAtSuperSpeed_onThePeerPort_isFound() throws Exception {
        int pid = 0x7c03;
        VirtualDevice loader = device(pid, Speed.HIGH).attach();
        int port = loader.port();
        int peer = VirtualDevice.peerPort(port);
        UsbDevice before = UsbipDeviceIT.find(usb, loader, pid);
        assertEquals(UsbSpeed.HIGH, before.speed());
        UsbDeviceHandle h = before.open();
        // with nothing expected, right after the "load firmware" command: the loader, still attached, is not taken
        CompletableFuture<UsbDeviceHandle> reopened = CompletableFuture.supplyAsync(() -> h.reopen(Duration.ofSeconds(60)));
        UsbipDeviceIT.sleep(500);
        assertFalse(reopened.isDone(), "the device the handle had never counts");
        loader.close();
        awaitLeft(before);
        UsbipDeviceIT.sleep(300);
        assertFalse(reopened.isDone(), "nothing there yet");
        try (VirtualDevice ss = device(pid, Speed.SUPER).port(peer).attach()) {
            try (UsbDeviceHandle back = reopened.get(60, TimeUnit.SECONDS)) {
                UsbDevice d = back.device();
                assertEquals(UsbSpeed.SUPER, d.speed());
                assertNotEquals(before.bus(), d.bus(), "the other root hub of vhci_hcd.0");
                assertEquals(before.portPath(), d.portPath(), "the same connector: vhci numbers both hubs' ports alike");
                assertTrue(d.readBos().isPresent(), "a SuperSpeed device's BOS");
            }
            ss.checkHealthy();
        }
    }

    @Test
    void aReopenThatFindsNothing_timesOut_theDeviceStillThereIsNotTakenForOneComingBack_andBadArgumentsLeaveTheHandleOpen() throws Exception {
        int pid = 0x7c04;
        try (VirtualDevice v = device(pid, Speed.HIGH).attach()) {
            UsbDevice d = UsbipDeviceIT.find(usb, v, pid);
            UsbDeviceHandle h = d.open();
            assertThrows(IllegalArgumentException.class, () -> h.reopen(Duration.ZERO));
            assertThrows(NullPointerException.class, () -> h.reopen(null, Duration.ofSeconds(1)));
            assertTrue(h.isOpen(), "a refused reopen closes nothing");
            long t0 = System.nanoTime();
            UsbTimeoutException e = assertThrows(UsbTimeoutException.class,
                    () -> h.reopen(UsbDeviceFilter.of(VID, 0x7cff), Duration.ofMillis(700)));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 600 && ms < 5000, "timed out after " + ms + " ms");
            assertTrue(e.getMessage().contains("productId=0x7cff"), e.getMessage());
            assertFalse(h.isOpen());
            // nor is the device still there, which did not re-enumerate, found with nothing expected
            UsbDeviceHandle h2 = d.open();
            assertThrows(UsbTimeoutException.class, () -> h2.reopen(Duration.ofMillis(500)));
            assertThrows(IllegalArgumentException.class, () -> h2.reopen(Duration.ofSeconds(-1)));
            v.checkHealthy();
        }
    }
}
