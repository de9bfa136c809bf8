package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.examples.ControlTransfers;
import dev.ausb.examples.CycleHubPort;
import dev.ausb.examples.DeviceInfo;
import dev.ausb.examples.EndpointEcho;
import dev.ausb.examples.IsoStream;
import dev.ausb.examples.ListDevices;
import dev.ausb.examples.LoadFx2Firmware;
import dev.ausb.examples.ReadWithTimeout;
import dev.ausb.examples.StreamToFile;
import dev.ausb.examples.WaitForDevice;
import dev.ausb.firmware.FirmwareSegment;
import dev.ausb.lab.usbip.Reply;
import dev.ausb.lab.usbip.Speed;
import dev.ausb.lab.usbip.VirtualDevice;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example programs run against devices that exercise them, their output checked: the first
 * programs (list, describe, control, echo, a read that times out) on SourceSink and Loopback;
 * a bulk stream to a file, whose bytes are SourceSink's pattern, and one whose device is unplugged
 * mid-stream; waiting for a gadget bound only once the program waits, then its leave and return;
 * an isochronous stream from a virtual device whose packets partly fail; FX2 firmware loaded into
 * a virtual boot ROM that renumerates; and a power cycle of dummy_hcd's root hub port.
 */
@Timeout(180)
class ExamplesIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
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

    /** Runs an example's main on the caller's thread, its output captured. */
    private static String run(java.util.function.Consumer<String[]> main, String... args) {
        try (ExampleRun r = ExampleRun.capture()) {
            main.accept(args);
            return r.out();
        }
    }

    @Test
    void theFirstPrograms_listDescribeControlEcho_andTimeOut() {
        try (Gadget ss = Gadget.builder().function("SourceSink", Map.of()).maxSpeed("high-speed").udc(0).bind();
                Gadget lb = Gadget.builder().productId(0x100b).strings("Lab", "Loopback")
                        .function("Loopback", Map.of()).maxSpeed("high-speed").udc(1).bind()) {
            ss.await(usb);
            lb.await(usb);
            String list = run(ListDevices::main);
            assertTrue(list.contains("ID 1a0a:badd Lab SourceSink\n"), list);
            assertTrue(list.contains("ID 1a0a:100b Lab Loopback\n"), list);

            String info = run(DeviceInfo::main, "1a0a", "badd");
            assertTrue(info.contains(" Control Endpoint 00, MPS=64\n"), info);
            assertTrue(info.contains("    Bulk In Endpoint 01, MPS=512, interval=0\n"), info);

            assertEquals("read back: hello from java\n", run(ControlTransfers::main, "1a0a", "badd", "hello from java"));
            assertEquals("echo: ping\n", run(EndpointEcho::main, "1a0a", "100b", "ping"));
            assertEquals("timed out; the transfer was CANCELLED\n", run(ReadWithTimeout::main, "1a0a", "100b", "300"));
        }
    }

    @Test
    void streamToFile_writesWhatSourceSinkSends_forTheTimeGiven(@TempDir Path dir) throws Exception {
        // pattern 1: SourceSink sends (i % 512) % 63 in each 512-byte packet
        try (Gadget g = Gadget.builder().productId(0x4e01).strings("Lab", "Stream to file")
                .function("SourceSink", Map.of("pattern", "1")).maxSpeed("high-speed").udc(0).bind()) {
            g.await(usb);
            Path file = dir.resolve("out.bin");
            ExampleRun.Result r = ExampleRun.run("StreamToFile", StreamToFile::run, "1a0a:4e01", "0x81", "2",
                    file.toString());
            assertEquals(0, r.status(), r.err());
            Matcher m = Pattern.compile("wrote (\\d+) bytes from endpoint 0x81 to " + Pattern.quote(file.toString())
                    + " in ([0-9.]+) s \\(([0-9.]+) MB/s\\)\n").matcher(r.out());
            assertTrue(m.matches(), r.out());
            long bytes = Long.parseLong(m.group(1));
            double seconds = Double.parseDouble(m.group(2));
            assertTrue(seconds >= 2.0 && seconds < 30, "streamed the 2 s asked for: " + seconds);
            assertEquals(bytes, Files.size(file), "every byte delivered is in the file");
            assertTrue(bytes >= 64 * 1024, "a stream of 2 s moves more than a few transfers: " + bytes);
            assertEquals(bytes / seconds / 1e6, Double.parseDouble(m.group(3)), 0.1 + bytes / seconds / 1e6 * 0.01);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] chunk = new byte[1 << 20];
                long at = 0;
                for (int n; (n = in.read(chunk)) > 0; at += n) {
                    for (int i = 0; i < n; i++) {
                        if ((chunk[i] & 0xff) != ((at + i) % 512) % 63) {
                            throw new AssertionError("byte " + (at + i) + " of the file is " + (chunk[i] & 0xff)
                                    + ", SourceSink sent " + ((at + i) % 512) % 63);
                        }
                    }
                }
            }
            System.out.println("ExamplesIT: StreamToFile wrote " + bytes + " bytes of SourceSink's pattern in "
                    + seconds + " s (" + m.group(3) + " MB/s)");
        }
    }

    @Test
    void streamToFile_whenTheDeviceIsUnpluggedMidStream_saysSoAtOnce_andExitsWith1(@TempDir Path dir) throws Exception {
        try (Gadget g = Gadget.builder().productId(0x4e02).strings("Lab", "Unplugged").function("SourceSink", Map.of())
                .maxSpeed("high-speed").udc(0).bind()) {
            g.await(usb);
            Path file = dir.resolve("cut.bin");
            // 600 s asked for: only the unplug ends it within the bound
            try (ExampleRun run = ExampleRun.start("StreamToFile", StreamToFile::run, "1a0a:4e02", "0x81", "600",
                    file.toString())) {
                long deadline = System.nanoTime() + BOUND.toNanos();
                while (!Files.exists(file) || Files.size(file) == 0) {
                    assertTrue(System.nanoTime() < deadline, "no data in the file within " + BOUND + ": " + run.err());
                    Thread.sleep(20);
                }
                long unplugged = System.nanoTime();
                g.unplug();
                ExampleRun.Result r = run.await(BOUND);
                long tookMs = (System.nanoTime() - unplugged) / 1_000_000;
                assertEquals(1, r.status(), r.out() + r.err());
                assertEquals("", r.out(), "no rate printed for a stream that failed");
                assertTrue(r.err().matches("StreamToFile: the stream failed after \\d+ bytes: dev\\.ausb\\.UsbDeviceGoneException: .*\n"),
                        r.err());
                System.out.println("ExamplesIT: StreamToFile reported the unplug " + tookMs + " ms after it");
            }
        }
        // bad arguments are refused with the usage line and status 2
        ExampleRun.Result vidPid = ExampleRun.run("StreamToFile", StreamToFile::run, "1a0a-4e02", "0x81", "1", "x");
        assertEquals(2, vidPid.status());
        assertTrue(vidPid.err().startsWith("the device is VID:PID, two hex numbers of up to 4 digits such as 1a0a:badd, not \"1a0a-4e02\"\nusage: StreamToFile "),
                vidPid.err());
        ExampleRun.Result out = ExampleRun.run("StreamToFile", StreamToFile::run, "1a0a:4e02", "0x01", "1", "x");
        assertEquals(2, out.status());
        assertTrue(out.err().startsWith("ENDPOINT is an IN endpoint's address, 0x81 to 0x8f, not 0x01\n"), out.err());
        assertEquals(2, ExampleRun.run("StreamToFile", StreamToFile::run, "1a0a:4e02", "0x81", "0", "x").status());
        assertEquals(2, ExampleRun.run("StreamToFile", StreamToFile::run, "1a0a:4e02", "0x81", "1").status());
    }

    @Test
    void waitForDevice_findsTheGadgetBoundWhileItWaits_thenPrintsItLeavingAndComingBack() throws Exception {
        Gadget.Builder later = Gadget.builder().productId(0x4e03).strings("Lab", "Waited for")
                .function("SourceSink", Map.of()).maxSpeed("high-speed").udc(0);
        try (ExampleRun run = ExampleRun.start("WaitForDevice", WaitForDevice::run, "1a0a:4e03", "60", "2")) {
            run.awaitWaitingIn("dev.ausb.UsbFuture", "await", BOUND);
            assertEquals("", run.out(), "nothing found before the gadget is bound");
            try (Gadget g = later.bind()) {
                run.awaitOutput("watching ", BOUND);
                UsbDevice first = g.await(usb);
                g.unplug();
                g.awaitGone(usb);
                g.replug();
                ExampleRun.Result r = run.await(BOUND);
                assertEquals(0, r.status(), r.err());
                List<String> lines = r.out().lines().toList();
                assertEquals(5, lines.size(), r.out());
                assertEquals("found " + first, lines.get(0));
                assertEquals("watching vendorId=0x1a0a, productId=0x4e03 for 60 s", lines.get(1));
                assertEquals("LEFT " + first, lines.get(2));
                Matcher back = Pattern.compile(String.format("ARRIVED Bus %03d Device (\\d{3}): ID 1a0a:4e03",
                        first.bus())).matcher(lines.get(3));
                assertTrue(back.matches(), lines.get(3));
                assertNotEquals(first.address(), Integer.parseInt(back.group(1)), "enumerated again, at a new address");
                assertEquals("watched 2 events", lines.get(4));
                assertEquals("", r.err());
            }
        }
        ExampleRun.Result none = ExampleRun.run("WaitForDevice", WaitForDevice::run, "1a0a:4eff", "1");
        assertEquals(1, none.status());
        assertEquals("WaitForDevice: no device matching vendorId=0x1a0a, productId=0x4eff within 1 s\n", none.err());
    }

    @Test
    void isoStream_findsTheEndpointInAlternateSetting1_andCountsEachTransfersGoodAndFailedPackets() throws Exception {
        // every transfer of 8 packets of 1024: the even ones full, the odd ones half, packet 3 failed (-EPROTO)
        int pid = 0x7e01;
        try (VirtualDevice v = IsochronousIT.isoDevice(pid, Speed.HIGH, 1024,
                urb -> urb.iso() ? UsbipDeviceIT.isoAnswer(urb) : Reply.standard()).attach()) {
            UsbipDeviceIT.find(usb, v, pid);
            ExampleRun.Result r = ExampleRun.run("IsoStream", IsoStream::run, String.format("%04x:%04x", UsbipDeviceIT.VID, pid),
                    "0x81", "20", "60");
            assertEquals(0, r.status(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(21, lines.size(), r.out());
            for (int i = 0; i < 20; i++) {
                assertEquals("transfer " + i + ": 7 of 8 packets good, 5632 bytes; failed: packet 3 ERROR", lines.get(i));
            }
            assertEquals("20 transfers, 160 packets: 140 good, 20 failed, 112640 bytes", lines.get(20));
            assertTrue(v.urbs(0x81).size() >= 20, "the device answered every transfer");
            v.checkHealthy();
        }
    }

    @Test
    void loadFx2Firmware_loadsTheImageIntoTheBootRom_andPrintsTheDeviceTheFirmwareBecame(@TempDir Path dir)
            throws Exception {
        List<FirmwareSegment> segments = List.of(new FirmwareSegment(0x0100, FirmwareLoadIT.random(2000, 9)));
        Path ihx = dir.resolve("fw.ihx");
        Files.writeString(ihx, FirmwareLoadIT.hex(segments));
        FirmwareLoadIT.BootRom rom = new FirmwareLoadIT.BootRom(false);
        VirtualDevice boot = ReopenIT.device(0x7e02, Speed.HIGH).handler(rom).attach();
        int port = boot.port();
        UsbDevice before = UsbipDeviceIT.find(usb, boot, 0x7e02);
        try (boot; ExampleRun run = ExampleRun.start("LoadFx2Firmware", LoadFx2Firmware::run,
                String.format("%04x:7e02", UsbipDeviceIT.VID), ihx.toString(), String.format("%04x:7e03", UsbipDeviceIT.VID),
                "60")) {
            rom.ran.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            rom.assertHolds(segments);
            assertEquals(0, rom.writesWhileRunning, "the CPU was held while written: " + rom.log);
            boot.close(); // renumeration: the boot ROM leaves, the firmware comes back on the same port
            try (VirtualDevice fw = ReopenIT.device(0x7e03, Speed.HIGH).handler(u -> Reply.standard()).port(port).attach()) {
                ExampleRun.Result r = run.await(BOUND);
                assertEquals(0, r.status(), r.err());
                List<String> lines = r.out().lines().toList();
                assertEquals(2, lines.size(), r.out());
                assertEquals("loaded 2000 bytes in 1 segments into " + before, lines.get(0));
                Matcher m = Pattern.compile(String.format("back after \\d+ ms as Bus %03d Device (\\d{3}): ID %04x:7e03, reopen %d",
                        before.bus(), UsbipDeviceIT.VID, 0x7e03)).matcher(lines.get(1));
                assertTrue(m.matches(), lines.get(1));
                assertNotEquals(before.address(), Integer.parseInt(m.group(1)), "the firmware is a new device");
                fw.checkHealthy();
            }
        }
    }

    @Test
    void cycleHubPort_powerCyclesDummyHcdsRootPort_andTheGadgetComesBackAtANewAddress() throws Exception {
        // dummy_hcd's root hub is the lab's hub whose port power acts (HubIT)
        try (Gadget g = Gadget.builder().productId(0x4e04).strings("Lab", "Cycled").function("SourceSink", Map.of())
                .maxSpeed("high-speed").udc(1).bind()) {
            UsbDevice first = g.await(usb);
            UsbDevice root = first.parent().orElseThrow();
            assertTrue(root.portPath().isEmpty(), "the gadget is on a root hub: " + first.portPath());
            ExampleRun.Result r = ExampleRun.run("CycleHubPort", CycleHubPort::run, String.valueOf(root.bus()),
                    String.valueOf(first.portNumber()), "300");
            assertEquals(0, r.status(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(5, lines.size(), r.out());
            assertEquals("hub " + root + ", 1 ports", lines.get(0));
            assertTrue(lines.get(1).matches("  port 1: 0x[0-9a-f]{4} power 480M enable connect.* -> "
                    + Pattern.quote(first.toString())), lines.get(1));
            assertEquals("power off port 1 for 300 ms, then on", lines.get(2));
            Matcher m = Pattern.compile(String.format("back: Bus %03d Device (\\d{3}): ID 1a0a:4e04 \\(was %s\\)",
                    root.bus(), Pattern.quote(first.toString()))).matcher(lines.get(3));
            assertTrue(m.matches(), lines.get(3));
            int address = Integer.parseInt(m.group(1));
            assertNotEquals(first.address(), address, "enumerated again");
            assertTrue(lines.get(4).matches("  port 1: 0x[0-9a-f]{4} power .*"), "powered after the cycle: " + lines.get(4));
            assertTrue(usb.awaitDevice(g.filter().address(address), BOUND).get(BOUND.toSeconds(), TimeUnit.SECONDS)
                    .isAttached(), "the gadget is listed at its new address");
            ExampleRun.Result noPort = ExampleRun.run("CycleHubPort", CycleHubPort::run, String.valueOf(root.bus()), "2", "300");
            assertEquals(1, noPort.status());
            assertTrue(noPort.err().contains("has ports 1..1, not 2"), noPort.err());
        }
        ExampleRun.Result bad = ExampleRun.run("CycleHubPort", CycleHubPort::run, "1-", "1", "300");
        assertEquals(2, bad.status());
        assertTrue(bad.err().startsWith("HUB is a bus number (3) or a bus and port path (3-1.2), not \"1-\"\n"), bad.err());
        assertEquals(2, ExampleRun.run("CycleHubPort", CycleHubPort::run, "1", "0", "300").status());
    }
}
