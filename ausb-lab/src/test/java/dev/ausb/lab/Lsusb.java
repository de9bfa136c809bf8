package dev.ausb.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code lsusb -v} prints into sections of fields, so tests compare ausb's view of a
 * device with the kernel's and usbutils', field by field.
 */
final class Lsusb {
    private Lsusb() {}

    /** One standard descriptor as lsusb prints it: its kind and its fields in order. */
    record Section(String kind, Map<String, String> fields) {
        int number(String field) {
            return parseNumber(fields.get(field));
        }
    }

    /** The descriptor kinds compared; class-specific and other sections are skipped. */
    static final List<String> KINDS = List.of("Device Descriptor", "Configuration Descriptor",
            "Interface Association", "Interface Descriptor", "Endpoint Descriptor");

    private static final Pattern HEADER = Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9 ./()-]*):\\s*$");
    private static final Pattern FIELD = Pattern.compile("^(\\s+)([a-zA-Z]\\w*)\\s+(.*?)\\s*$");

    static List<Section> parseVerbose(String text) {
        List<Section> sections = new ArrayList<>();
        Section current = null;
        int indent = -1;
        for (String line : text.split("\n")) {
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                String kind = h.group(2);
                if (KINDS.contains(kind)) {
                    current = new Section(kind, new LinkedHashMap<>());
                    sections.add(current);
                    indent = -1;
                } else {
                    current = null; // class-specific, qualifier, BOS, status, hub: not compared here
                }
                continue;
            }
            Matcher f = FIELD.matcher(line);
            if (current != null && f.matches()) {
                int in = f.group(1).length();
                if (indent < 0) {
                    indent = in;
                }
                if (in == indent) {
                    current.fields().putIfAbsent(f.group(2), f.group(3));
                }
            }
        }
        return sections;
    }

    /** Numbers as lsusb prints them: decimal, 0x-hex, BCD "2.00", milliamps "100mA"; an index before a string. */
    static int parseNumber(String value) {
        if (value == null) {
            throw new IllegalArgumentException("no such field");
        }
        String v = value.strip().split("\\s+")[0];
        if (v.endsWith("mA")) {
            return Integer.parseInt(v.substring(0, v.length() - 2));
        }
        if (v.startsWith("0x")) {
            return Integer.parseInt(v.substring(2), 16);
        }
        if (v.matches("\\d+\\.\\d\\d")) {
            String[] p = v.split("\\.");
            return Integer.parseInt(p[0], 16) << 8 | Integer.parseInt(p[1], 16);
        }
        return Integer.parseInt(v);
    }

    /** The string after an index field's number ("1 Lab" gives "Lab"), or null when there is none. */
    static String stringOf(String value) {
        String v = value.strip();
        int sp = v.indexOf(' ');
        return sp < 0 ? null : v.substring(sp + 1).strip();
    }
}
