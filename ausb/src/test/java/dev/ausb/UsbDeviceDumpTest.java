package dev.ausb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link UsbDeviceDump}: the lsusb -v text, the JSON, and the escaping of what a device supplies. */
class UsbDeviceDumpTest {
    /** A CDC ACM function behind an interface association, with class-specific descriptors. */
    private static final byte[] CDC_ACM = HexFormat.of().parseHex(("""
            09 02 4b 00 02 01 04 80 32
            08 0b 00 02 02 02 01 05
            09 04 00 00 01 02 02 01 00
            05 24 00 10 01
            07 05 82 03 08 00 10
            09 04 01 00 02 0a 00 00 00
            07 05 01 02 40 00 00
            07 05 81 02 40 00 00""").replaceAll("\\s", "").replace("4b00", "3d00"));

    private static final byte[] DEVICE = HexFormat.of().parseHex("120100020200004034126745000101020301");

    /** A device on bus 3, port path 1.2, with the descriptors above and no I/O. */
    static UsbDevice device(byte[] deviceDescriptor, byte[] config, UsbSpeed speed) {
        UsbDeviceDescriptor dd = UsbDeviceDescriptor.parse(deviceDescriptor);
        List<UsbConfiguration> configs = config == null ? List.of() : List.of(UsbConfiguration.parse(config, speed));
        InvocationHandler h = (proxy, m, args) -> switch (m.getName()) {
            case "descriptor" -> dd;
            case "configurations" -> configs;
            case "bus" -> 3;
            case "address" -> 7;
            case "portPath" -> List.of(1, 2);
            case "parent" -> Optional.empty();
            case "speed" -> speed;
            case "toString" -> "Bus 003 Device 007";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> m.isDefault() ? InvocationHandler.invokeDefault(proxy, m, args)
                    : switchFail(m.getName());
        };
        return (UsbDevice) Proxy.newProxyInstance(UsbDeviceDumpTest.class.getClassLoader(),
                new Class<?>[] {UsbDevice.class}, h);
    }

    private static Object switchFail(String name) {
        throw new UnsupportedOperationException(name + " does I/O: the dump must not call it");
    }

    private static final UsbDeviceDump.Names NAMES = new UsbDeviceDump.Names() {
        @Override
        public Optional<String> vendor(int vendorId) {
            return vendorId == 0x1234 ? Optional.of("Example Corp.") : Optional.empty();
        }

        @Override
        public Optional<String> usbClass(int classCode) {
            return classCode == 2 ? Optional.of("Communications") : Optional.empty();
        }
    };

