package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code ausb} command against usbutils on the same devices: QEMU's emulated hub, keyboard,
 * tablet, storage and audio device, and two gadgets (high-speed SourceSink, SuperSpeed
 * SourceSink + CDC ACM). {@code ausb list} and {@code ausb tree} must print what {@code lsusb} and
 * {@code lsusb -t} print, also as {@code list -d}, {@code -s} and {@code -t}; {@code ausb info}, as
 * text and as JSON, must agree with {@code lsusb -v} on every field of every standard descriptor of
 * every device.
 */
@Timeout(300)
class CliAgreesWithLsusbIT {
    private static final List<Gadget> GADGETS = new ArrayList<>();

    @BeforeAll
    static void plugGadgets() {
        Lab.requireGuest();
        GADGETS.add(Gadget.builder().function("SourceSink", Map.of()).maxSpeed("high-speed").udc(0).bind());
        GADGETS.add(Gadget.builder().productId(0xacac).strings("Lab", "Composite")
                .function("SourceSink", Map.of()).function("acm", Map.of()).udc(1).bind());
        try (UsbContext usb = UsbContext.create()) {
            GADGETS.forEach(g -> g.await(usb));
        }
        Lab.check("udevadm", "settle", "-t", "10");
    }

    @AfterAll
    static void unplugGadgets() {
        GADGETS.forEach(Gadget::close);
    }

    @Test
    void list_printsWhatLsusbPrints() {
        String lsusb = Lab.check("lsusb");
        LabResult ausb = Lab.ausb("list");
        assertEquals(0, ausb.exitCode(), ausb.err());
        assertEquals(lsusb, ausb.out());
        assertTrue(lsusb.lines().count() >= 13, "the lab has at least 13 devices:\n" + lsusb);
    }

    @Test
    void tree_printsWhatLsusbTreePrints() {
        String lsusb = Lab.check("lsusb", "-t");
        LabResult ausb = Lab.ausb("tree");
        assertEquals(0, ausb.exitCode(), ausb.err());
        assertEquals(lsusb, ausb.out());
        assertTrue(lsusb.contains("Class=Hub, Driver=hub/8p"), lsusb);
    }

    @Test
    void info_agreesWithLsusbVerbose_onEveryDeviceAndField() {
        LabResult list = Lab.ausb("list", "--json");
        assertEquals(0, list.exitCode(), list.err());
        int devices = 0;
        int fields = 0;
        for (Object o : MiniJson.array(MiniJson.parse(list.out()))) {
            Map<String, Object> row = MiniJson.object(o);
            String sel = row.get("bus") + ":" + row.get("address");
            LabResult info = dev.ausb.cli.InProcess.ausb("info", "--json", "-s", sel);
            assertEquals(0, info.exitCode(), sel + ": " + info.err());
            List<Lsusb.Section> ours = Flatten.sections(MiniJson.object(MiniJson.parse(info.out())));
            List<Lsusb.Section> theirs = Lsusb.parseVerbose(Lab.check("lsusb", "-v", "-s", sel));
            fields += compare(sel, theirs, ours);
            devices++;
        }
        assertTrue(devices >= 13, "compared " + devices + " devices");
        assertTrue(fields > 300, "compared " + fields + " fields");
    }

    /** Compares every field lsusb printed with ausb's; returns how many were compared. */
    private static int compare(String sel, List<Lsusb.Section> lsusb, List<Lsusb.Section> ausb) {
        int n = 0;
        for (String kind : Lsusb.KINDS) {
            List<Lsusb.Section> a = lsusb.stream().filter(s -> s.kind().equals(kind)).toList();
            List<Lsusb.Section> b = ausb.stream().filter(s -> s.kind().equals(kind)).toList();
            assertEquals(a.size(), b.size(), sel + ": number of " + kind + "s");
            for (int i = 0; i < a.size(); i++) {
                for (var f : b.get(i).fields().entrySet()) {
                    String theirs = a.get(i).fields().get(f.getKey());
                    if (theirs == null) {
                        continue; // a field lsusb does not print (e.g. a companion on a non-SS endpoint)
                    }
                    String where = sel + " " + kind + " #" + i + " " + f.getKey();
                    assertEquals(Lsusb.parseNumber(theirs), Lsusb.parseNumber(f.getValue()), where);
                    if (f.getKey().startsWith("i") && !f.getKey().equals("idVendor") && !f.getKey().equals("idProduct")) {
                        String text = Lsusb.stringOf(theirs);
                        if (text != null) {
                            assertEquals(text, Lsusb.stringOf(f.getValue()), where + " string");
                        }
                    }
                    n++;
                }
            }
        }
        assertFalse(lsusb.isEmpty(), sel + ": lsusb printed no descriptor");
        return n;
    }

