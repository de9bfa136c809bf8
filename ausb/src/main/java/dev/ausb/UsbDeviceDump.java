package dev.ausb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A device's whole descriptor tree, with the strings read for it, as text in the form of
 * {@code lsusb -v} or as JSON: the thing to log when a device in the field misbehaves.
 * {@snippet :
 * try (UsbDeviceHandle h = device.open()) {
 *     System.out.print(UsbDeviceDump.of(device).withStringsFrom(h).toText());
 * }
 * }
 *
 * <p>An immutable value: {@link #of(UsbDevice)} takes the cached descriptors (no I/O), and each
 * {@code with} method returns a new dump with more in it. Only {@link #withStringsFrom} does I/O.
 * Names for vendor, product and class codes come from a {@link Names} the caller passes (ausb has
 * no database of its own; the {@code ausb} command passes the system's hwdb or usb.ids); without
 * one, the device's own manufacturer and product strings stand in the first line, as lsusb does.
 *
 * <p>The text has lsusb's sections and field names ({@code Device Descriptor:}, {@code bcdUSB},
 * {@code idVendor 0x1a0a ...}), so tools and eyes used to lsusb read it; class-specific and vendor
 * descriptors are not decoded but shown in hex, and it has no device qualifier or status (those
 * need requests). Whatever the device supplied (its strings) is passed through
 * {@link #printable(String)} first, so it cannot send escape sequences to a terminal. The JSON is
 * one object with the descriptor field names of the USB specification; its schema is
 * {@code docs/schema/info.schema.json} in ausb's sources.
 */
public final class UsbDeviceDump {
    /**
     * Names for the numbers in descriptors, such as those of udev's hwdb or {@code usb.ids}.
     * Every method is optional: the defaults know no name.
     */
    public interface Names {
        /**
         * The vendor's name.
         *
         * @param vendorId the vendor id
         * @return the name, or empty if unknown
         */
        default Optional<String> vendor(int vendorId) {
            return Optional.empty();
        }

        /**
         * The product's name.
         *
         * @param vendorId  the vendor id
         * @param productId the product id
         * @return the name, or empty if unknown
         */
        default Optional<String> product(int vendorId, int productId) {
            return Optional.empty();
        }

        /**
         * A class code's name, such as {@code Hub} for 9.
         *
         * @param classCode the device or interface class
         * @return the name, or empty if unknown
         */
        default Optional<String> usbClass(int classCode) {
            return Optional.empty();
        }
    }

    private static final Names NO_NAMES = new Names() {};

    private final UsbDevice device;
    private final Map<Integer, String> strings;
    private final Optional<UsbBos> bos;
    private final Names names;
    private final List<String> notes;

    private UsbDeviceDump(UsbDevice device, Map<Integer, String> strings, Optional<UsbBos> bos, Names names,
            List<String> notes) {
        this.device = device;
        this.strings = Map.copyOf(strings);
        this.bos = bos;
        this.names = names;
        this.notes = List.copyOf(notes);
    }

    /**
     * A dump of the device's cached descriptors, without strings, BOS or names. No I/O.
     *
     * @param device the device
     * @return the dump
     * @throws NullPointerException if {@code device} is null
     */
    public static UsbDeviceDump of(UsbDevice device) {
        Objects.requireNonNull(device, "device");
        return new UsbDeviceDump(device, Map.of(), Optional.empty(), NO_NAMES, List.of());
    }

    /**
     * This dump with names from {@code names} for the ids and class codes.
     *
     * @param names the names to use
     * @return a new dump
     * @throws NullPointerException if {@code names} is null
     */
    public UsbDeviceDump withNames(Names names) {
        return new UsbDeviceDump(device, strings, bos, Objects.requireNonNull(names, "names"), notes);
    }

    /**
     * This dump with these strings, by string descriptor index (index 0 is never a string).
     *
     * @param strings strings by index; indexes the descriptors do not name are kept but not shown
     * @return a new dump
     * @throws NullPointerException if {@code strings} or one of its keys or values is null
     */
    public UsbDeviceDump withStrings(Map<Integer, String> strings) {
        Map<Integer, String> all = new HashMap<>(this.strings);
        all.putAll(Map.copyOf(strings));
        return new UsbDeviceDump(device, all, bos, names, notes);
    }

    /**
     * This dump with the device's BOS descriptor.
     *
     * @param bos the BOS, as {@link UsbDeviceHandle#readBos()} returns it
     * @return a new dump
     * @throws NullPointerException if {@code bos} is null
     */
    public UsbDeviceDump withBos(UsbBos bos) {
        return new UsbDeviceDump(device, strings, Optional.of(Objects.requireNonNull(bos, "bos")), names, notes);
    }

    /**
     * This dump with a note shown under the first line of the text (as {@code (note)}) and in the
     * JSON's {@code notes}: why the strings are missing, say.
     *
     * @param note one line
     * @return a new dump
     * @throws NullPointerException if {@code note} is null
     */
    public UsbDeviceDump withNote(String note) {
        List<String> more = new ArrayList<>(notes);
        more.add(Objects.requireNonNull(note, "note"));
        return new UsbDeviceDump(device, strings, bos, names, more);
    }

    /**
     * This dump with every string the descriptors name, and the BOS of a device of USB 2.01 or
     * later, read through {@code handle}. Does I/O. A string the device will not give is left out
     * (as lsusb leaves it blank); a BOS it will not give becomes a note.
     *
     * @param handle an open handle to this dump's device
     * @return a new dump
     * @throws IllegalArgumentException if {@code handle} is for another device
     * @throws UsbDeviceGoneException   if the device was unplugged
     */
    public UsbDeviceDump withStringsFrom(UsbDeviceHandle handle) {
        if (!handle.device().equals(device)) {
            throw new IllegalArgumentException("the handle is for " + handle.device() + ", the dump for " + device);
        }
        Map<Integer, String> read = new HashMap<>();
        for (int i : stringIndexes(device)) {
            try {
                handle.readString(i).ifPresent(v -> read.put(i, v));
            } catch (UsbDeviceGoneException gone) {
                throw gone;
            } catch (UsbException unreadable) {
                // left out, as lsusb leaves it blank
            }
        }
        UsbDeviceDump d = withStrings(read);
        if (device.descriptor().usbVersion().bcd() >= 0x0201) {
            try {
                Optional<UsbBos> b = handle.readBos();
                if (b.isPresent()) {
                    d = d.withBos(b.get());
                }
            } catch (UsbDeviceGoneException gone) {
                throw gone;
            } catch (UsbException e) {
                d = d.withNote("BOS not read: " + e.getMessage());
            }
        }
        return d;
    }

    /**
     * The string descriptor indexes the device's descriptors name (device, configurations,
     * interface associations, alternate settings), in that order, without 0 and repeats. No I/O.
     *
     * @param device the device
     * @return the indexes
     */
    public static Set<Integer> stringIndexes(UsbDevice device) {
        Set<Integer> s = new LinkedHashSet<>();
        UsbDeviceDescriptor dd = device.descriptor();
        s.addAll(List.of(dd.manufacturerIndex(), dd.productIndex(), dd.serialNumberIndex()));
        for (UsbConfiguration c : device.configurations()) {
            s.add(c.nameIndex());
            c.associations().forEach(a -> s.add(a.nameIndex()));
            c.interfaces().forEach(i -> i.alternateSettings().forEach(a -> s.add(a.nameIndex())));
        }
        s.remove(0);
        return s;
    }

    /**
     * The device.
     *
     * @return the device this dump shows
     */
    public UsbDevice device() {
        return device;
    }

    /**
     * A string of the dump by index.
     *
     * @param index a string descriptor index
     * @return the string as the device gave it (not escaped), or empty for index 0 or one not read
     */
    public Optional<String> string(int index) {
        return index == 0 ? Optional.empty() : Optional.ofNullable(strings.get(index));
    }

    /**
     * The vendor and product as {@code lsusb} names them in its one line per device: the names
     * given by {@link #withNames}, else the device's own strings, else empty strings.
     *
     * @return two strings, vendor then product, not escaped
     */
    public List<String> vendorAndProduct() {
        UsbDeviceDescriptor dd = device.descriptor();
        String v = names.vendor(dd.vendorId()).or(() -> string(dd.manufacturerIndex())).orElse("");
        String p = names.product(dd.vendorId(), dd.productId()).or(() -> string(dd.productIndex())).orElse("");
        return List.of(v, p);
    }

    /**
     * The dump as text in the form of {@code lsusb -v}, lines ending in {@code \n}.
     *
     * @return the text
     */
    public String toText() {
        return UsbDeviceDumpText.text(this, names, bos, notes);
    }

    /**
     * The dump as one JSON object (indented by two spaces, ending in {@code \n}); its schema is
     * {@code docs/schema/info.schema.json} in ausb's sources.
     *
     * @return the JSON text
     */
    public String toJson() {
        return UsbDeviceDumpJson.write(UsbDeviceDumpJson.tree(this, bos, notes), true);
    }

    /**
     * {@code s} with every character a terminal could act on replaced by an escape: C0 controls and
     * DEL as {@code \xNN} ({@code \t} too, but not a space), C1 controls (U+0080 to U+009F, 8-bit
     * CSI among them) as <code>&#92;u0080</code>, bidirectional-text controls and lone surrogates as
     * <code>&#92;u202e</code>, and a backslash as {@code \\} so the escapes cannot be forged. Used for what
     * a device supplies before it is printed.
     *
     * @param s any string
     * @return the string, safe to print
     */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else if (c == '\\') {
                b.append("\\\\");
            } else if (c >= 0x80 && c <= 0x9f || isBidiControl(c) || isLoneSurrogate(s, i)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isBidiControl(char c) {
        return c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x200e || c == 0x200f
                || c == 0x061c;
    }

    private static boolean isLoneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }

    /**
     * {@code s} as a JSON string, quotes included: {@code "} and {@code \} escaped, every control
     * character (C0, DEL and C1, U+0080 to U+009F) as <code>&#92;u00XX</code> (or {@code \n}, {@code \t} and
     * the like), bidirectional-text controls and lone surrogates as <code>&#92;uXXXX</code>, so JSON printed
     * to a terminal is as safe as {@link #printable(String)} text. Other characters are kept as they
     * are (the JSON is UTF-8).
     *
     * @param s any string
     * @return the JSON string literal
     */
    public static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c >= 0x7f && c <= 0x9f || isBidiControl(c) || isLoneSurrogate(s, i)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * Writes a value as JSON: maps (with string keys, in their iteration order), lists, strings,
     * numbers, booleans, {@link Optional}s (empty as {@code null}) and {@code null}; any other object
     * as the JSON string of its {@code toString()}. For callers who print their own JSON beside the
     * dump's, with the same escaping.
     *
     * @param value    the value
     * @param indented true for one member per line, indented by two spaces; false for one line
     * @return the JSON text, without a final newline
     */
    public static String json(Object value, boolean indented) {
        String s = UsbDeviceDumpJson.write(value, indented);
        return s.substring(0, s.length() - 1);
    }

    static String speedText(UsbSpeed speed) {
        return switch (speed) {
            case LOW -> "Low Speed (1Mbps)";
            case FULL -> "Full Speed (12Mbps)";
            case HIGH -> "High Speed (480Mbps)";
            case SUPER -> "SuperSpeed (5Gbps)";
            case SUPER_PLUS -> "SuperSpeed+ (10Gbps)";
            case SUPER_PLUS_X2 -> "SuperSpeed+ Gen 2x2 (20Gbps)";
            case UNKNOWN -> "Unknown";
        };
    }

    static String portPathText(UsbDevice d) {
        return d.portPath().isEmpty() ? "usb" + d.bus()
                : d.bus() + "-" + d.portPath().stream().map(String::valueOf).collect(Collectors.joining("."));
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