    @Test
    void text_hasLsusbSectionsFieldsAndColumns() {
        UsbDevice d = device(DEVICE, CDC_ACM, UsbSpeed.HIGH);
        String t = UsbDeviceDump.of(d).withNames(NAMES).withStrings(Map.of(1, "Maker", 2, "Modem", 3, "0001", 4, "ACM"))
                .toText();
        List<String> lines = t.lines().toList();
        assertEquals("Bus 003 Device 007: ID 1234:4567 Example Corp. Modem", lines.get(0));
        assertEquals("Negotiated speed: High Speed (480Mbps)", lines.get(1));
        assertEquals("Port path: 3-1.2", lines.get(2));
        assertEquals("Device Descriptor:", lines.get(3));
        assertEquals("  bLength                18", lines.get(4), "the number ends in column 27, as lsusb's");
        assertTrue(lines.contains("  bcdUSB               2.00"), t);
        assertTrue(lines.contains("  bDeviceClass            2 Communications"), t);
        assertTrue(lines.contains("  bMaxPacketSize0        64"), t);
        assertTrue(lines.contains("  idVendor           0x1234 Example Corp."), t);
        assertTrue(lines.contains("  idProduct          0x4567"), t);
        assertTrue(lines.contains("  bcdDevice            1.00"), t);
        assertTrue(lines.contains("  iManufacturer           1 Maker"), t);
        assertTrue(lines.contains("  iSerial                 3 0001"), t);
        assertTrue(lines.contains("  Configuration Descriptor:"), t);
        assertTrue(lines.contains("    wTotalLength       0x003d"), t);
        assertTrue(lines.contains("    iConfiguration          4 ACM"), t);
        assertTrue(lines.contains("    bmAttributes         0x80"), t);
        assertTrue(lines.contains("      (Bus Powered)"), t);
        assertTrue(lines.contains("    MaxPower              100mA"), t);
        assertTrue(lines.contains("    Interface Association:"), t);
        assertTrue(lines.contains("      bFunctionClass          2 Communications"), t);
        assertTrue(lines.contains("      iFunction               5"), t);
        assertTrue(lines.contains("        Descriptor 0x24, 5 bytes: 05 24 00 10 01"), t);
        assertTrue(lines.contains("        bEndpointAddress     0x82  EP 2 IN"), t);
        assertTrue(lines.contains("          Transfer Type            Interrupt"), t);
        assertTrue(lines.contains("        wMaxPacketSize     0x0008  1x 8 bytes"), t);
        assertTrue(lines.contains("        bInterval              16"), t);
        assertEquals(3, lines.stream().filter(l -> l.equals("      Endpoint Descriptor:")).count(), t);
        assertEquals(2, lines.stream().filter(l -> l.equals("    Interface Descriptor:")).count(), t);
        assertTrue(t.endsWith("\n"));
    }

    @Test
    void withoutNames_theDevicesOwnStringsNameIt_andAbsentStringsAreBlank() {
        UsbDevice d = device(DEVICE, CDC_ACM, UsbSpeed.FULL);
        assertEquals("Bus 003 Device 007: ID 1234:4567  ", UsbDeviceDump.of(d).toText().lines().findFirst().orElseThrow());
        UsbDeviceDump dump = UsbDeviceDump.of(d).withStrings(Map.of(1, "Maker", 2, "Modem"));
        assertEquals(List.of("Maker", "Modem"), dump.vendorAndProduct());
        assertTrue(dump.toText().contains("\n  iSerial                 3\n"), dump.toText());
        assertEquals(Set.of(1, 2, 3, 4, 5), UsbDeviceDump.stringIndexes(d));
        assertTrue(dump.withNote("strings not read: access denied").toText()
                .contains("\n(strings not read: access denied)\n"));
    }

    @Test
    void deviceStrings_cannotReachTheTerminal_asEscapes() {
        String evil = "A\u001b[31mB\u009b2J\u0007\u007f\u202eZ\\x1b";
        UsbDevice d = device(DEVICE, CDC_ACM, UsbSpeed.HIGH);
        UsbDeviceDump dump = UsbDeviceDump.of(d).withStrings(Map.of(2, evil, 4, "ok\n"));
        String t = dump.toText();
        assertTrue(t.contains("  iProduct                2 A\\x1b[31mB\\u009b2J\\x07\\x7f\\u202eZ\\\\x1b\n"), t);
        assertTrue(t.contains("    iConfiguration          4 ok\\x0a\n"), t);
        assertNoControls(t);
        String j = dump.toJson();
        assertTrue(j.contains("\"product\": \"A\\u001b[31mB\\u009b2J\\u0007\\u007f\\u202eZ\\\\x1b\""), j);
        assertTrue(j.contains("\"configuration\": \"ok\\n\""), j);
        assertNoControls(j);
    }

    private static void assertNoControls(String s) {
        for (char c : s.toCharArray()) {
            assertFalse(c != '\n' && (c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x202e),
                    String.format("U+%04X in the output", (int) c));
        }
    }

