package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbHotplugEvent;
import dev.ausb.UsbHotplugSubscription;
import dev.ausb.UsbNotSupportedException;
import dev.ausb.UsbSpeed;
import dev.ausb.hub.HubDescriptor;
import dev.ausb.hub.HubStatus;
import dev.ausb.hub.LinkState;
import dev.ausb.hub.PortChange;
import dev.ausb.hub.PortIndicator;
import dev.ausb.hub.PortStatus;
import dev.ausb.hub.UsbHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hub control against the real hubs of the lab: QEMU's usb-hub (8 ports, the keyboard on 1 and the
 * tablet on 2), QEMU's xHCI root hubs (USB 2 and SuperSpeed), and dummy_hcd's root hubs, the one
 * hub here whose port power acts: off reads back as 0x0000, on re-enumerates the gadget, and
 * hotplug sees it leave and come back. Every port's status is checked against the kernel's view:
 * connected exactly where the context lists a device, at the speed the kernel says.
 */
@Timeout(240)
class HubIT {
    static final long EVENT_S = 30;
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

    private static Gadget gadget(int pid) {
        return Gadget.builder().productId(pid).strings("Lab", "Hub port").function("SourceSink", Map.of())
                .maxSpeed("high-speed").udc(1).bind();
    }

    /** Every port: connected exactly where a device is listed below it, at the kernel's speed for it. */
    private static void agreesWithTheKernel(UsbHub hub, List<PortStatus> ports) {
        for (PortStatus p : ports) {
            Optional<UsbDevice> at = hub.deviceAt(p.port());
            assertEquals(at.isPresent(), p.connected(), hub + " " + p + " device " + at);
            if (at.isPresent()) {
                assertTrue(p.enabled(), p.toString());
                assertTrue(p.powered(), p.toString());
                UsbSpeed expected = at.get().speed();
                assertEquals(expected, p.speed().orElseThrow(), p + " of " + at.get());
                if (hub.isSuperSpeed()) {
                    assertEquals(Optional.of(LinkState.U0), p.linkState(), p.toString());
                }
            }
        }
    }

    private static List<UsbDevice> rootHubs(String driver) {
        return usb.devices().stream().filter(d -> d.portPath().isEmpty() && d.isHub()
                && d.hostControllerDriver().orElse("").equals(driver)).toList();
    }

    @Test
    void qemuHub_hasEightPortsWithTheKeyboardAndTheTablet() {
        UsbDevice hubDevice = usb.findOne(QemuHotplugIT.HUB);
        try (UsbHub hub = UsbHub.open(hubDevice)) {
            HubDescriptor d = hub.descriptor();
            System.out.println("HubIT: QEMU usb-hub " + d + ", characteristics 0x" + Integer.toHexString(d.characteristics()));
            assertFalse(hub.isSuperSpeed());
            assertFalse(d.superSpeed());
            assertEquals(8, d.portCount());
            assertEquals(hubDevice.hubPortCount().orElseThrow(), d.portCount(), "the kernel's maxchild");
            List<PortStatus> ports = hub.portStatuses();
            ports.forEach(p -> System.out.println("HubIT:   " + p));
            assertEquals(8, ports.size());
            agreesWithTheKernel(hub, ports);
            UsbDevice kbd = hub.deviceAt(1).orElseThrow();
            UsbDevice tablet = hub.deviceAt(2).orElseThrow();
            assertEquals(0x0627, kbd.vendorId());
            assertEquals(List.of(1, 1), kbd.portPath());
            assertEquals(0x0627, tablet.vendorId());
            assertEquals(List.of(1, 2), tablet.portPath());
            assertEquals(Optional.of(UsbSpeed.FULL), ports.get(0).speed());
            for (int p = 3; p <= 8; p++) {
                assertFalse(ports.get(p - 1).connected(), ports.get(p - 1).toString());
                assertEquals(Optional.empty(), hub.deviceAt(p));
            }
            HubStatus s = hub.status();
            assertFalse(s.overCurrent(), s.toString());
            assertFalse(s.localPowerLost(), s.toString());
            if (!d.indicatorsSupported()) {
                assertThrows(UsbNotSupportedException.class, () -> hub.setPortIndicator(1, PortIndicator.GREEN));
            }
            assertThrows(IllegalArgumentException.class, () -> hub.portStatus(9));
            assertThrows(IllegalArgumentException.class, () -> hub.portStatus(0));
            // QEMU's hub accepts port power requests, and its status keeps the tablet connected
            // (../shared/lab/README.md): the request is well-formed, and this hub does not act on it
            try {
                hub.setPortPower(2, false);
                PortStatus off = hub.portStatus(2);
                System.out.println("HubIT: QEMU hub port 2 after power off: " + off);
                assertTrue(off.connected(), off.toString());
            } finally {
                hub.setPortPower(2, true);
            }
            assertTrue(hub.portStatus(2).powered());
            assertEquals(tablet, hub.deviceAt(2).orElseThrow());
        }
    }

