package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbHotplugEvent;
import dev.ausb.UsbHotplugEvent.Kind;
import dev.ausb.UsbHotplugSubscription;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbTransferFuture;
import dev.ausb.lab.usbip.Descriptors;
import dev.ausb.lab.usbip.Reply;
import dev.ausb.lab.usbip.Speed;
import dev.ausb.lab.usbip.VirtualDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hotplug events and waiting for a device: a gadget's UDC unbound and bound again, a device of ours
 * attached to and detached from the USB/IP host controller, QEMU's keyboard removed and added through
 * the monitor; with libusb's hotplug (udev) and with the polling fallback.
 */
@Timeout(180)
class HotplugIT {
    static final UsbDeviceFilter LOOPBACK = UsbDeviceFilter.of(0x1a0a, 0x100b);
    static final long WAIT_S = 20;

    @BeforeAll
    static void guest() {
        Lab.requireGuest();
    }

    private static Gadget loopback() {
        return Gadget.builder().productId(0x100b).strings("Lab", "Loopback")
                .function("Loopback", Map.of("bulk_buflen", "512")).maxSpeed("high-speed").udc(1).bind();
    }

    /** The next event, at most {@link #WAIT_S} s away. */
    private static UsbHotplugEvent next(LinkedBlockingQueue<UsbHotplugEvent> events) throws InterruptedException {
        UsbHotplugEvent e = events.poll(WAIT_S, TimeUnit.SECONDS);
        assertTrue(e != null, "no hotplug event within " + WAIT_S + " s");
        return e;
    }

    /** A context that polls instead of libusb's hotplug when {@code poll}. */
    private static UsbContext context(boolean poll) {
        if (!poll) {
            return UsbContext.create();
        }
        System.setProperty("ausb.hotplug.poll", "true");
        try {
            return UsbContext.create();
        } finally {
            System.clearProperty("ausb.hotplug.poll");
        }
    }