    @Test
    void jsonStrings_escapeEveryControlAndNothingElse() {
        assertEquals("\"a\\\"b\\\\c\"", UsbDeviceDump.jsonString("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u001f\"", UsbDeviceDump.jsonString("\n\r\t\b\f\u0000\u001f"));
        assertEquals("\"\\u007f\\u0080\\u009f\u00a0\"", UsbDeviceDump.jsonString("\u007f\u0080\u009f\u00a0"));
        assertEquals("\"\\u2066\\u200f\u00e9\uD83D\uDE00\"", UsbDeviceDump.jsonString("\u2066\u200f\u00e9\uD83D\uDE00"));
        assertEquals("\"\\ud83d.\\ude00\"", UsbDeviceDump.jsonString("\uD83D.\uDE00"), "lone surrogates");
        assertEquals("\"/<>'\"", UsbDeviceDump.jsonString("/<>'"));
    }

    @Test
    void json_writesMapsListsOptionalsAndNumbers_onOneLineOrIndented() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("a", 1);
        m.put("b", List.of(true, "x"));
        m.put("c", Optional.empty());
        m.put("d", Map.of());
        m.put("e", Double.NaN);
        assertEquals("{\"a\":1,\"b\":[true,\"x\"],\"c\":null,\"d\":{},\"e\":null}", UsbDeviceDump.json(m, false));
        assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    true,\n    \"x\"\n  ],\n  \"c\": null,\n  \"d\": {},\n  \"e\": null\n}",
                UsbDeviceDump.json(m, true));
    }

    @Test
    void json_hasTheDescriptorFieldsByTheirUsbNames() {
        UsbDevice d = device(DEVICE, CDC_ACM, UsbSpeed.HIGH);
        String j = UsbDeviceDump.of(d).withNames(NAMES).toJson();
        assertTrue(j.startsWith("{\n  \"bus\": 3,\n  \"address\": 7,\n  \"portPath\": [\n    1,\n    2\n  ],\n"), j);
        assertTrue(j.contains("\"idVendor\": 4660,"), j);
        assertTrue(j.contains("\"vendorName\": \"Example Corp.\","), j);
        assertTrue(j.contains("\"manufacturer\": null,"), j);
        assertTrue(j.contains("\"bEndpointAddress\": 130,"), j);
        assertTrue(j.contains("\"extra\": \"05 24 00 10 01\""), j);
        assertTrue(j.contains("\"bos\": null\n}\n"), j);
    }

    @Test
    void withStringsFrom_refusesAnotherDevicesHandle() {
        UsbDevice d = device(DEVICE, CDC_ACM, UsbSpeed.HIGH);
        UsbDevice other = device(DEVICE, CDC_ACM, UsbSpeed.HIGH);
        UsbDeviceHandle h = (UsbDeviceHandle) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {UsbDeviceHandle.class}, (p, m, a) -> m.getName().equals("device") ? other : null);
        assertThrows(IllegalArgumentException.class, () -> UsbDeviceDump.of(d).withStringsFrom(h));
    }

    @Test
    void withStringsFrom_readsEveryIndexOnce_andKeepsWhatCameBack() {
        UsbDevice d = device(DEVICE, CDC_ACM, UsbSpeed.HIGH);
        List<Integer> asked = new java.util.ArrayList<>();
        UsbDeviceHandle h = (UsbDeviceHandle) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {UsbDeviceHandle.class}, (p, m, a) -> switch (m.getName()) {
                    case "device" -> d;
                    case "readString" -> {
                        int i = (int) a[0];
                        asked.add(i);
                        if (i == 3) {
                            throw new UsbStallException("GET_DESCRIPTOR stalled", -9, "LIBUSB_ERROR_PIPE", 0, null);
                        }
                        yield Optional.of("s" + i);
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        UsbDeviceDump dump = UsbDeviceDump.of(d).withStringsFrom(h);
        assertEquals(List.of(1, 2, 3, 4, 5), asked, "bcdUSB 2.00: no BOS is asked for");
        assertEquals(Optional.of("s5"), dump.string(5));
        assertEquals(Optional.empty(), dump.string(3), "a string the device will not give is left out");
        assertEquals(Optional.empty(), dump.string(0));
    }
}