    @Test
    void xhciRootHubs_oneUsb2AndOneSuperSpeed_withTheirDevices() {
        List<UsbDevice> roots = rootHubs("xhci_hcd");
        assertEquals(2, roots.size(), "QEMU's xHCI has a USB 2 and a SuperSpeed root hub: " + roots);
        int superSpeed = 0;
        for (UsbDevice root : roots) {
            try (UsbHub hub = UsbHub.open(root)) {
                HubDescriptor d = hub.descriptor();
                List<PortStatus> ports = hub.portStatuses();
                System.out.println("HubIT: xHCI root hub " + root + ": " + d);
                ports.forEach(p -> System.out.println("HubIT:   " + p));
                assertEquals(root.speed().compareTo(UsbSpeed.SUPER) >= 0, d.superSpeed(), "the form read: " + root);
                assertEquals(root.hubPortCount().orElseThrow(), d.portCount(), "the kernel's maxchild");
                agreesWithTheKernel(hub, ports);
                if (hub.isSuperSpeed()) {
                    superSpeed++;
                    // the UAS disk is the SuperSpeed device of the zoo
                    assertTrue(ports.stream().anyMatch(PortStatus::connected), "a SuperSpeed device: " + ports);
                    for (PortStatus p : ports) {
                        assertTrue(p.powered(), p.toString());
                        if (!p.connected()) {
                            assertNotEquals(LinkState.U0, p.linkState().orElseThrow(), p.toString());
                        }
                    }
                } else {
                    assertEquals(QemuHotplugIT.HUB.test(hub.deviceAt(1).orElseThrow()), true, "usb-hub on port 1");
                }
            }
        }
        assertEquals(1, superSpeed);
    }

    @Test
    void dummyRootHubs_describeTheirOnePortAndTheGadgetOnIt() {
        try (Gadget g = gadget(0x4b01)) {
            UsbDevice dev = g.await(usb);
            UsbDevice root = dev.parent().orElseThrow();
            try (UsbHub hub = UsbHub.open(root)) {
                HubDescriptor d = hub.descriptor();
                System.out.println("HubIT: dummy_hcd root hub " + root + ": " + d);
                assertFalse(d.superSpeed());
                assertEquals(1, d.portCount());
                PortStatus p = hub.portStatus(1);
                System.out.println("HubIT:   " + p);
                assertTrue(p.connected() && p.enabled() && p.powered(), p.toString());
                assertEquals(Optional.of(UsbSpeed.HIGH), p.speed());
                assertEquals(dev.address(), hub.deviceAt(1).orElseThrow().address());
                // change bits: the hub accepts the clear of a USB 2.0 one; a SuperSpeed one is refused here
                hub.clearPortChange(1, PortChange.CONNECTION);
                assertFalse(hub.portStatus(1).changed(PortChange.CONNECTION));
                assertThrows(IllegalArgumentException.class, () -> hub.clearPortChange(1, PortChange.LINK_STATE));
                assertThrows(UsbNotSupportedException.class, () -> hub.warmResetPort(1));
                hub.clearOverCurrentChange();
                assertFalse(hub.status().overCurrentChanged());
            }
            List<UsbDevice> roots = rootHubs("dummy_hcd");
            long ss = 0;
            for (UsbDevice r : roots) {
                try (UsbHub hub = UsbHub.open(r)) {
                    assertEquals(r.speed() == UsbSpeed.SUPER, hub.descriptor().superSpeed(), r.toString());
                    assertEquals(1, hub.descriptor().portCount());
                    if (r.equals(root)) {
                        agreesWithTheKernel(hub, hub.portStatuses()); // the others may have gadgets coming or going
                    }
                    if (hub.isSuperSpeed()) {
                        ss++;
                        System.out.println("HubIT: dummy_hcd SuperSpeed root hub " + r + ": " + hub.descriptor() + "; "
                                + hub.portStatus(1));
                    }
                }
            }
            assertEquals(2, ss, "dh.num=2 is_super_speed=1: two SuperSpeed root hubs: " + roots);
        }
    }

