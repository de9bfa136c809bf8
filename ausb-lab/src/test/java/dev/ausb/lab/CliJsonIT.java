package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.cli.InProcess;
import dev.ausb.cli.JsonSchemaCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JSON of {@code list}, {@code list -v}, {@code info}, {@code tree}, {@code watch} and {@code hub}
 * on the lab's real devices (QEMU's and two gadgets, one SuperSpeed with a BOS) conforms to its
 * schema in docs/schema, and errors under --json do too.
 */
@Timeout(300)
class CliJsonIT {
    private static final Path REPO = JsonSchemaCheck.repo();
    private static Gadget gadget;

    @BeforeAll
    static void plug() {
        Lab.requireGuest();
        gadget = Gadget.builder().productId(0xacad).strings("Lab", "Json \u001b[31mred")
                .function("SourceSink", Map.of()).function("acm", Map.of()).udc(1).bind();
        try (UsbContext usb = UsbContext.create()) {
            gadget.await(usb);
        }
        Lab.check("udevadm", "settle", "-t", "10");
    }

    @AfterAll
    static void unplug() {
        if (gadget != null) {
            gadget.close();
        }
    }

    private static void conforms(String schema, LabResult r) throws Exception {
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(), JsonSchemaCheck.load(REPO, schema).problems(r.out()), schema + ":\n" + r.out());
    }

    @Test
    void list_andListVerbose_conform() throws Exception {
        LabResult list = InProcess.ausb("list", "--json");
        conforms("list", list);
        assertTrue(MiniJson.array(MiniJson.parse(list.out())).size() >= 10, list.out());
        conforms("list-verbose", InProcess.ausb("list", "--json", "-v"));
    }

    @Test
    void info_ofEveryDevice_conforms() throws Exception {
        int n = 0;
        for (Object o : MiniJson.array(MiniJson.parse(InProcess.ausb("list", "--json").out()))) {
            Map<String, Object> row = MiniJson.object(o);
            conforms("info", InProcess.ausb("info", "--json", "-s", row.get("bus") + ":" + row.get("address")));
            n++;
        }
        LabResult g = InProcess.ausb("info", "--json", String.format("%04x:%04x", gadget.vendorId, gadget.productId));
        conforms("info", g);
        assertTrue(g.out().contains("\"product\": \"Json \\u001b[31mred\""), g.out());
        assertTrue(g.out().contains("\"bos\": [\n"), "the SuperSpeed gadget has a BOS:\n" + g.out());
        assertTrue(n >= 10, n + " devices");
    }

    @Test
    void tree_conforms() throws Exception {
        conforms("tree", InProcess.ausb("tree", "--json"));
    }

    @Test
    void watch_linesConform() throws Exception {
        LabResult r = InProcess.ausb("watch", "--json", "--existing", "--count", "3");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        for (String line : lines) {
            assertEquals(List.of(), JsonSchemaCheck.load(REPO, "watch").problems(line), line);
        }
    }

    @Test
    void hub_conforms() throws Exception {
        LabResult r = InProcess.ausb("hub", "--json");
        conforms("hub", r);
        assertTrue(r.out().contains("\"ports\": ["), r.out());
    }

    @Test
    void errors_underJson_conform() throws Exception {
        LabResult none = InProcess.ausb("info", "--json", "dead:beef");
        assertEquals(3, none.exitCode());
        assertEquals("", none.out());
        assertEquals(List.of(), JsonSchemaCheck.load(REPO, "error").problems(none.err()), none.err());
        assertTrue(none.err().contains("\"kind\":\"no-match\""), none.err());
        LabResult several = InProcess.ausb("info", "--json", "0627:0001"); // QEMU's keyboard and tablet
        assertEquals(4, several.exitCode());
        assertEquals(List.of(), JsonSchemaCheck.load(REPO, "error").problems(several.err()), several.err());
        LabResult noneListed = InProcess.ausb("list", "--json", "-d", "dead:");
        assertEquals(3, noneListed.exitCode(), noneListed.err());
        assertEquals(List.of(), JsonSchemaCheck.load(REPO, "error").problems(noneListed.err()), noneListed.err());
    }
}
