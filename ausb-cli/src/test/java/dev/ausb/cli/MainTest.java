package dev.ausb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's own behaviour on the host: usage errors, exit codes, one-line messages. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noArguments_printsUsageAndExits2() {
        assertEquals(Main.USAGE, run());
        assertTrue(err.toString().startsWith("usage: ausb list"));
    }

    @Test
    void unknownCommand_exits2WithOneLineReason() {
        assertEquals(Main.USAGE, run("frobnicate"));
        assertEquals("ausb: unknown command frobnicate\nausb --help lists the commands.\n", err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("lsit"));
        assertEquals("ausb: unknown command lsit (did you mean list?)\nausb --help lists the commands.\n", err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("fx2load"));
        assertTrue(err.toString().contains("(did you mean fx2-load?)"), err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("inf"));
        assertTrue(err.toString().contains("(did you mean info?)"), err.toString());
    }

    @Test
    void infoWithoutDevice_orWithBadIds_exits2() {
        assertEquals(Main.USAGE, run("info"));
        assertTrue(err.toString().contains("info needs a device"));
        err.reset();
        assertEquals(Main.USAGE, run("info", "xyz:1"));
        assertTrue(err.toString().contains("not VID:PID in hex (1a0a:badd, 1a0a:, :badd) or a port path (3-1.2, usb3): "
                + "\"xyz:1\""), err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("info", "-s", "a:b"));
        assertTrue(err.toString().contains("not [[BUS]:][DEV] in decimal"), err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("info", "-d", "3-1"));
        assertTrue(err.toString().contains("(a port path goes after -p)"), err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("info", "-p", "1a0a:badd"));
        assertTrue(err.toString().contains("not a port path such as 3-1.2 or usb3: 1a0a:badd"), err.toString());
    }

    @Test
    void selector_understandsLsusbForms() {
        assertEquals("vendorId=0x1a0a, productId=0xbadd", Devices.selector(java.util.List.of("1a0a:badd"), "info").toString());
        assertEquals("vendorId=0x1a0a", Devices.selector(java.util.List.of("-d", "1a0a:"), "info").toString());
        assertEquals("bus=3, address=2", Devices.selector(java.util.List.of("-s", "3:2"), "info").toString());
        assertEquals("address=7", Devices.selector(java.util.List.of("-s", ":7"), "info").toString());
        assertEquals("bus=3, portPath=1.2", Devices.selector(java.util.List.of("-p", "3-1.2"), "info").toString());
        assertEquals("vendorId=0x1a0a, bus=3, address=2",
                Devices.selector(java.util.List.of("1a0a:", "-s", "3:2"), "info").toString());
    }

    @Test
    void watchOptions_areChecked_beforeAnyUsb() {
        assertEquals(Main.USAGE, run("watch", "--count", "0"));
        assertTrue(err.toString().contains("--count needs a positive number, not 0"), err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("watch", "--count"));
        assertTrue(err.toString().contains("--count needs a value"), err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("watch", "xyz:1"));
        assertTrue(err.toString().contains("\"xyz:1\""), err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("watch", "--count", "+3"));
        assertTrue(err.toString().contains("--count needs a positive number, not +3"), err.toString());
    }

    @Test
    void firmwareLoads_checkTheirArgumentsAndTheFile_beforeAnyUsb(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertEquals(Main.USAGE, run("fx2-load", "04b4:8613"));
        assertTrue(err.toString().contains("fx2-load needs a device: VID:PID, -s [BUS]:DEV or -p PATH, before the file"), err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("fx3-load"));
        assertTrue(err.toString().contains("fx3-load needs a device and a firmware file"), err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("fx3-load", "--chip", "fx2", "04b4:00f3", "fw.img"));
        assertTrue(err.toString().contains("--chip is for fx2-load"), err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("fx2-load", "--chip", "z80", "04b4:8613", "fw.ihx"));
        assertTrue(err.toString().contains("--chip is fx2lp, fx2 or an21, not z80"), err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("fx2-load", "--timeout", "-1", "04b4:8613", "fw.ihx"));
        assertTrue(err.toString().contains("--timeout needs seconds"), err.toString());
        err.reset();
        java.nio.file.Path bad = dir.resolve("bad.ihx");
        java.nio.file.Files.writeString(bad, ":0300000002000600\n:00000001FF\n");
        assertEquals(Main.USAGE, run("fx2-load", "04b4:8613", bad.toString()));
        assertEquals("ausb: " + bad + ": line 1: checksum 0x00, the record's bytes need 0xf5\n", err.toString());
        err.reset();
        assertEquals(Main.USAGE, run("fx3-load", "04b4:00f3", dir.resolve("missing.img").toString()));
        assertTrue(err.toString().startsWith("ausb: cannot read " + dir.resolve("missing.img")), err.toString());
        err.reset();
        java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(
                "--no-verify", "--expect", "04b4:1004", "--timeout", "2.5", "-s", "1:5", "fw.ihx"));
        FirmwareCommand.Args a = FirmwareCommand.parse("fx2-load", rest);
        // UsbDeviceFilter has no equals: the record compared through its string
        assertEquals("Args[fx3=false, chip=FX2LP, verify=false, expect=vendorId=0x04b4, productId=0x1004, timeout=PT2.5S, "
                + "waitForReturn=true, device=bus=1, address=5, file=fw.ihx]", a.toString());
        assertTrue(rest.isEmpty(), "every argument taken: " + rest);
        assertEquals(Main.OK, run("fx3-load", "--help"));
        assertTrue(out.toString().contains("elf2img"), out.toString());
    }

    @Test
    void help_exits0() {
        assertEquals(Main.OK, run("--help"));
        assertTrue(out.toString().contains("ausb tree"));
        for (Commands.Command c : Commands.ALL.values()) {
            assertEquals(c.listed(), out.toString().contains("\n  " + c.name() + " "), c.name());
        }
    }

    @Test
    void json_writerEscapesAndNests() {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("s", "a\"b\\c\n");
        m.put("l", java.util.List.of(1, true));
        m.put("n", null);
        assertEquals("{\n  \"s\": \"a\\\"b\\\\c\\n\",\n  \"l\": [\n    1,\n    true\n  ],\n  \"n\": null\n}\n",
                Json.write(m));
        m.put("c1", "\u009b2J\u001b");
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\",\"l\":[1,true],\"n\":null,\"c1\":\"\\u009b2J\\u001b\"}", Json.line(m));
    }
}