    private static UsbHotplugEvent next(LinkedBlockingQueue<UsbHotplugEvent> q) throws InterruptedException {
        UsbHotplugEvent e = q.poll(EVENT_S, TimeUnit.SECONDS);
        assertTrue(e != null, "no hotplug event within " + EVENT_S + " s");
        return e;
    }

    private static PortStatus awaitPort(UsbHub hub, boolean connected) throws InterruptedException {
        long deadline = System.nanoTime() + EVENT_S * 1_000_000_000L;
        PortStatus s;
        while (!((s = hub.portStatus(1)).connected() == connected && (!connected || s.enabled()))) {
            assertTrue(System.nanoTime() < deadline, "port 1 not " + (connected ? "connected" : "disconnected") + ": " + s);
            Thread.sleep(50);
        }
        return s;
    }

    @Test
    void dummyPortPower_offReadsZero_onReEnumerates_andHotplugSeesBoth() throws Exception {
        try (Gadget g = gadget(0x4b02)) {
            UsbDevice first = g.await(usb);
            LinkedBlockingQueue<UsbHotplugEvent> events = new LinkedBlockingQueue<>();
            try (UsbHub hub = UsbHub.open(first.parent().orElseThrow());
                    UsbHotplugSubscription s = usb.watch(g.filter(), false, events::add)) {
                hub.setPortPower(1, false);
                try {
                    PortStatus off = hub.portStatus(1);
                    System.out.println("HubIT: powered off: " + off);
                    assertFalse(off.powered(), off.toString());
                    assertFalse(off.connected(), off.toString());
                    assertEquals(0, off.status(), "dummy_hcd's port reads 0x0000 when off: " + off);
                } finally {
                    hub.setPortPower(1, true); // never leave UDC 1's port off for the classes after
                }
                UsbHotplugEvent left = next(events);
                assertEquals(UsbHotplugEvent.Kind.LEFT, left.kind());
                assertEquals(first, left.device().orElseThrow());
                UsbHotplugEvent back = next(events);
                assertEquals(UsbHotplugEvent.Kind.ARRIVED, back.kind());
                assertNotEquals(first.address(), back.device().orElseThrow().address(), "re-enumerated with a new device number");
                PortStatus on = awaitPort(hub, true);
                System.out.println("HubIT: powered on: " + on);
                assertTrue(on.powered());
                try (UsbDeviceHandle h = back.device().orElseThrow().open()) {
                    assertEquals(Optional.of(g.serial), h.readStrings().serialNumber());
                }
            }
        }
    }

