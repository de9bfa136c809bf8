package dev.ausb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ausb.UsbDevice;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What --json prints on the host, checked against docs/schema: version, every kind of error that
 * happens here, and list, watch and info rows of a fake device (the lab checks real ones). Also what
 * list prints of a device whose strings carry escape sequences (engine-review-2 N4).
 */
class JsonOutputTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private static final Path REPO = JsonSchemaCheck.repo();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static void conforms(String schema, String json) throws Exception {
        List<String> problems = JsonSchemaCheck.load(REPO, schema).problems(json);
        assertEquals(List.of(), problems, schema + ":\n" + json);
    }

    @Test
    void theValidator_findsWhatIsWrong() throws Exception {
        JsonSchemaCheck error = JsonSchemaCheck.load(REPO, "error");
        assertEquals(List.of(), error.problems("{\"error\":{\"code\":2,\"kind\":\"usage\",\"command\":\"x\",\"message\":\"m\"}}"));
        assertEquals(List.of("$.error: no message"),
                error.problems("{\"error\":{\"code\":2,\"kind\":\"usage\",\"command\":\"x\"}}"));
        assertEquals(List.of("$.error.code: BigDecimal 9 is not one of [1, 2, 3, 4, 5, 6, 7]", "$.error: extra is not in the schema"),
                error.problems("{\"error\":{\"code\":9,\"kind\":\"usage\",\"command\":\"x\",\"message\":\"m\",\"extra\":1}}"));
        assertEquals(List.of("$.error.message: BigDecimal 1, not [string]"),
                error.problems("{\"error\":{\"code\":2,\"kind\":\"usage\",\"command\":\"x\",\"message\":1}}"));
        assertTrue(error.problems("{\"error\":{}} x").getFirst().startsWith("not JSON"));
        assertTrue(error.problems("{\"a\":\"\u001b\"}").getFirst().startsWith("not JSON: control character"));
        JsonSchemaCheck list = JsonSchemaCheck.load(REPO, "list");
        String row = "{\"bus\":1,\"address\":2,\"idVendor\":65536,\"idProduct\":1,\"vendor\":\"\",\"product\":\"\","
                + "\"speed\":\"480M\",\"portPath\":[1,2,3,4,5,6,7,8]}";
        assertEquals(List.of("$[0].idVendor: 65536 > maximum 65535", "$[0].portPath: 8 items, more than 7"),
                list.problems("[" + row + "]"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void listVerboseSchema_holdsTheInfoSchema() throws Exception {
        Map<String, Object> info = (Map<String, Object>) JsonSchemaCheck.parse(
                Files.readString(REPO.resolve("docs/schema/info.schema.json")));
        Map<String, Object> lv = (Map<String, Object>) JsonSchemaCheck.parse(
                Files.readString(REPO.resolve("docs/schema/list-verbose.schema.json")));
        Map<String, Object> defs = new LinkedHashMap<>((Map<String, Object>) lv.get("$defs"));
        Map<String, Object> device = (Map<String, Object>) defs.remove("device");
        assertEquals(info.get("$defs"), defs, "the same $defs");
        for (String k : List.of("type", "properties", "required", "additionalProperties")) {
            assertEquals(info.get(k), device.get(k), k);
        }
    }

    @Test
    void versionJson_conforms() throws Exception {
        assertEquals(Main.OK, run("version", "--json"));
        conforms("version", out.toString());
        assertEquals("", err.toString());
    }

    @Test
    void usageErrors_underJson_areOneJsonLineOnStderr_andStdoutStaysEmpty() throws Exception {
        for (String[] args : List.of(new String[] {"info", "--json", "1a0a:-bad"}, new String[] {"list", "--json", "--bogus"},
                new String[] {"frobnicate", "--json"}, new String[] {"tree", "--json", "extra"},
                new String[] {"hub", "--json", "--power", "toggle", "1"}, new String[] {"watch", "--json", "--count", "0"},
                new String[] {"version", "--json", "x"})) {
            assertEquals(Main.USAGE, run(args), String.join(" ", args));
            assertEquals("", out.toString(), String.join(" ", args));
            assertEquals(1, err.toString().lines().count(), err.toString());
            conforms("error", err.toString());
            assertTrue(err.toString().contains("\"code\":2,\"kind\":\"usage\""), err.toString());
        }
    }

    @Test
    void noUsb_underJson_isAJsonError() throws Exception {
        assumeTrue(!Files.exists(Path.of("/dev/bus/usb")) && System.getProperty("os.name").toLowerCase().contains("linux"));
        for (String c : List.of("list", "tree", "hub")) {
            assertEquals(Main.NO_USB, run(c, "--json"), c);
            assertEquals("", out.toString());
            conforms("error", err.toString());
            assertTrue(err.toString().startsWith("{\"error\":{\"code\":6,\"kind\":\"no-usb\",\"command\":\"" + c + "\""), err.toString());
        }
        assertEquals(Main.NO_USB, run("info", "--json", "1a0a:badd"));
        conforms("error", err.toString());
        assertEquals(Main.NO_USB, run("watch", "--json", "--count", "1"));
        conforms("error", err.toString());
    }

    @Test
    void libusbMissing_underJson_isAJsonError() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "list", "--json"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("AUSB_LIBUSB", "/nope/libusb-1.0.so");
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(Main.NO_LIBUSB, p.exitValue(), stderr);
        assertEquals("", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        conforms("error", stderr);
        assertTrue(stderr.contains("\"kind\":\"libusb-missing\""), stderr);
    }

    @Test
    void listRows_andWatchLines_andInfo_ofAFakeDevice_conform() throws Exception {
        UsbDevice d = FakeUsb.device("Maker \u001b[2J", "Modem \u009b31m");
        String[] vp = Main.vendorProduct(d, Names.load());
        conforms("list", Json.write(List.of(ListCommand.row(new LinkedHashMap<>(), d, vp))));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", "arrived");
        String line = Json.line(ListCommand.row(event, d, vp));
        assertFalse(line.contains("\n"));
        conforms("watch", line);
        String info = dev.ausb.UsbDeviceDump.of(d).withNames(Names.load()).withStrings(Map.of(1, "Maker", 4, "ACM"))
                .withNote("a note").toJson();
        conforms("info", info);
    }

    @Test
    void list_ofADeviceWithEscapesInItsStrings_printsThemEscaped() throws Exception {
        UsbDevice d = FakeUsb.device("A\u001b]0;owned\u0007", "B\u009b2J\u007f");
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8);
        ListCommand.Args plain = ListCommand.parse(new ArrayList<>());
        ListCommand.run(FakeUsb.context(d), Names.load(), plain, false, po, pe);
        assertEquals("Bus 003 Device 007: ID fffe:fffd A\\x1b]0;owned\\x07 B\\u009b2J\\x7f\n", o.toString(StandardCharsets.UTF_8));
        o.reset();
        ListCommand.run(FakeUsb.context(d), Names.load(), plain, true, po, pe);
        String json = o.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"vendor\": \"A\\u001b]0;owned\\u0007\""), json);
        assertTrue(json.contains("\"product\": \"B\\u009b2J\\u007f\""), json);
        conforms("list", json);
        o.reset();
        ListCommand.run(FakeUsb.context(d), Names.load(), new ListCommand.Args(null, true, false), false, po, pe);
        String verbose = o.toString(StandardCharsets.UTF_8);
        assertTrue(verbose.startsWith("Bus 003 Device 007: ID fffe:fffd  \n(strings not read: open: access denied (fake); "
                + "ausb doctor fffe:fffd explains why and how to fix it)\n"), verbose);
        assertTrue(verbose.contains("\nDevice Descriptor:\n  bLength                18\n"), verbose);
        for (String s : List.of(verbose, json, o.toString())) {
            assertTrue(s.chars().noneMatch(c -> c != '\n' && (c < 0x20 || c >= 0x7f && c <= 0x9f)), s);
        }
        o.reset();
        ListCommand.run(FakeUsb.context(d), Names.load(), new ListCommand.Args(null, true, false), true, po, pe);
        conforms("list-verbose", o.toString(StandardCharsets.UTF_8));
    }
}
