package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDirection;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbTransferType;
import dev.ausb.cli.InProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command's everyday tools on real devices: {@code hub} on QEMU's hub and on dummy_hcd's root
 * hub (a power cycle the gadget comes back from), {@code control}, {@code read} and {@code write}
 * against SourceSink (whose sink checks every byte written), {@code reset}, and {@code doctor} for a
 * healthy device, one a kernel driver holds, one claimed elsewhere, one absent, and, run as nobody,
 * one the user may not open (where {@code info} points to doctor).
 */
@Timeout(300)
class CliToolsIT {
    private static UsbContext usb;
    private static Gadget gadget;
    private static UsbDevice first;
    private static String id;

    @BeforeAll
    static void plug() {
        Lab.requireGuest();
        usb = UsbContext.create();
        // pattern 1: the source sends (i % 512) % 63 in each packet, the sink stalls on any other byte
        gadget = Gadget.builder().productId(0x4c01).strings("Lab", "Tools").function("SourceSink", Map.of("pattern", "1"))
                .maxSpeed("high-speed").udc(1).bind();
        first = gadget.await(usb);
        id = String.format("%04x:%04x", gadget.vendorId, gadget.productId);
    }

    @AfterAll
    static void unplug() {
        if (gadget != null) {
            gadget.close();
        }
        if (usb != null) {
            usb.close();
        }
    }

    private static LabResult ausb(String... args) {
        LabResult r = InProcess.ausb(args);
        System.out.println("CliToolsIT: ausb " + String.join(" ", args) + " -> " + r.exitCode() + "\n" + r.out() + r.err());
        return r;
    }

    private static UsbDevice current() {
        return usb.findOne(gadget.filter());
    }

    private static int endpoint(UsbDirection direction) {
        return current().configurations().getFirst().interfaces().getFirst().alternateSettings().getFirst().endpoints()
                .stream().filter(e -> e.direction() == direction && e.transferType() == UsbTransferType.BULK)
                .mapToInt(UsbEndpoint::address).findFirst().orElseThrow();
    }