    /**
     * dummy_hcd with is_super_speed=1 is a USB 3 controller: a USB 2 root hub and a SuperSpeed one,
     * their ports linked as peers in sysfs. UsbHub finds each half from the other, and
     * {@code ausb hub --power off} switches the port on both halves unless told --exact.
     */
    @Test
    void usb3RootHubPair_eachHalfFindsTheOther_andPowerSwitchesBothUnlessExact() throws Exception {
        try (Gadget g = gadget(0x4b07)) {
            UsbDevice first = g.await(usb);
            UsbDevice hs = first.parent().orElseThrow();
            UsbDevice ss;
            try (UsbHub hub = UsbHub.open(hs)) {
                assertFalse(hub.isSuperSpeed(), hub.toString());
                ss = hub.peer().orElseThrow(() -> new AssertionError("no peer found for " + hs));
                assertNotEquals(hs.bus(), ss.bus(), "the other half is on its own bus");
                assertEquals(UsbSpeed.SUPER, ss.speed(), ss.toString());
                assertEquals(new UsbHub.Port(ss, 1), hub.peerPort(1).orElseThrow());
            }
            try (UsbHub other = UsbHub.open(ss)) {
                assertTrue(other.isSuperSpeed());
                assertEquals(hs, other.peer().orElseThrow(), "the peer's peer is the hub itself");
                assertEquals(new UsbHub.Port(hs, 1), other.peerPort(1).orElseThrow());
            }
            String hsPath = "usb" + hs.bus();
            String ssPath = "usb" + ss.bus();
            LabResult table = Lab.ausb("hub", "-p", hsPath);
            assertEquals(0, table.exitCode(), table.err());
            assertTrue(table.out().lines().findFirst().orElse("").endsWith(", peer " + ssPath), table.out());
            try (UsbHub hub = UsbHub.open(hs); UsbHub other = UsbHub.open(ss)) {
                try {
                    LabResult off = Lab.ausb("hub", "-p", hsPath, "--power", "off", "1");
                    assertEquals(0, off.exitCode(), off.err());
                    assertTrue(off.out().contains(hsPath + " power off: port 1: 0x0000"), off.out());
                    assertTrue(off.out().contains(ssPath + " power off: port 1: "), off.out());
                    assertFalse(hub.portStatus(1).powered(), "USB 2 half: " + hub.portStatus(1));
                    assertFalse(other.portStatus(1).powered(), "SuperSpeed half: " + other.portStatus(1));
                    LabResult on = Lab.ausb("hub", "-p", hsPath, "--power", "on", "1");
                    assertEquals(0, on.exitCode(), on.err());
                    assertTrue(hub.portStatus(1).powered(), hub.portStatus(1).toString());
                    assertTrue(other.portStatus(1).powered(), other.portStatus(1).toString());

                    LabResult exact = Lab.ausb("hub", "-p", hsPath, "--power", "off", "1", "--exact");
                    assertEquals(0, exact.exitCode(), exact.err());
                    assertFalse(exact.out().contains(ssPath), "--exact leaves the peer alone: " + exact.out());
                    assertFalse(hub.portStatus(1).powered(), hub.portStatus(1).toString());
                    assertTrue(other.portStatus(1).powered(), "--exact: the SuperSpeed half stays powered: "
                            + other.portStatus(1));
                } finally {
                    hub.setPortPower(1, true); // never leave UDC 1's ports off for the tests after
                    other.setPortPower(1, true);
                }
            }
            long deadline = System.nanoTime() + EVENT_S * 1_000_000_000L;
            while (usb.findAll(g.filter()).stream().noneMatch(d -> d != first && d.isAttached())) {
                assertTrue(System.nanoTime() < deadline, "the gadget did not come back after power returned");
                Thread.sleep(100);
            }
            assertFalse(first.isAttached(), "the gadget re-enumerated: the first device is gone");
            assertEquals(2, Lab.ausb("hub", "-p", hsPath, "--reset", "1", "--exact").exitCode(), "--exact is for --power");
        }
    }

    @Test
    void dummyPortPowerCycle_bringsTheGadgetBackAtANewAddress() throws Exception {
        try (Gadget g = gadget(0x4b03)) {
            UsbDevice first = g.await(usb);
            LinkedBlockingQueue<UsbHotplugEvent> events = new LinkedBlockingQueue<>();
            try (UsbHub hub = UsbHub.open(first.parent().orElseThrow());
                    UsbHotplugSubscription s = usb.watch(g.filter(), false, events::add)) {
                hub.cyclePortPower(1, java.time.Duration.ofMillis(300));
                assertEquals(UsbHotplugEvent.Kind.LEFT, next(events).kind());
                UsbHotplugEvent back = next(events);
                assertEquals(UsbHotplugEvent.Kind.ARRIVED, back.kind());
                assertNotEquals(first.address(), back.device().orElseThrow().address());
                assertEquals(back.device().orElseThrow().address(), hub.deviceAt(1).orElseThrow().address());
            }
        }
    }