    @Test
    void info_text_showsTheTreeWithStrings() {
        Gadget hs = GADGETS.getFirst();
        LabResult r = Lab.ausb("info", String.format("%04x:%04x", hs.vendorId, hs.productId));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\n  iManufacturer           1 Lab\n"), r.out());
        assertTrue(r.out().contains(" " + hs.serial + "\n"), r.out());
        assertTrue(r.out().contains("\n        bEndpointAddress     0x81  EP 1 IN\n"), r.out());
        assertTrue(r.out().contains("\n        wMaxPacketSize     0x0200  1x 512 bytes\n"), r.out());
        assertTrue(r.out().contains(" ausb lab\n"), r.out());
    }

    /** {@code ausb info} text (UsbDeviceDump) is lsusb -v's form: lsusb's parser reads the same fields from both. */
    @Test
    void info_text_readsAsLsusbVerbose_onEveryDeviceAndField() {
        LabResult list = Lab.ausb("list", "--json");
        assertEquals(0, list.exitCode(), list.err());
        int devices = 0;
        int fields = 0;
        for (Object o : MiniJson.array(MiniJson.parse(list.out()))) {
            Map<String, Object> row = MiniJson.object(o);
            String sel = row.get("bus") + ":" + row.get("address");
            LabResult info = dev.ausb.cli.InProcess.ausb("info", "-s", sel);
            assertEquals(0, info.exitCode(), sel + ": " + info.err());
            List<Lsusb.Section> ours = Lsusb.parseVerbose(info.out());
            List<Lsusb.Section> theirs = Lsusb.parseVerbose(Lab.check("lsusb", "-v", "-s", sel));
            fields += compare(sel, theirs, ours);
            devices++;
        }
        assertTrue(devices >= 13, "compared " + devices + " devices");
        assertTrue(fields > 500, "compared " + fields + " fields");
    }

    @Test
    void list_takesLsusbsFilters() {
        Gadget hs = GADGETS.getFirst();
        String id = String.format("%04x:%04x", hs.vendorId, hs.productId);
        assertEquals(Lab.check("lsusb", "-d", id), Lab.ausb("list", "-d", id).out());
        assertEquals(Lab.check("lsusb", "-d", "1d6b:"), Lab.ausb("list", "-d", "1d6b:").out());
        assertEquals(Lab.check("lsusb", "-s", "1:"), Lab.ausb("list", "-s", "1:").out());
        assertEquals(Lab.check("lsusb", "-t"), Lab.ausb("list", "-t").out());
        LabResult v = Lab.ausb("list", "-v", "-d", id);
        assertEquals(0, v.exitCode(), v.err());
        assertEquals(1, Lsusb.parseVerbose(v.out()).stream().filter(s -> s.kind().equals("Device Descriptor")).count(),
                v.out());
        LabResult none = Lab.ausb("list", "-d", "dead:beef");
        assertEquals(3, none.exitCode(), none.err());
        assertEquals("", none.out());
    }

    @Test
    void errors_haveDistinctExitCodesAndOneLine() {
        LabResult none = Lab.ausb("info", "dead:beef");
        assertEquals(3, none.exitCode());
        assertEquals("ausb: no USB device matches vendorId=0xdead, productId=0xbeef\n", none.err());
        LabResult several = Lab.ausb("info", "0627:0001"); // QEMU's keyboard and tablet share their ids
        assertEquals(4, several.exitCode());
        assertEquals(1, several.err().lines().count(), several.err());
        assertTrue(several.err().contains("2 USB devices match vendorId=0x0627, productId=0x0001"), several.err());
        LabResult missing = Lab.run(List.of("env", "AUSB_LIBUSB=/no/libusb.so", "bin/ausb", "list"));
        assertEquals(7, missing.exitCode(), missing.err());
        assertEquals(1, missing.err().lines().count(), missing.err());
    }
}