    private static dev.ausb.UsbHotplugEvent next(java.util.concurrent.BlockingQueue<dev.ausb.UsbHotplugEvent> q)
            throws InterruptedException {
        var e = q.poll(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(e != null, "no hotplug event within 30 s");
        return e;
    }

    private static String path(UsbDevice d) {
        return d.portPath().isEmpty() ? "usb" + d.bus()
                : d.bus() + "-" + String.join(".", d.portPath().stream().map(String::valueOf).toList());
    }

    @Test
    void hub_printsQemuHubsPortsWithTheirDevices() {
        UsbDevice hub = usb.findOne(QemuHotplugIT.HUB);
        LabResult r = ausb("hub", "-p", path(hub));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("USB 2.0 hub, 8 ports"), r.out());
        UsbDevice kbd = usb.findOne(QemuHotplugIT.KBD);
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("port 1: ") && l.contains("connect")
                && l.contains(String.format("Bus %03d Device %03d: ID 0627:0001", kbd.bus(), kbd.address()))), r.out());
        assertEquals(9, r.out().lines().filter(l -> !l.contains("sysfs")).count(), "a head line and 8 ports:\n" + r.out());
        LabResult json = ausb("hub", "--json", "-p", path(hub));
        assertEquals(0, json.exitCode(), json.err());
        var rows = (java.util.List<?>) MiniJson.parse(json.out());
        var row = (Map<?, ?>) rows.getFirst();
        assertEquals(8, ((java.util.List<?>) row.get("ports")).size());
        LabResult all = ausb("hub");
        assertEquals(0, all.exitCode(), all.err());
        long hubs = usb.devices().stream().filter(UsbDevice::isHub).count();
        assertEquals(hubs, all.out().lines().filter(l -> l.startsWith("Bus ")).count(), all.out());
    }

    @Test
    void hubPowerCycle_onDummyRootHub_bringsTheGadgetBack() throws Exception {
        UsbDevice before = current();
        UsbDevice root = before.parent().orElseThrow();
        var events = new java.util.concurrent.LinkedBlockingQueue<dev.ausb.UsbHotplugEvent>();
        try (var s = usb.watch(gadget.filter(), false, events::add)) {
            LabResult r = ausb("hub", "-p", path(root), "--power", "cycle", "1", "--off-time", "0.3");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().startsWith(path(root) + " power cycle: port 1: 0x"), r.out());
            assertEquals(dev.ausb.UsbHotplugEvent.Kind.LEFT, next(events).kind());
            var back = next(events);
            assertEquals(dev.ausb.UsbHotplugEvent.Kind.ARRIVED, back.kind());
            assertTrue(back.device().orElseThrow().address() != before.address(), back + " was " + before);
            try {
                LabResult off = ausb("hub", "-p", path(root), "--power", "off", "1");
                assertEquals(0, off.exitCode(), off.err());
                assertTrue(off.out().contains("port 1: 0x0000"), off.out());
            } finally {
                LabResult on = ausb("hub", "-p", path(root), "--power", "on", "1");
                assertEquals(0, on.exitCode(), on.err());
            }
            assertEquals(dev.ausb.UsbHotplugEvent.Kind.LEFT, next(events).kind());
            assertEquals(dev.ausb.UsbHotplugEvent.Kind.ARRIVED, next(events).kind());
        }
        assertEquals(2, ausb("hub", "--power", "on", "1").exitCode(), "an action needs a hub");
    }

    @Test
    void control_readsTheDeviceDescriptor_andSendsAnOutRequest() {
        LabResult r = ausb("control", id, "0x80", "6", "0x0100", "0", "18");
        assertEquals(0, r.exitCode(), r.err());
        String hex = r.out().lines().filter(l -> l.startsWith("0000")).map(l -> l.substring(10, 49).replace(" ", ""))
                .reduce("", String::concat);
        byte[] dd = HexFormat.of().parseHex(hex);
        assertEquals(18, dd.length, r.out());
        assertEquals(0x12, dd[0]);
        assertEquals(0x01, dd[1]);
        assertEquals(gadget.vendorId, (dd[8] & 0xff) | (dd[9] & 0xff) << 8);
        assertEquals(gadget.productId, (dd[10] & 0xff) | (dd[11] & 0xff) << 8);
        assertTrue(r.out().contains("18 bytes"), r.out());
        // SET_CONFIGURATION is the host's; CLEAR_FEATURE(ENDPOINT_HALT) of the bulk IN endpoint is harmless
        LabResult out = ausb("control", id, "0x02", "1", "0", String.valueOf(endpoint(UsbDirection.IN)));
        assertEquals(0, out.exitCode(), out.err());
        assertEquals("sent 0 bytes\n", out.out());
        LabResult stall = ausb("control", id, "0xc0", "0x77", "0", "0", "4");
        assertEquals(1, stall.exitCode(), "SourceSink stalls unknown vendor requests: " + stall.out());
    }

    @Test
    void readAndWrite_moveBytesTheSourceAndSinkCheck(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        int in = endpoint(UsbDirection.IN);
        int out = endpoint(UsbDirection.OUT);
        LabResult dump = ausb("read", "--transfer-size", "512", id, String.format("0x%02x", in), "1024");
        assertEquals(0, dump.exitCode(), dump.err());
        String hex = dump.out().lines().map(l -> l.substring(10, 49).replace(" ", "")).reduce("", String::concat);
        byte[] got = HexFormat.of().parseHex(hex);
        assertEquals(1024, got.length);
        for (int i = 0; i < got.length; i++) {
            assertEquals((i % 512) % 63, got[i] & 0xff, "byte " + i);
        }
        assertTrue(dump.err().contains("read 1024 bytes from endpoint 0x" + String.format("%02x", in)), dump.err());

        Path file = dir.resolve("in.bin");
        LabResult big = ausb("read", "--progress", "-o", file.toString(), id, String.format("0x%02x", in), "4194304");
        assertEquals(0, big.exitCode(), big.err());
        assertEquals(4194304, Files.size(file));
        assertTrue(big.err().matches("(?s).*read 4194304 bytes from endpoint 0x.. in [0-9.]+ s \\([0-9.]+ MB/s\\)\n"), big.err());

        // the sink checks the pattern: what was read is what it expects, written back from the file; a byte
        // it did not expect is logged by the gadget's kernel side ("bad OUT byte") and halts the endpoint
        long badBefore = badOutBytes();
        LabResult w = ausb("write", "--progress", "--file", file.toString(), id, String.format("0x%02x", out));
        assertEquals(0, w.exitCode(), w.err());
        assertTrue(w.err().contains("wrote 4194304 bytes to endpoint"), w.err());
        assertEquals(badBefore, badOutBytes(), "the sink found every byte written as it expected");
        // the check above can fail: zeros are not the pattern (byte 1 of each packet is 1)
        try {
            ausb("write", "--timeout", "2", "--zeros", "8192", id, String.format("0x%02x", out));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (badOutBytes() == badBefore && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(badOutBytes() > badBefore, "the sink saw the zeros as bad bytes");
        } finally {
            try (UsbDeviceHandle h = current().open(); UsbInterfaceHandle i = h.claimInterface(0)) {
                i.outEndpoint(out).clearHalt(); // the sink halted its endpoint: the tests after write again
            }
        }
    }

    @Test
    void read_forADuration_andUntilInterrupted_endsWithASummary(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        String in = String.format("0x%02x", endpoint(UsbDirection.IN));
        LabResult timed = ausb("read", "--duration", "1s", "-o", dir.resolve("timed.bin").toString(), id, in);
        assertEquals(0, timed.exitCode(), timed.err());
        assertTrue(timed.err().matches("(?s)read [0-9]+ bytes from endpoint 0x.. in [0-9.]+ s \\([0-9.]+ MB/s\\); "
                + "the duration is over\n"), timed.err());
        assertTrue(Files.size(dir.resolve("timed.bin")) > 0);
        LabResult sized = ausb("read", "-o", dir.resolve("sized.bin").toString(), id, in, "64K");
        assertEquals(0, sized.exitCode(), sized.err());
        assertEquals(65536, Files.size(dir.resolve("sized.bin")));

        // Ctrl-C: SIGINT to a read that would go on forever; the summary is printed, the exit code is 130, and the
        // transfers were reaped: the device reads again at once
        Path file = dir.resolve("until.bin");
        Path err = dir.resolve("until.err");
        String modulePath = System.getProperty("ausb.lab.modulepath");
        java.util.List<String> cmd = new java.util.ArrayList<>();
        if (Lab.run(java.util.List.of("env", "--default-signal=INT", "true")).exitCode() == 0) {
            cmd.addAll(java.util.List.of("env", "--default-signal=INT")); // a SIGINT ignored by the parent stays ignored
        }
        cmd.addAll(java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off",
                "--enable-native-access=dev.ausb", "-p", modulePath, "-m", "dev.ausb.cli/dev.ausb.cli.Main", "read",
                "--until-interrupted", "-o", file.toString(), id, in));
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while ((!Files.exists(file) || Files.size(file) < 1 << 20) && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(100);
            }
            assertTrue(p.isAlive(), "the read ended by itself: " + Files.readString(err));
            assertTrue(Files.size(file) >= 1 << 20, "1 MiB read within 60 s");
            assertEquals(0, Lab.run(java.util.List.of("kill", "-INT", String.valueOf(p.pid()))).exitCode());
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the read did not end within 30 s of SIGINT");
        } finally {
            p.destroyForcibly();
        }
        String summary = Files.readString(err);
        assertEquals(130, p.exitValue(), summary);
        assertTrue(summary.matches("(?s)read [0-9]+ bytes from endpoint 0x.. in [0-9.]+ s \\([0-9.]+ MB/s\\); "
                + "interrupted\n"), summary);
        long reported = Long.parseLong(summary.split(" ")[1]);
        assertEquals(Files.size(file), reported, "the summary counts what was written");
        LabResult after = ausb("read", "-o", dir.resolve("after.bin").toString(), id, in, "512");
        assertEquals(0, after.exitCode(), "the interface was released and nothing is left in flight: " + after.err());
    }

    /** How often the gadget's SourceSink has logged a byte it did not expect. */
    private static long badOutBytes() {
        return Lab.check("dmesg").lines().filter(l -> l.contains("bad OUT byte")).count();
    }

    @Test
    void readSingle_fromAnInterruptEndpoint_getsTheKeyQemuTypes() throws Exception {
        // QEMU's keyboard (no HID driver in the lab's kernel): one interrupt transfer of up to 8 bytes
        UsbDevice kbd = usb.findOne(QemuHotplugIT.KBD);
        drainKeyboard(kbd); // reports other classes' keys left queued
        try {
            var read = java.util.concurrent.CompletableFuture.supplyAsync(() -> ausb("read", "--single", "--timeout", "30",
                    "-p", path(kbd), "0x81", "8"));
            long deadline = System.nanoTime() + 30_000_000_000L;
            Thread.sleep(1000); // the read submitted (in this JVM: well within a second), then one key at a time
            while (!read.isDone() && System.nanoTime() < deadline) {
                QemuMonitor.command("sendkey a");
                Thread.sleep(2000);
            }
            LabResult r = read.get(40, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.err());
            byte[] report = HexFormat.of().parseHex(r.out().lines().findFirst().orElseThrow().substring(10, 49).replace(" ", ""));
            assertEquals(8, report.length, r.out());
            assertEquals(0x04, report[2], "usage 0x04 is the key a: " + r.out());
            assertTrue(r.err().contains("read 8 bytes from endpoint 0x81"), r.err());
        } finally {
            drainKeyboard(kbd); // the key's release, for the classes after
        }
    }

    /** Reads the keyboard's queued reports until none comes for 300 ms (at most 20). */
    private static void drainKeyboard(UsbDevice kbd) {
        try (UsbDeviceHandle h = kbd.open(); UsbInterfaceHandle i = h.claimInterface(0)) {
            for (int n = 0; n < 20; n++) {
                try {
                    i.inEndpoint(0x81).read(8, java.time.Duration.ofMillis(300)).await();
                } catch (dev.ausb.UsbTimeoutException none) {
                    return;
                }
            }
        }
    }

    @Test
    void reset_printsTheDeviceBeforeAndAfter() {
        LabResult r = ausb("reset", id);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("reset Bus "), r.out());
        assertTrue(r.out().contains("back as Bus ") || r.out().contains("enumerated anew as Bus "), r.out());
    }

    @Test
    void doctor_findsNothingWrongWithTheGadget_andNamesWhatHoldsOthers() {
        LabResult ok = ausb("doctor", id);
        assertEquals(0, ok.exitCode(), ok.out());
        assertTrue(ok.out().contains("interface 0 can be claimed"), ok.out());
        assertTrue(ok.out().endsWith("no problem found\n"), ok.out());

        UsbDevice qemuHub = usb.findOne(QemuHotplugIT.HUB); // the kernel's hub driver has its interface
        LabResult bound = ausb("doctor", "0409:55aa");
        assertEquals(0, bound.exitCode(), bound.out());
        assertTrue(bound.out().contains("interface 0 is bound to the kernel driver hub"), bound.out());
        assertTrue(bound.out().contains("echo " + path(qemuHub) + ":1.0 | sudo tee /sys/bus/usb/drivers/hub/unbind"),
                bound.out());

        try (UsbDeviceHandle h = current().open(); UsbInterfaceHandle claimed = h.claimInterface(0)) {
            LabResult held = ausb("doctor", id);
            assertEquals(1, held.exitCode(), held.out());
            assertTrue(held.out().contains("interface 0 is claimed by another program through usbfs"), held.out());
        }
        LabResult absent = ausb("doctor", "dead:beef");
        assertEquals(3, absent.exitCode(), absent.out());
        assertTrue(absent.out().contains("the kernel sees no device dead:beef"), absent.out());
    }

    @Test
    void asNobody_doctorExplainsThePermissions_andListAndInfoPointToIt() {
        LabResult doctor = Lab.ausbAsNobody("doctor", id);
        System.out.println("CliToolsIT: doctor as nobody:\n" + doctor.out() + doctor.err());
        assertEquals(1, doctor.exitCode(), doctor.out() + doctor.err());
        assertTrue(doctor.out().matches("(?s).*PROBLEM  /dev/bus/usb/\\d{3}/\\d{3} is root:root rw-rw-r--; nobody "
                + "\\(groups nogroup\\) may not write it.*"), doctor.out());
        assertTrue(doctor.out().contains("fix: ausb udev-rule " + id + " | sudo tee /etc/udev/rules.d/70-ausb-"), doctor.out());
        LabResult info = Lab.ausbAsNobody("info", id);
        assertEquals(0, info.exitCode(), info.err());
        assertTrue(info.out().contains("ausb doctor " + id + " explains why"), info.out());
        // list reads the strings from sysfs where Linux has them (world-readable): nothing is denied there,
        // and it lists every device as root would
        LabResult list = Lab.ausbAsNobody("list");
        assertEquals(0, list.exitCode(), list.err());
        assertEquals(InProcess.ausb("list").out(), list.out());
    }
}