    @Test
    void dummyPortReset_endsWithThePortEnabled_andTheDeviceAnswersAfterItsOwnReset() throws Exception {
        try (Gadget g = gadget(0x4b04)) {
            UsbDevice dev = g.await(usb);
            try (UsbHub hub = UsbHub.open(dev.parent().orElseThrow())) {
                PortStatus after = hub.resetPort(1);
                System.out.println("HubIT: after reset: " + after);
                assertFalse(after.resetting(), after.toString());
                assertTrue(after.connected() && after.enabled() && after.powered(), after.toString());
            }
            // the reset left the device at address 0 behind the kernel's back: what it does next is printed,
            // and the device must be usable again once the kernel has reset it itself
            UsbDevice now = awaitAny(g);
            System.out.println("HubIT: after the hub reset the gadget is " + now + " (was " + dev + ")");
            try (UsbDeviceHandle h = now.open()) {
                // what a request sees before the device's own reset (dummy_hcd may route it anyway): printed
                try {
                    h.controlIn(UsbControlRequest.standard(UsbControlRequest.Recipient.DEVICE, UsbControlRequest.GET_STATUS,
                            0, 0), 2, java.time.Duration.ofSeconds(2)).await(); // cancelled by its own timeout
                    System.out.println("HubIT: before its own reset the gadget answered GET_STATUS");
                } catch (Exception e) {
                    System.out.println("HubIT: before its own reset the gadget did not answer: " + e);
                }
                h.reset();
                assertEquals(Optional.of(g.serial), h.readStrings().serialNumber());
            }
        }
    }

    private static UsbDevice awaitAny(Gadget g) throws InterruptedException {
        long deadline = System.nanoTime() + EVENT_S * 1_000_000_000L;
        while (true) {
            Optional<UsbDevice> d = usb.findAny(UsbDeviceFilter.of(g.vendorId, g.productId));
            if (d.isPresent()) {
                return d.get();
            }
            assertTrue(System.nanoTime() < deadline, "the gadget did not come back");
            Thread.sleep(100);
        }
    }

    @Test
    void linuxDisableFile_powersThePortOff_andEnablingItBringsTheGadgetBack() throws Exception {
        try (Gadget g = gadget(0x4b05)) {
            UsbDevice first = g.await(usb);
            LinkedBlockingQueue<UsbHotplugEvent> events = new LinkedBlockingQueue<>();
            try (UsbHub hub = UsbHub.open(first.parent().orElseThrow());
                    UsbHotplugSubscription s = usb.watch(g.filter(), false, events::add)) {
                Optional<Path> file = hub.linuxPortDisableFile(1);
                System.out.println("HubIT: sysfs disable file: " + file + " (kernel " + System.getProperty("os.version") + ")");
                assertTrue(file.isPresent(), "this kernel has " + "usbN-port1/disable");
                assertEquals("0", Files.readString(file.get()).trim());
                Files.writeString(file.get(), "1");
                try {
                    PortStatus off = hub.portStatus(1);
                    System.out.println("HubIT: disabled through sysfs: " + off + "; the gadget is "
                            + (usb.findAny(g.filter()).isPresent() ? "still listed" : "gone"));
                    assertFalse(off.powered(), off.toString());
                    assertEquals("1", Files.readString(file.get()).trim());
                } finally {
                    Files.writeString(file.get(), "0");
                }
                // Linux 6.1 clears the connect change as it disables: on a hub that reports the disconnect
                // only at power on (dummy_hcd) the kernel drops the device when the port is enabled again
                assertEquals(UsbHotplugEvent.Kind.LEFT, next(events).kind());
                UsbHotplugEvent back = next(events);
                assertEquals(UsbHotplugEvent.Kind.ARRIVED, back.kind());
                awaitPort(hub, true);
            }
        }
    }
}
