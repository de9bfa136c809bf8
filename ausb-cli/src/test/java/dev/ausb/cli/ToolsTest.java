package dev.ausb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** hub, control, read, write, reset, udev-rule, doctor and completion: their arguments, checked before any USB. */
class ToolsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private void usage(String reason, String... args) {
        assertEquals(Main.USAGE, run(args), String.join(" ", args));
        assertTrue(err.toString().contains(reason), String.join(" ", args) + ": " + err);
    }

    @Test
    void everyCommandHasAManPageHelp() {
        for (String c : Commands.ALL.keySet()) {
            assertEquals(Main.OK, run(c, "--help"), c);
            assertTrue(out.toString().startsWith("usage: ausb " + c), c + ": " + out);
            assertEquals(Main.OK, run("help", c), c);
            assertTrue(out.toString().startsWith("usage: ausb " + c), c);
        }
    }

    @Test
    void control_checksTheSetupAndTheDirection() {
        usage("is IN (bit 7 set): give the LENGTH", "control", "1a0a:badd", "0x80", "6", "0x100", "0");
        usage("bmRequestType is a number from 0 to 0xff", "control", "1a0a:badd", "0x180", "6", "0", "0", "1");
        usage("reserved type 3", "control", "1a0a:badd", "0xe0", "0", "0", "0", "1");
        usage("not bytes in hex", "control", "1a0a:badd", "0x40", "1", "0", "0", "xyz");
        usage("wValue is a number", "control", "1a0a:badd", "0x40", "1", "0x10000", "0");
        usage("control needs BMREQUESTTYPE", "control", "1a0a:badd", "0x40");
        usage("control needs a device", "control");
        var c = TransferCommands.parseControl(new ArrayList<>(List.of("-p", "3-1.2", "0xc0", "0x51", "1", "2", "64")));
        assertEquals(0xc0, c.requestType());
        assertEquals(64, c.length());
        var o = TransferCommands.parseControl(new ArrayList<>(List.of("1a0a:badd", "0x40", "1", "0", "0", "de:ad be,ef")));
        assertEquals(4, o.data().length);
        assertEquals((byte) 0xef, o.data()[3]);
    }

    @Test
    void readAndWrite_checkEndpointDirectionAndSource() {
        usage("read takes an IN endpoint", "read", "1a0a:badd", "0x01", "512");
        usage("write takes an OUT endpoint", "write", "1a0a:badd", "0x81", "00");
        usage("is not an endpoint address", "read", "1a0a:badd", "0x90", "1");
        usage("read needs a LENGTH after the endpoint, --duration TIME or --until-interrupted", "read", "1a0a:badd", "0x81");
        usage("one of them", "write", "1a0a:badd", "0x01", "00", "--zeros", "5");
        usage("one of them", "write", "1a0a:badd", "0x01");
        usage("--transfers is a number from 1 to 64", "read", "--transfers", "0", "1a0a:badd", "0x81", "1");
        usage("unknown option --bogus", "read", "1a0a:badd", "0x81", "1", "--bogus");
        var b = BulkCommands.parse("read", new ArrayList<>(List.of("--single", "-o", "-", "-s", "3:4", "0x81", "0x40")));
        assertEquals(0x81, b.endpoint());
        assertEquals(64, b.length());
        assertTrue(b.single());
    }

    @Test
    void sizesAndDurations_takeTheirSuffixes_strictly() {
        assertEquals(512, Options.size("512", "LENGTH", 0, Long.MAX_VALUE));
        assertEquals(512, Options.size("0x200", "LENGTH", 0, Long.MAX_VALUE));
        assertEquals(64 * 1024, Options.size("64K", "LENGTH", 0, Long.MAX_VALUE));
        assertEquals(64 * 1024, Options.size("64k", "LENGTH", 0, Long.MAX_VALUE));
        assertEquals(64 * 1024, Options.size("64KiB", "LENGTH", 0, Long.MAX_VALUE));
        assertEquals(1L << 20, Options.size("1M", "LENGTH", 0, Long.MAX_VALUE));
        assertEquals(3L << 30, Options.size("3GiB", "LENGTH", 0, Long.MAX_VALUE));
        assertEquals(64_000, Options.size("64kB", "LENGTH", 0, Long.MAX_VALUE));
        assertEquals(2_000_000, Options.size("2MB", "LENGTH", 0, Long.MAX_VALUE));
        assertEquals(1_000_000_000, Options.size("1GB", "LENGTH", 0, Long.MAX_VALUE));
        for (String bad : List.of("-1", "+1", "1.5M", "1 M", " 1", "1m", "1MiB ", "1T", "K", "", "0x", "1e3",
                "9223372036854775807K", "99999999999999999999")) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(Main.Usage.class,
                    () -> Options.size(bad, "LENGTH", 0, Long.MAX_VALUE), bad);
            assertTrue(e.getMessage().startsWith("LENGTH is a byte count from 0 to 9223372036854775807"), e.getMessage());
            assertTrue(e.getMessage().endsWith(", not " + bad), e.getMessage());
        }
        assertEquals(java.time.Duration.ofMillis(500), Options.duration("500ms", "--duration"));
        assertEquals(java.time.Duration.ofMillis(1500), Options.duration("1.5s", "--duration"));
        assertEquals(java.time.Duration.ofMinutes(2), Options.duration("2m", "--duration"));
        assertEquals(java.time.Duration.ofHours(1), Options.duration("1h", "--duration"));
        for (String bad : List.of("10", "0s", "-1s", "+1s", "1 s", "1.s", ".5s", "0.1ms", "31d", "721h", "1e3s", "s")) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(Main.Usage.class,
                    () -> Options.duration(bad, "--duration"), bad);
            assertTrue(e.getMessage().endsWith("not " + bad), e.getMessage());
        }
        usage("--timeout needs seconds", "read", "--timeout", "1e3", "1a0a:badd", "0x81", "1");
        usage("--timeout needs seconds", "read", "--timeout", "0x1p3", "1a0a:badd", "0x81", "1");
        usage("an endpoint address is a number from 1 to 0xff", "read", "1a0a:badd", "+0x81", "1");
        usage("--transfers is a number from 1 to 64", "read", "--transfers", "+4", "1a0a:badd", "0x81", "1");
    }

    @Test
    void read_takesALengthADurationOrUntilInterrupted() {
        var timed = BulkCommands.parse("read", new ArrayList<>(List.of("--duration", "10s", "1a0a:badd", "0x81")));
        assertEquals(-1, timed.length());
        assertEquals(java.time.Duration.ofSeconds(10), timed.duration());
        var both = BulkCommands.parse("read", new ArrayList<>(List.of("--duration", "2m", "1a0a:badd", "0x81", "1M")));
        assertEquals(1L << 20, both.length());
        var forever = BulkCommands.parse("read", new ArrayList<>(List.of("--until-interrupted", "1a0a:badd", "0x81")));
        assertEquals(-1, forever.length());
        assertEquals(null, forever.duration());
        usage("not both", "read", "--until-interrupted", "1a0a:badd", "0x81", "64K");
        usage("--single needs a LENGTH", "read", "--single", "--duration", "1s", "1a0a:badd", "0x81");
        usage("--duration is a time with its unit", "read", "--duration", "10", "1a0a:badd", "0x81");
        usage("unknown option --duration", "write", "--duration", "1s", "1a0a:badd", "0x01", "00");
        var zeros = BulkCommands.parse("write", new ArrayList<>(List.of("--zeros", "1GB", "1a0a:badd", "0x01")));
        assertEquals(1_000_000_000L, zeros.zeros());
        var sized = BulkCommands.parse("read", new ArrayList<>(List.of("--transfer-size", "64K", "1a0a:badd", "0x81", "1")));
        assertEquals(65536, sized.transferSize());
    }

    @Test
    void hexDump_writtenAsItComes_isTheSameAsAtOnce() {
        byte[] data = new byte[100];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(o, true, StandardCharsets.UTF_8);
        try (BulkSupport.HexDumpOutput d = new BulkSupport.HexDumpOutput(p)) {
            d.write(data, 0, 7);
            d.write(data, 7, 30);
            d.write(data, 37, 63);
        }
        assertEquals(Options.hexDump(data), o.toString(StandardCharsets.UTF_8));
    }

    @Test
    void hub_checksActionsAndPorts() {
        usage("--power takes on, off or cycle", "hub", "-p", "usb1", "--power", "toggle", "1");
        usage("a port is a number from 1 to 0xff", "hub", "-p", "usb1", "--reset", "0");
        usage("needs a hub", "hub", "--power", "on", "1");
        usage("one of --power and --reset", "hub", "-p", "1-1", "--power", "on", "1", "--reset", "1");
        usage("not VID:PID in hex (1a0a:badd, 1a0a:, :badd) or a port path (3-1.2, usb3): \"1.1\"", "hub", "-p", "1.1");
        var a = HubCommand.parse(new ArrayList<>(List.of("-p", "3-1", "--power", "cycle", "2", "--off-time", "0.5")));
        assertEquals("cycle", a.action());
        assertEquals(2, a.port());
        assertEquals(java.time.Duration.ofMillis(500), a.offTime());
        assertEquals("bus=3, portPath=1", a.hub().toString());
        assertEquals("bus=3, portPath=", HubCommand.parse(new ArrayList<>(List.of("-p", "usb3"))).hub().toString());
    }

    @Test
    void udevRule_isOneRuleWithItsInstallLines() {
        assertEquals(Main.OK, run("udev-rule", "1A0A:badd"));
        String rule = out.toString();
        assertTrue(rule.contains("SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"1a0a\", "
                + "ATTR{idProduct}==\"badd\", MODE=\"0660\", GROUP=\"plugdev\", TAG+=\"uaccess\""), rule);
        assertTrue(rule.contains("sudo tee /etc/udev/rules.d/70-ausb-1a0a-badd.rules"), rule);
        assertEquals(1, rule.lines().filter(l -> !l.startsWith("#")).count(), rule);
        assertEquals(Main.OK, run("udev-rule", "--group", "lab", "--mode", "664", "04b4"));
        assertTrue(out.toString().contains("ATTR{idVendor}==\"04b4\", MODE=\"0664\", GROUP=\"lab\""), out.toString());
        assertTrue(!out.toString().contains("idProduct"), out.toString());
        usage("not a group name", "udev-rule", "--group", "a\"b", "1a0a:badd");
        usage("a mode is octal", "udev-rule", "--mode", "999", "1a0a:badd");
        usage("a vendor id is 1 to 4 hex digits, not \"xyz\"", "udev-rule", "xyz");
        // engine-review-2 N5: a sign is not a PID, so no vendor-wide rule comes out of a typo
        usage("a product id is 1 to 4 hex digits, not \"-bad\"", "udev-rule", "1a0a:-bad");
        usage("a product id is 1 to 4 hex digits, not \"+1\"", "udev-rule", "1a0a:+1");
        usage("udev-rule needs one VID:PID", "udev-rule", "-1");
        usage("udev-rule needs the vendor id", "udev-rule", ":badd");
        usage("a product id is 1 to 4 hex digits", "doctor", "1a0a:badd0");
        usage("needs one VID:PID", "doctor");
    }

    @Test
    void jsonOnlyWhereItExists() {
        usage("control has no --json", "control", "--json", "1a0a:badd", "0x80", "6", "0", "0", "1");
    }

    @Test
    void hexDump_isXxdShaped() {
        assertEquals("00000000: 4142 0001                                AB..\n",
                Options.hexDump(new byte[] {0x41, 0x42, 0, 1}));
    }
}