    @ParameterizedTest(name = "poll={0}")
    @ValueSource(booleans = {false, true})
    void aGadgetUnpluggedAndPluggedBack_isReportedLeftThenArrived_asANewDevice(boolean poll) throws Exception {
        try (UsbContext usb = context(poll); Gadget g = loopback()) {
            assertEquals(!poll, usb.hasHotplug());
            UsbDevice first = g.await(usb);
            LinkedBlockingQueue<UsbHotplugEvent> events = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<UsbHotplugEvent> liveOnly = new LinkedBlockingQueue<>();
            // device lists taken all along, racing the events: the objects must stay the ones announced
            java.util.concurrent.atomic.AtomicBoolean listing = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread lister = Thread.ofPlatform().daemon(true).start(() -> {
                while (listing.get()) {
                    try {
                        usb.devices();
                        Thread.sleep(5);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            try (UsbHotplugSubscription s = usb.watch(LOOPBACK, true, events::add);
                    UsbHotplugSubscription live = usb.watch(LOOPBACK, false, liveOnly::add)) {
                UsbHotplugEvent existing = next(events);
                assertEquals(Kind.ARRIVED, existing.kind(), "the device already there comes first");
                assertSame(first, existing.device().orElseThrow());
                assertTrue(first.isAttached());

                Thread.sleep(poll ? 1200 : 300);
                assertTrue(liveOnly.isEmpty(), "without existingFirst, the device already there is no news: " + liveOnly);
                g.unplug();
                UsbHotplugEvent left = next(events);
                assertEquals(Kind.LEFT, left.kind());
                assertSame(first, left.device().orElseThrow(), "the object that was announced, however the lists raced");
                assertFalse(first.isAttached());
                UsbHotplugEvent leftLive = next(liveOnly);
                assertEquals(Kind.LEFT, leftLive.kind());
                assertSame(first, leftLive.device().orElseThrow());

                g.replug();
                UsbHotplugEvent back = next(events);
                assertEquals(Kind.ARRIVED, back.kind());
                assertNotSame(first, back.device().orElseThrow(), "a device that comes back is a new UsbDevice");
                assertTrue(back.device().orElseThrow().isAttached());
                try (UsbDeviceHandle h = back.device().orElseThrow().open()) {
                    assertTrue(h.isOpen());
                }
                assertEquals(Kind.ARRIVED, next(liveOnly).kind());
                assertSame(back.device().orElseThrow(), usb.findOne(LOOPBACK), "the device lists have the object that was announced");
                Thread.sleep(poll ? 1200 : 300);
                assertTrue(events.isEmpty(), "one event each: " + events);
                s.close();
                g.unplug();
                Thread.sleep(poll ? 1500 : 800);
                assertTrue(events.isEmpty(), "nothing after close(): " + events);
                g.replug();
            } finally {
                listing.set(false);
                lister.join(5000);
            }
        }
    }

    @Test
    void ausbWatch_printsArrivedAndLeftLines_asTheyHappen() throws Exception {
        try (UsbContext usb = UsbContext.create(); Gadget g = loopback()) {
            UsbDevice d = g.await(usb);
            java.nio.file.Path out = java.nio.file.Files.createTempFile("watch", ".txt");
            Process watch = Lab.startAusb(out, "watch", "--existing", "--count", "3", "1a0a:100b");
            try {
                // the names after the ids are lsusb's (the hwdb's, else the device's strings)
                awaitLine(out, String.format("arrived Bus %03d Device %03d: ID 1a0a:100b ", d.bus(), d.address()));
                g.unplug();
                awaitLine(out, String.format("left    Bus %03d Device %03d: ID 1a0a:100b ", d.bus(), d.address()));
                g.replug();
                UsbDevice back = g.await(usb);
                assertTrue(watch.waitFor(WAIT_S, TimeUnit.SECONDS), "ausb watch --count 3 ends after three events");
                assertEquals(0, watch.exitValue());
                List<String> lines = java.nio.file.Files.readAllLines(out);
                assertEquals(3, lines.size(), lines.toString());
                assertTrue(lines.get(2).startsWith(String.format("arrived Bus %03d Device %03d: ID 1a0a:100b ", back.bus(),
                        back.address())), lines.get(2));
                assertEquals(lines.get(0).substring(30), lines.get(1).substring(30), "the same names when it left");
            } finally {
                watch.destroyForcibly();
            }
        }
    }

    @Test
    void ausbWatchJson_printsOneObjectPerEvent_forAVirtualDeviceAttachedAndDetached() throws Exception {
        int pid = 0x7c20;
        java.nio.file.Path out = java.nio.file.Files.createTempFile("watch", ".json");
        // --existing: whether the command's JVM subscribes before or after the device comes, it reports it arrived
        Process watch = Lab.startAusb(out, "watch", "--json", "--existing", "--count", "2",
                String.format("%04x:%04x", UsbipDeviceIT.VID, pid));
        try {
            dev.ausb.lab.usbip.VirtualDevice.Location at;
            try (dev.ausb.lab.usbip.VirtualDevice v = dev.ausb.lab.usbip.VirtualDevice.builder()
                    .device(dev.ausb.lab.usbip.Descriptors.device(UsbipDeviceIT.VID, pid).strings(1, 2, 0))
                    .configuration(dev.ausb.lab.usbip.Descriptors.configuration(1, 0x80, 50,
                            dev.ausb.lab.usbip.Descriptors.iface(0, 0, 0xff, 0, 0, 0, dev.ausb.lab.usbip.Descriptors.bulk(0x81, 512))))
                    .strings("Lab", "watched").attach()) {
                at = v.awaitLocation(java.time.Duration.ofSeconds(WAIT_S));
                awaitLine(out, "{");
            }
            assertTrue(watch.waitFor(2 * WAIT_S, TimeUnit.SECONDS), "ausb watch --count 2 ends after two events");
            assertEquals(0, watch.exitValue());
            List<String> lines = java.nio.file.Files.readAllLines(out);
            assertEquals(2, lines.size(), lines.toString());
            for (int i = 0; i < 2; i++) {
                @SuppressWarnings("unchecked")
                java.util.Map<String, Object> m = (java.util.Map<String, Object>) MiniJson.parse(lines.get(i));
                assertEquals(i == 0 ? "arrived" : "left", m.get("event"), lines.get(i));
                assertEquals((long) at.bus(), ((Number) m.get("bus")).longValue());
                assertEquals((long) at.address(), ((Number) m.get("address")).longValue());
                assertEquals((long) pid, ((Number) m.get("idProduct")).longValue());
                assertEquals("watched", m.get("product"), "the device's own string, read while it was there");
                assertEquals("480M", m.get("speed"));
            }
        } finally {
            watch.destroyForcibly();
        }
    }

    /** Waits until {@code file} has a line starting with {@code line}, at most 3 x {@link #WAIT_S} s (a JVM starting in the guest is slow, slower late in a CI run). */
    private static void awaitLine(java.nio.file.Path file, String line) throws Exception {
        long deadline = System.nanoTime() + 3 * WAIT_S * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.readAllLines(file).stream().anyMatch(l -> l.startsWith(line))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line '" + line + "' within " + 2 * WAIT_S + " s: " + java.nio.file.Files.readAllLines(file));
    }

    @Test
    void awaitDevice_completesAtOnceWhenPresent_laterWhenItArrives_andTimesOut() throws Exception {
        try (UsbContext usb = UsbContext.create(); Gadget g = loopback()) {
            UsbDevice d = g.await(usb);
            long t0 = System.nanoTime();
            assertSame(d, usb.awaitDevice(LOOPBACK, Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000, "an attached device is found at once");

            g.unplug();
            long deadline = System.nanoTime() + WAIT_S * 1_000_000_000L;
            while (d.isAttached() && System.nanoTime() < deadline) {
                usb.devices();
                Thread.sleep(50);
            }
            assertFalse(d.isAttached(), "the device list says it left");
            CompletableFuture<UsbDevice> later = usb.awaitDevice(LOOPBACK, Duration.ofSeconds(WAIT_S));
            Thread.sleep(300);
            assertFalse(later.isDone(), "nothing matches yet: " + later);
            g.replug();
            UsbDevice back = later.get(WAIT_S, TimeUnit.SECONDS);
            assertNotSame(d, back);
            assertTrue(back.isAttached());

            CompletableFuture<UsbDevice> never = usb.awaitDevice(UsbDeviceFilter.of(0x1a0a, 0x7777), Duration.ofMillis(300));
            Throwable e = assertThrows(ExecutionException.class, () -> never.get(10, TimeUnit.SECONDS)).getCause();
            assertInstanceOf(dev.ausb.UsbTimeoutException.class, e);
            assertTrue(e.getMessage().contains("within PT0.3S"), e.getMessage());
            assertThrows(dev.ausb.UsbTimeoutException.class,
                    () -> usb.awaitDevice(UsbDeviceFilter.of(0x1a0a, 0x7777), Duration.ofMillis(100)).await());
            CompletableFuture<UsbDevice> cancelled = usb.awaitDevice(UsbDeviceFilter.of(0x1a0a, 0x7777), Duration.ofSeconds(60));
            assertTrue(cancelled.cancel(true));
            assertThrows(IllegalArgumentException.class, () -> usb.awaitDevice(LOOPBACK, Duration.ZERO));
        }
    }

    @Test
    void pendingTransfersOfADeviceThatLeft_failDeviceGone_byItsLeftEventOrWithinASecondOfIt() throws Exception {
        try (UsbContext usb = UsbContext.create(); Gadget g = loopback()) {
            UsbDevice d = g.await(usb);
            int known = dev.ausb.internal.LabProbe.knownDevices(usb);
            LinkedBlockingQueue<UsbHotplugEvent> events = new LinkedBlockingQueue<>();
            try (UsbHotplugSubscription s = usb.watch(LOOPBACK, false, events::add);
                    UsbDeviceHandle h = d.open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
                List<UsbTransferFuture<byte[]>> pending = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    pending.add(itf.inEndpoint(0x81).read(512)); // the Loopback has nothing to send
                }
                Thread.sleep(100);
                g.unplug();
                UsbHotplugEvent left = next(events);
                long leftAt = System.nanoTime();
                assertEquals(Kind.LEFT, left.kind());
                assertSame(d, left.device().orElseThrow());
                for (var f : pending) {
                    Throwable e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS)).getCause();
                    assertInstanceOf(UsbDeviceGoneException.class, e);
                }
                long ms = (System.nanoTime() - leftAt) / 1_000_000;
                assertTrue(ms < 1000, "the pending reads failed " + ms + " ms after the LEFT event");
                assertFalse(d.isAttached());
            }
            g.replug();
            g.await(usb);
            usb.devices();
            assertEquals(known, dev.ausb.internal.LabProbe.knownDevices(usb),
                    "the device that left is dropped once its handle closed: no growth over plug cycles");
        }
    }

    @Test
    void aVirtualDeviceAttachedAndDetached_andAPublisherDeliversOnlyAgainstDemand() throws Exception {
        int pid = 0x7c01;
        UsbDeviceFilter mine = UsbDeviceFilter.of(UsbipDeviceIT.VID, pid);
        try (UsbContext usb = UsbContext.create()) {
            LinkedBlockingQueue<UsbHotplugEvent> got = new LinkedBlockingQueue<>();
            CompletableFuture<Flow.Subscription> sub = new CompletableFuture<>();
            CompletableFuture<Void> completed = new CompletableFuture<>();
            usb.hotplugEvents(mine, false).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    sub.complete(s);
                }

                @Override
                public void onNext(UsbHotplugEvent e) {
                    got.add(e);
                }

                @Override
                public void onError(Throwable t) {
                    completed.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                    completed.complete(null);
                }
            });
            Flow.Subscription s = sub.get(10, TimeUnit.SECONDS);
            try (VirtualDevice v = VirtualDevice.builder().device(Descriptors.device(UsbipDeviceIT.VID, pid))
                    .configuration(UsbipDeviceIT.vendorConfig()).handler(u -> Reply.standard()).speed(Speed.HIGH).attach()) {
                v.awaitLocation(UsbipDeviceIT.WAIT);
                Thread.sleep(1000);
                assertTrue(got.isEmpty(), "no demand, no event: " + got);
                s.request(1);
                UsbHotplugEvent arrived = next(got);
                assertEquals(Kind.ARRIVED, arrived.kind());
                assertEquals(pid, arrived.device().orElseThrow().productId());
                v.detach();
                Thread.sleep(1000);
                assertTrue(got.isEmpty(), "the LEFT event waits for demand: " + got);
                s.request(5);
                UsbHotplugEvent left = next(got);
                assertEquals(Kind.LEFT, left.kind());
                assertSame(arrived.device().orElseThrow(), left.device().orElseThrow());
            }
            usb.close();
            completed.get(10, TimeUnit.SECONDS); // the context's close completes the publisher
        }
    }

    @Test
    void qemusKeyboardRemovedAndAddedThroughTheMonitor_isReportedLeftThenArrived() throws Exception {
        assertTrue(QemuMonitor.isAvailable(), "the monitor relay of lab/run --zoo is running");
        try (UsbContext usb = UsbContext.create()) {
            UsbDevice kbd = usb.awaitDevice(QemuHotplugIT.KBD, Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS);
            LinkedBlockingQueue<UsbHotplugEvent> events = new LinkedBlockingQueue<>();
            try (UsbHotplugSubscription s = usb.watch(QemuHotplugIT.KBD, false, events::add)) {
                QemuMonitor.unplug("kbd");
                UsbHotplugEvent left = next(events);
                assertEquals(Kind.LEFT, left.kind());
                assertSame(kbd, left.device().orElseThrow());
                QemuMonitor.replug("kbd");
                UsbHotplugEvent back = next(events);
                assertEquals(Kind.ARRIVED, back.kind());
                assertTrue(back.device().orElseThrow().address() != kbd.address(), "a new address");
            } finally {
                if (!QemuMonitor.isPlugged("kbd")) {
                    QemuMonitor.replug("kbd");
                }
            }
        }
    }
}
