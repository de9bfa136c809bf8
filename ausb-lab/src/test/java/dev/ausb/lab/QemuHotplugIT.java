package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDirection;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Unplugging QEMU's emulated devices through its monitor ({@link QemuMonitor}) while a transfer is
 * pending: the transfer fails with {@link UsbDeviceGoneException} within a second, the device leaves
 * {@link UsbContext#devices()}, and plugged back it enumerates at a new address and works again.
 */
@Timeout(180)
class QemuHotplugIT {
    /** QEMU's keyboard (the tablet has the same ids: the keyboard is the one on hub port 1.1). */
    static final UsbDeviceFilter KBD = UsbDeviceFilter.of(0x0627, 0x0001).portPath(1, 1);
    static final UsbDeviceFilter STORAGE = UsbDeviceFilter.of(0x46f4, 0x0001);
    static final long GONE_WITHIN_MS = 1000;
    static final Duration ENUMERATION = Duration.ofSeconds(30);

    private static UsbContext usb;

    @BeforeAll
    static void open() {
        Lab.requireGuest();
        assertTrue(QemuMonitor.isAvailable(), "the monitor relay of lab/run --zoo is running");
        usb = UsbContext.create();
    }

    /** Leaves the zoo as lab/run made it, for the test classes that come after. */
    @AfterAll
    static void restore() {
        try {
            for (String id : List.of("kbd", "stor")) {
                if (!QemuMonitor.isPlugged(id)) {
                    QemuMonitor.replug(id);
                }
            }
            if (usb != null) {
                awaitPresent(KBD);
                awaitPresent(STORAGE);
            }
        } finally {
            if (usb != null) {
                usb.close();
            }
        }
    }

    @Test
    void monitorAnswersAndListsTheZoo() {
        long t0 = System.nanoTime();
        String info = QemuMonitor.command("info usb");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("monitor: 'info usb' answered in %d ms%n", ms);
        assertTrue(info.contains("QEMU USB Keyboard, ID: kbd"), info);
        assertTrue(QemuMonitor.pluggedIds().containsAll(List.of("hub1", "kbd", "tablet", "stor", "audio")), info);
        assertEquals("usb-kbd,bus=xhci.0,port=1.1,id=kbd", QemuMonitor.deviceArgs("kbd"));
        String bogus = QemuMonitor.command("no_such_command");
        assertTrue(bogus.contains("unknown command"), bogus);
    }

    @Test
    void keyboardUnpluggedWhileAnInterruptReadIsPending() throws Exception {
        UsbDevice before = awaitPresent(KBD);
        long ms = unplugDuringInterruptRead(before);
        System.out.printf("hotplug: usb-kbd unplugged, pending interrupt IN read failed after %d ms%n", ms);
        assertTrue(ms < GONE_WITHIN_MS, "the pending read failed " + ms + " ms after device_del");
        awaitGone(KBD);
        assertFalse(usb.devices().stream().anyMatch(d -> d.bus() == before.bus() && d.address() == before.address()),
                "no device at the old address");

        QemuMonitor.replug("kbd");
        UsbDevice after = awaitPresent(KBD);
        assertNotEquals(before.address(), after.address(), "a new bus address");
        System.out.printf("hotplug: usb-kbd back at %d:%d (was %d:%d)%n", after.bus(), after.address(), before.bus(),
                before.address());
        try (UsbDeviceHandle h = after.open()) {
            h.setAutoDetachKernelDriver(true);
            try (UsbInterfaceHandle itf = h.claimInterface(0)) {
                UsbTransferFuture<byte[]> read = pendingRead(itf);
                QemuMonitor.silent("sendkey a");
                byte[] report = read.get(10, TimeUnit.SECONDS);
                assertEquals(8, report.length, Arrays.toString(report));
                assertEquals(0x04, report[2], "HID usage of 'a' in " + Arrays.toString(report));
            }
        }
    }

    @Test
    void storageUnpluggedWhileABulkReadIsPending() throws Exception {
        UsbDevice before = awaitPresent(STORAGE);
        int out = bulk(before, UsbDirection.OUT).address();
        int in = bulk(before, UsbDirection.IN).address();
        long ms;
        try (UsbDeviceHandle h = before.open()) {
            h.setAutoDetachKernelDriver(true);
            try (UsbInterfaceHandle itf = h.claimInterface(0)) {
                // QEMU's usb-storage stalls a bulk IN read that no command asked for; one stays
                // pending while the device waits for the disk, which the monitor slows to 512 B/s
                QemuMonitor.silent("block_set_io_throttle d0 0 512 0 0 0 0");
                try {
                    ms = failsGoneAfterUnplug(pendingStorageRead(itf, out, in), "stor");
                } finally {
                    if (QemuMonitor.isPlugged("stor")) {
                        QemuMonitor.silent("block_set_io_throttle d0 0 0 0 0 0 0");
                    }
                }
            }
        }
        System.out.printf("hotplug: usb-storage unplugged, pending bulk IN read failed after %d ms%n", ms);
        assertTrue(ms < GONE_WITHIN_MS, "the pending read failed " + ms + " ms after device_del");
        awaitGone(STORAGE);

        QemuMonitor.replug("stor");
        UsbDevice after = awaitPresent(STORAGE);
        assertNotEquals(before.address(), after.address(), "a new bus address");
        try (UsbDeviceHandle h = after.open()) {
            h.setAutoDetachKernelDriver(true);
            try (UsbInterfaceHandle itf = h.claimInterface(0)) {
                byte[] inquiry = command(itf, out, in, new byte[] {0x12, 0, 0, 0, 36, 0}, 36);
                assertEquals("QEMU", new String(inquiry, 8, 8, StandardCharsets.US_ASCII).strip(), "INQUIRY's vendor");
                byte[] sector0 = commandPastUnitAttention(itf, out, in, read10(0, 1), 512);
                assertEquals("AUSB-LAB-SECTOR0", new String(sector0, 0, 16, StandardCharsets.US_ASCII), "sector 0");
            }
        }
    }

    @Test
    @Timeout(900)
    void twentyKeyboardCyclesEachFailingGoneWithinASecond() throws Exception {
        List<Long> times = new ArrayList<>();
        for (int cycle = 1; cycle <= 20; cycle++) {
            UsbDevice dev = awaitPresent(KBD);
            long ms = unplugDuringInterruptRead(dev);
            times.add(ms);
            assertTrue(ms < GONE_WITHIN_MS, "cycle " + cycle + ": the pending read failed " + ms + " ms after device_del");
            awaitGone(KBD);
            QemuMonitor.replug("kbd");
        }
        List<Long> sorted = times.stream().sorted().toList();
        System.out.printf("hotplug: 20 usb-kbd cycles, pending read failed after min %d, median %d, max %d ms: %s;"
                + " emulator recoveries so far %d%n",
                sorted.getFirst(), sorted.get(sorted.size() / 2), sorted.getLast(), times, emulatorRecoveries);

        // the context still works: the keyboard enumerates, opens and reads
        UsbDevice kbd = awaitPresent(KBD);
        assertEquals("QEMU USB Keyboard", kbd.readStrings().product().orElse(""));
        try (UsbDeviceHandle h = kbd.open()) {
            h.setAutoDetachKernelDriver(true);
            try (UsbInterfaceHandle itf = h.claimInterface(0)) {
                UsbTransferFuture<byte[]> read = pendingRead(itf);
                QemuMonitor.silent("sendkey b");
                assertEquals(0x05, read.get(10, TimeUnit.SECONDS)[2], "HID usage of 'b'");
            }
        }
        assertTrue(usb.findAny(STORAGE).isPresent(), "the other devices are still listed");
    }

    /** Opens the keyboard, leaves an interrupt IN read pending, unplugs it: ms from device_del to the failure. */
    private static long unplugDuringInterruptRead(UsbDevice dev) throws Exception {
        try (UsbDeviceHandle h = dev.open()) {
            h.setAutoDetachKernelDriver(true);
            try (UsbInterfaceHandle itf = h.claimInterface(0)) {
                return failsGoneAfterUnplug(pendingRead(itf), "kbd");
            }
        }
    }

    /**
     * An interrupt IN read on the keyboard that stays pending: no key is pressed, so the keyboard
     * NAKs. (A report already queued, e.g. from the guest's driver, is read away first.)
     */
    private static UsbTransferFuture<byte[]> pendingRead(UsbInterfaceHandle itf) throws Exception {
        for (int i = 0; i < 5; i++) {
            UsbTransferFuture<byte[]> read = itf.inEndpoint(0x81).read(8);
            try {
                read.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException pending) {
                return read;
            }
        }
        throw new AssertionError("the keyboard keeps answering: no read stays pending");
    }

    /**
     * Asserts that {@code read} is pending, unplugs {@code id} and waits (bounded) for the read to
     * fail; returns the time from sending device_del to the failure, in ms (an upper bound of the
     * time from the unplug itself, which happens while the command is on its way).
     */
    private static long failsGoneAfterUnplug(CompletableFuture<?> read, String id) throws Exception {
        AtomicLong failedAt = new AtomicLong();
        CompletableFuture<?> observed = read.whenComplete((v, e) -> failedAt.set(System.nanoTime()));
        Thread.sleep(100);
        assertFalse(read.isDone(), "the read is pending before the unplug: " + read);
        long t0 = System.nanoTime();
        QemuMonitor.unplug(id);
        long sent = (System.nanoTime() - t0) / 1_000_000;
        Throwable failure;
        try {
            Object value = read.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the read completed after the unplug, with " + value);
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the read is still pending 10 s after device_del " + id);
        }
        observed.handle((v, e) -> null).get(5, TimeUnit.SECONDS);
        assertInstanceOf(UsbDeviceGoneException.class, failure, String.valueOf(failure));
        long ms = (failedAt.get() - t0) / 1_000_000;
        System.out.printf("hotplug: device_del %s answered in %d ms, read failed at %d ms%n", id, sent, ms);
        return ms;
    }

    private static UsbEndpoint bulk(UsbDevice dev, UsbDirection dir) {
        return dev.configurations().getFirst().interfaces().getFirst().defaultSetting().endpoints().stream()
                .filter(e -> e.transferType() == UsbTransferType.BULK && e.direction() == dir).findFirst()
                .orElseThrow(() -> new AssertionError("no bulk " + dir + " endpoint on " + dev));
    }

    /** A SCSI READ(10) command block. */
    private static byte[] read10(int lba, int blocks) {
        return ByteBuffer.allocate(10).put((byte) 0x28).put((byte) 0).putInt(lba).put((byte) 0)
                .putShort((short) blocks).put((byte) 0).array();
    }

    /** Sends a bulk-only transport command block (data IN of {@code length} bytes), tag 0x1234. */
    private static void sendCommand(UsbInterfaceHandle itf, int out, byte[] cdb, int length) throws Exception {
        ByteBuffer cbw = ByteBuffer.allocate(31).order(ByteOrder.LITTLE_ENDIAN);
        cbw.putInt(0x43425355).putInt(0x1234).putInt(length).put((byte) 0x80).put((byte) 0).put((byte) cdb.length);
        cbw.put(cdb);
        assertEquals(31, itf.outEndpoint(out).write(cbw.array()).get(10, TimeUnit.SECONDS), "CBW written");
    }

    /** Reads a command status wrapper; returns its status (0 passed, 1 failed). */
    private static int readStatus(UsbInterfaceHandle itf, int in) throws Exception {
        byte[] csw = itf.inEndpoint(in).read(13).get(10, TimeUnit.SECONDS);
        ByteBuffer c = ByteBuffer.wrap(csw).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(13, csw.length, "CSW length");
        assertEquals(0x53425355, c.getInt(0), "CSW signature");
        assertEquals(0x1234, c.getInt(4), "CSW tag");
        return csw[12];
    }

    /** One SCSI command with data IN over bulk-only transport (CBW, data, CSW) that must pass. */
    private static byte[] command(UsbInterfaceHandle itf, int out, int in, byte[] cdb, int length) throws Exception {
        byte[] data = new byte[length];
        int status = tryCommand(itf, out, in, cdb, data);
        assertEquals(0, status, "CSW status of SCSI command 0x" + Integer.toHexString(cdb[0] & 0xff));
        return data;
    }

    private static int tryCommand(UsbInterfaceHandle itf, int out, int in, byte[] cdb, byte[] into) throws Exception {
        sendCommand(itf, out, cdb, into.length);
        byte[] data = itf.inEndpoint(in).read(into.length).get(10, TimeUnit.SECONDS);
        assertEquals(into.length, data.length, "data of SCSI command 0x" + Integer.toHexString(cdb[0] & 0xff));
        System.arraycopy(data, 0, into, 0, data.length);
        return readStatus(itf, in);
    }

    /**
     * A command a freshly plugged disk may refuse once with UNIT ATTENTION (sense key 6: "power on
     * or reset occurred"): asks for the sense and repeats the command, up to three times.
     */
    private static byte[] commandPastUnitAttention(UsbInterfaceHandle itf, int out, int in, byte[] cdb, int length)
            throws Exception {
        byte[] data = new byte[length];
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (tryCommand(itf, out, in, cdb, data) == 0) {
                return data;
            }
            byte[] sense = command(itf, out, in, new byte[] {0x03, 0, 0, 0, 18, 0}, 18);
            assertEquals(6, sense[2] & 0x0f, "sense key of the refusal (attempt " + attempt + "): " + Arrays.toString(sense));
        }
        throw new AssertionError("SCSI command 0x" + Integer.toHexString(cdb[0] & 0xff) + " refused three times");
    }

    /**
     * A bulk IN read that stays pending: READ(10)s of 64 KiB against the throttled disk until the
     * data of one does not come within a second (the first may pass before the throttle bites).
     */
    private static UsbTransferFuture<byte[]> pendingStorageRead(UsbInterfaceHandle itf, int out, int in)
            throws Exception {
        for (int i = 0; i < 4; i++) {
            sendCommand(itf, out, read10(i * 128, 128), 65536);
            UsbTransferFuture<byte[]> read = itf.inEndpoint(in).read(65536);
            try {
                assertEquals(65536, read.get(1, TimeUnit.SECONDS).length);
            } catch (TimeoutException pending) {
                return read;
            }
            readStatus(itf, in); // passed, or refused (UNIT ATTENTION): either way the next command
        }
        throw new AssertionError("the throttled disk keeps answering: no bulk read stays pending");
    }

    static UsbDevice awaitPresent(UsbDeviceFilter filter) {
        long start = System.nanoTime();
        boolean recovered = false;
        while (true) {
            Optional<UsbDevice> d = usb.findAny(filter);
            if (d.isPresent()) {
                return d.get();
            }
            long waited = System.nanoTime() - start;
            if (filter == KBD && !recovered && waited > ENUMERATION.toNanos() && QemuMonitor.isPlugged("kbd")) {
                // ausb does not list it: if the kernel has it, that is ausb's (or libusb's) fault, not the emulator's
                assertFalse(kernelHasKeyboard(), "the kernel has QEMU's keyboard at port 1.1 but ausb does not list it "
                        + "after " + ENUMERATION.toSeconds() + " s; the kernel has " + kernelZoo());
                recovered = true;
                recoverKeyboard();
                start = System.nanoTime();
                continue;
            }
            if (waited > ENUMERATION.toNanos()) {
                fail("no device " + filter + " within " + ENUMERATION.toSeconds() + " s; QEMU has "
                        + QemuMonitor.pluggedIds() + "; the kernel has " + kernelZoo());
            }
            sleep(50);
        }
    }

    /** QEMU's hub ("QEMU USB Hub"), on root port 1. */
    static final UsbDeviceFilter HUB = UsbDeviceFilter.of(0x0409, 0x55aa).portPath(1);
    /** Recoveries of the emulator's hub so far; one in a run is tolerated, a second fails the test. */
    private static int emulatorRecoveries;

    /**
     * The keyboard is plugged in QEMU but the guest's kernel has not enumerated it (sysfs has no
     * device at port 1.1) within the whole enumeration wait: QEMU's emulated hub
     * behind its xHCI sometimes stops answering under the single-threaded emulator (seen once in
     * CI: the guest logged "usb 5-1: device not accepting address 67, error -71", the hub itself
     * failing to re-enumerate, after twelve good keyboard cycles). That is neither ausb's nor the
     * kernel's fault, so the hub and its two devices are plugged anew, once, and the line below
     * says so; a second time in one run fails the test, as does a keyboard that stays unseen.
     */
    private static void recoverKeyboard() {
        emulatorRecoveries++;
        String seen = kernelZoo();
        System.out.printf("emulator: kbd plugged in QEMU but not enumerated by the kernel after %d s (it has %s);"
                + " plugging hub1, kbd and tablet anew (recovery %d)%n", ENUMERATION.toSeconds(), seen,
                emulatorRecoveries);
        assertTrue(emulatorRecoveries <= 1, "the emulator's hub needed a second recovery in this run; the guest has "
                + seen);
        List<String> plugged = QemuMonitor.pluggedIds();
        for (String id : List.of("kbd", "tablet", "hub1")) {
            if (plugged.contains(id)) {
                QemuMonitor.unplug(id);
            }
        }
        awaitGone(HUB);
        for (String id : List.of("hub1", "kbd", "tablet")) {
            QemuMonitor.replug(id);
        }
    }

    /** True if the kernel has a device 0627:0001 at hub port 1.1 of some bus (sysfs, not ausb). */
    private static boolean kernelHasKeyboard() {
        return kernelZoo().matches(".*\\b0627:0001@\\d+-1\\.1\\b.*");
    }

    /** The kernel's USB devices as vendor:product@sysfs name, read from sysfs: evidence apart from ausb. */
    private static String kernelZoo() {
        java.nio.file.Path root = java.nio.file.Path.of("/sys/bus/usb/devices");
        try (var names = java.nio.file.Files.list(root)) {
            return names.filter(p -> p.getFileName().toString().matches("\\d+-[\\d.]+"))
                    .map(p -> {
                        try {
                            return java.nio.file.Files.readString(p.resolve("idVendor")).strip() + ":"
                                    + java.nio.file.Files.readString(p.resolve("idProduct")).strip() + "@" + p.getFileName();
                        } catch (java.io.IOException gone) {
                            return "?@" + p.getFileName();
                        }
                    })
                    .sorted().toList().toString();
        } catch (java.io.IOException e) {
            return "(sysfs unreadable: " + e + ")";
        }
    }

    static void awaitGone(UsbDeviceFilter filter) {
        long deadline = System.nanoTime() + ENUMERATION.toNanos();
        while (usb.findAny(filter).isPresent()) {
            if (System.nanoTime() - deadline > 0) {
                fail(filter + " still listed " + ENUMERATION.toSeconds() + " s after the unplug");
            }
            sleep(50);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
