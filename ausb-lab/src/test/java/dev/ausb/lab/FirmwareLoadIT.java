package dev.ausb.lab;

import static dev.ausb.lab.UsbipDeviceIT.VID;
import static dev.ausb.lab.UsbipDeviceIT.WAIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.ausb.firmware.FirmwareLoadException;
import dev.ausb.firmware.FirmwareSegment;
import dev.ausb.firmware.Fx2Loader;
import dev.ausb.firmware.Fx3Image;
import dev.ausb.firmware.Fx3Loader;
import dev.ausb.firmware.IntelHex;
import dev.ausb.lab.usbip.Reply;
import dev.ausb.lab.usbip.Setup;
import dev.ausb.lab.usbip.Speed;
import dev.ausb.lab.usbip.Urb;
import dev.ausb.lab.usbip.UrbHandler;
import dev.ausb.lab.usbip.VirtualDevice;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cypress FX2 and FX3 firmware loading ({@code dev.ausb.firmware}) against virtual devices on
 * vhci_hcd that speak the boot loaders' vendor request 0xA0 as the chips do: memory written and read
 * back at wValue (and wIndex for FX3's high half), the FX2's CPU held and released through CPUCS,
 * the FX3's jump to the entry point; each checks what it received against the image, then
 * disconnects and comes back with the firmware's ids, the FX3 at SuperSpeed on the peer port.
 */
@Timeout(120)
class FirmwareLoadIT {
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

    /** The boot loader's side: memory, CPUCS and the requests in the order they came. */
    static final class BootRom implements UrbHandler {
        final Map<Long, Byte> memory = new ConcurrentHashMap<>();
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Void> ran = new CompletableFuture<>();
        final CompletableFuture<Long> jumped = new CompletableFuture<>();
        final boolean fx3;
        volatile long corruptAt = -1;
        /** How the FX3's jump is answered: by default never (the chip leaves the bus instead). */
        volatile Reply jumpReply = Reply.hold();
        volatile int nonZeroIndex;
        volatile boolean halted;
        volatile int writesWhileRunning;

        BootRom(boolean fx3) {
            this.fx3 = fx3;
        }

        @Override
        public Reply onSubmit(Urb urb) {
            Setup s = urb.control() ? urb.setup() : null;
            if (s == null || s.type() != 2 || s.request() != 0xa0) {
                return Reply.standard();
            }
            long address = fx3 ? (long) s.index() << 16 | s.value() : s.value();
            if (!fx3 && s.index() != 0) {
                nonZeroIndex++; // the FX2's boot ROM takes 16-bit addresses in wValue alone
            }
            if (s.in()) {
                log.add(String.format("read %x %d", address, s.length()));
                byte[] out = new byte[s.length()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = memory.getOrDefault(address + i, (byte) 0);
                }
                return Reply.data(out);
            }
            byte[] data = urb.outData();
            if (!fx3 && address == 0xe600 && data.length == 1) {
                log.add("cpucs " + data[0]);
                if (data[0] == 1) {
                    halted = true;
                } else if (halted) {
                    halted = false;
                    ran.complete(null);
                }
                return Reply.ok();
            }
            if (fx3 && data.length == 0) {
                log.add(String.format("jump %x", address));
                jumped.complete(address);
                return jumpReply;
            }
            log.add(String.format("write %x %d", address, data.length));
            if (!fx3 && !halted) {
                writesWhileRunning++;
            }
            for (int i = 0; i < data.length; i++) {
                memory.put(address + i, address + i == corruptAt ? (byte) ~data[i] : data[i]);
            }
            return Reply.ok();
        }

        void assertHolds(List<FirmwareSegment> segments) {
            for (FirmwareSegment seg : segments) {
                byte[] want = seg.data();
                byte[] got = new byte[want.length];
                for (int i = 0; i < got.length; i++) {
                    got[i] = memory.getOrDefault(seg.address() + i, (byte) 0x5a);
                }
                assertArrayEquals(want, got, "memory at " + seg);
            }
        }

        long count(String prefix) {
            synchronized (log) {
                return log.stream().filter(l -> l.startsWith(prefix)).count();
            }
        }
    }

    private static VirtualDevice.Builder device(int pid, Speed speed, UrbHandler handler) {
        return ReopenIT.device(pid, speed).handler(handler);
    }

    /** An Intel HEX file of the segments, 16 bytes per record, as SDCC writes it. */
    static String hex(List<FirmwareSegment> segments) {
        StringBuilder s = new StringBuilder();
        for (FirmwareSegment seg : segments) {
            byte[] d = seg.data();
            for (int off = 0; off < d.length; off += 16) {
                int n = Math.min(16, d.length - off);
                int a = (int) seg.address() + off;
                int sum = n + (a >> 8 & 0xff) + (a & 0xff);
                s.append(String.format(":%02X%04X00", n, a & 0xffff));
                for (int i = 0; i < n; i++) {
                    s.append(String.format("%02X", d[off + i] & 0xff));
                    sum += d[off + i] & 0xff;
                }
                s.append(String.format("%02X\n", -sum & 0xff));
            }
        }
        return s.append(":00000001FF\n").toString();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void fx2_haltsWritesInChunksVerifiesRuns_andTheFirmwareIsOpenedWhenItComesBack() throws Exception {
        List<FirmwareSegment> segments = List.of(new FirmwareSegment(0x0000, random(3000, 1)),
                new FirmwareSegment(0xe000, random(100, 2)));
        IntelHex image = IntelHex.parse(hex(segments).getBytes(StandardCharsets.US_ASCII));
        assertEquals(segments, image.segments());
        BootRom rom = new BootRom(false);
        VirtualDevice boot = device(0x7d01, Speed.HIGH, rom).attach();
        int port = boot.port();
        UsbDevice before = UsbipDeviceIT.find(usb, boot, 0x7d01);
        UsbDeviceHandle h = before.open();
        CompletableFuture<UsbDeviceHandle> loaded = CompletableFuture.supplyAsync(() -> {
            try {
                return Fx2Loader.of(h).loadAndReopen(image, UsbDeviceFilter.of(VID, 0x7d02), Duration.ofSeconds(60));
            } catch (FirmwareLoadException e) {
                throw new IllegalStateException(e);
            }
        });
        rom.ran.get(30, TimeUnit.SECONDS);
        rom.assertHolds(segments);
        assertEquals(0, rom.writesWhileRunning, "every write came while the CPU was held: " + rom.log);
        assertEquals(0, rom.nonZeroIndex, "wIndex 0 in every request");
        assertEquals("cpucs 1", rom.log.getFirst());
        assertEquals("cpucs 0", rom.log.getLast());
        assertEquals(List.of("write 0 1024", "read 0 1024", "write 400 1024", "read 400 1024", "write 800 952",
                "read 800 952", "write e000 100", "read e000 100"), rom.log.subList(1, rom.log.size() - 1));
        UsbipDeviceIT.sleep(300);
        assertFalse(loaded.isDone(), "the boot device is still there: it is not the firmware");
        boot.close(); // renumeration: the chip disconnects and comes back as the firmware
        try (VirtualDevice fw = device(0x7d02, Speed.HIGH, u -> Reply.standard()).port(port).attach();
                UsbDeviceHandle back = loaded.get(60, TimeUnit.SECONDS)) {
            assertEquals(0x7d02, back.device().productId());
            assertEquals(before.portPath(), back.device().portPath());
            assertNotEquals(before.address(), back.device().address());
            fw.checkHealthy();
        }
    }

    @Test
    void fx2_aByteTheDeviceDoesNotKeep_failsTheLoadAtItsAddress_andTheCpuStaysHeld_andAnImageOutOfReachWritesNothing()
            throws Exception {
        BootRom rom = new BootRom(false);
        rom.corruptAt = 0x123;
        try (VirtualDevice boot = device(0x7d05, Speed.HIGH, rom).attach();
                UsbDeviceHandle h = UsbipDeviceIT.find(usb, boot, 0x7d05).open()) {
            Fx2Loader loader = Fx2Loader.of(h).chunkSize(256);
            IntelHex outOfReach = IntelHex.parse(hex(List.of(new FirmwareSegment(0x3ff0, new byte[32])))
                    .getBytes(StandardCharsets.US_ASCII));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader.load(outOfReach));
            assertTrue(e.getMessage().contains("external RAM"), e.getMessage());
            IllegalArgumentException fx2 = assertThrows(IllegalArgumentException.class,
                    () -> loader.chip(Fx2Loader.Chip.FX2).load(IntelHex.parse(hex(List.of(
                            new FirmwareSegment(0x2000, new byte[1]))).getBytes(StandardCharsets.US_ASCII))));
            assertTrue(fx2.getMessage().contains("0x0000..0x1fff"), fx2.getMessage());
            assertTrue(rom.log.isEmpty(), "nothing sent for a refused image: " + rom.log);

            IntelHex image = IntelHex.parse(hex(List.of(new FirmwareSegment(0, random(600, 3))))
                    .getBytes(StandardCharsets.US_ASCII));
            FirmwareLoadException bad = assertThrows(FirmwareLoadException.class, () -> loader.load(image));
            assertEquals(0x123, bad.address(), bad.getMessage());
            assertEquals(List.of("cpucs 1", "write 0 256", "read 0 256", "write 100 256", "read 100 256"), rom.log,
                    "stopped at the chunk that read back wrong, the CPU not started");
            assertTrue(rom.halted);
            boot.checkHealthy();
        }
    }

    @Test
    void fx3_writesSectionsAtTheirWideAddresses_jumps_andTheFirmwareComesBackAtSuperSpeedOnThePeerPort()
            throws Exception {
        List<FirmwareSegment> sections = List.of(new FirmwareSegment(0x4000_0000L, random(10000, 4)),
                new FirmwareSegment(0x0000_0100L, random(64, 5)));
        Fx3Image image = Fx3Image.parse(Fx3Image.encode(sections, 0x4000_0040L));
        BootRom rom = new BootRom(true);
        VirtualDevice boot = device(0x7d03, Speed.HIGH, rom).attach();
        int peer = VirtualDevice.peerPort(boot.port());
        UsbDevice before = UsbipDeviceIT.find(usb, boot, 0x7d03);
        UsbDeviceHandle h = before.open();
        CompletableFuture<UsbDeviceHandle> loaded = CompletableFuture.supplyAsync(() -> {
            try {
                // a request timeout longer than the test holds the jump, on a loaded machine
                return Fx3Loader.of(h).timeout(Duration.ofSeconds(30))
                        .loadAndReopen(image, UsbDeviceFilter.of(VID, 0x7d04), Duration.ofSeconds(60));
            } catch (FirmwareLoadException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(0x4000_0040L, rom.jumped.get(30, TimeUnit.SECONDS));
        rom.assertHolds(sections);
        assertEquals(List.of("write 40000000 4096", "read 40000000 4096", "write 40001000 4096", "read 40001000 4096",
                "write 40002000 1808", "read 40002000 1808", "write 100 64", "read 100 64", "jump 40000040"), rom.log);
        UsbipDeviceIT.sleep(300);
        assertFalse(loaded.isDone(), "the jump's status stage never came and the boot device is still there");
        boot.close(); // leaves with the jump pending: the loader takes that as the chip restarting
        try (VirtualDevice fw = device(0x7d04, Speed.SUPER, u -> Reply.standard()).port(peer).attach();
                UsbDeviceHandle back = loaded.get(60, TimeUnit.SECONDS)) {
            assertEquals(UsbSpeed.SUPER, back.device().speed());
            assertEquals(0x7d04, back.device().productId());
            assertNotEquals(before.bus(), back.device().bus(), "the SuperSpeed root hub");
            fw.checkHealthy();
        }
    }

    @Test
    void ausbFx2Load_andFx3Load_loadAFile_andPrintTheDeviceThatCameBack() throws Exception {
        List<FirmwareSegment> segments = List.of(new FirmwareSegment(0x0100, random(2000, 6)));
        java.nio.file.Path ihx = java.nio.file.Files.createTempFile("ausb-fw", ".ihx");
        java.nio.file.Files.writeString(ihx, hex(segments));
        BootRom rom = new BootRom(false);
        VirtualDevice boot = device(0x7d06, Speed.HIGH, rom).attach();
        int port = boot.port();
        UsbDevice before = UsbipDeviceIT.find(usb, boot, 0x7d06);
        CompletableFuture<LabResult> cli = CompletableFuture.supplyAsync(() -> Lab.ausb("fx2-load", "--expect",
                String.format("%04x:7d07", VID), "--timeout", "60", String.format("%04x:7d06", VID), ihx.toString()));
        rom.ran.get(60, TimeUnit.SECONDS);
        rom.assertHolds(segments);
        boot.close();
        try (VirtualDevice fw = device(0x7d07, Speed.HIGH, u -> Reply.standard()).port(port).attach()) {
            LabResult r = cli.get(90, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.err());
            String[] lines = r.out().split("\n");
            assertEquals(String.format("loaded 2000 bytes in 1 segments into Bus %03d Device %03d: ID %04x:7d06, verified, running",
                    before.bus(), before.address(), VID), lines[0]);
            assertTrue(lines[1].matches(String.format("back after \\d+ ms as Bus %03d Device \\d{3}: ID %04x:7d07 \\(high speed\\)",
                    before.bus(), VID)), lines[1]);
        } finally {
            java.nio.file.Files.deleteIfExists(ihx);
        }

        List<FirmwareSegment> sections = List.of(new FirmwareSegment(0x4000_0000L, random(5000 & ~3, 7)));
        java.nio.file.Path img = java.nio.file.Files.createTempFile("ausb-fw", ".img");
        java.nio.file.Files.write(img, Fx3Image.encode(sections, 0x4000_0000L));
        BootRom rom3 = new BootRom(true);
        rom3.jumpReply = Reply.ok(); // answered: the CLI's default 2 s request timeout is not in play
        VirtualDevice boot3 = device(0x7d08, Speed.HIGH, rom3).attach();
        int peer = VirtualDevice.peerPort(boot3.port());
        UsbipDeviceIT.find(usb, boot3, 0x7d08);
        CompletableFuture<LabResult> cli3 = CompletableFuture.supplyAsync(() -> Lab.ausb("fx3-load", "--timeout", "60",
                String.format("%04x:7d08", VID), img.toString()));
        assertEquals(0x4000_0000L, rom3.jumped.get(60, TimeUnit.SECONDS));
        rom3.assertHolds(sections);
        boot3.close();
        try (VirtualDevice fw = device(0x7d09, Speed.SUPER, u -> Reply.standard()).port(peer).attach()) {
            LabResult r = cli3.get(90, TimeUnit.SECONDS);
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("loaded 5000 bytes in 1 sections"), r.out());
            assertTrue(r.out().contains(String.format("ID %04x:7d09 (super speed)", VID)), r.out());
        } finally {
            java.nio.file.Files.deleteIfExists(img);
        }
    }

    @Test
    void fx3_aJumpThatEndsWithAProtocolError_isTheChipStarting_butAStalledJumpFailsTheLoad() throws Exception {
        Fx3Image image = Fx3Image.parse(Fx3Image.encode(List.of(new FirmwareSegment(0x4000_0000L, random(64, 8))),
                0x4000_0000L));
        BootRom rom = new BootRom(true);
        rom.jumpReply = Reply.status(dev.ausb.lab.usbip.Errno.EPROTO); // the status stage lost, the device still there
        try (VirtualDevice boot = device(0x7d0a, Speed.HIGH, rom).attach();
                UsbDeviceHandle h = UsbipDeviceIT.find(usb, boot, 0x7d0a).open()) {
            Fx3Loader.of(h).load(image); // no exception: libusb's generic transfer error, the device not gone
            assertEquals(0x4000_0000L, rom.jumped.get(1, TimeUnit.SECONDS));
            rom.assertHolds(image.sections());
            boot.checkHealthy();
        }
        BootRom stalling = new BootRom(true);
        stalling.jumpReply = Reply.stall();
        try (VirtualDevice boot = device(0x7d0b, Speed.HIGH, stalling).attach();
                UsbDeviceHandle h = UsbipDeviceIT.find(usb, boot, 0x7d0b).open()) {
            assertThrows(dev.ausb.UsbStallException.class, () -> Fx3Loader.of(h).load(image), "a stall is a refusal");
            boot.checkHealthy();
        }
    }
}
