package dev.ausb.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Vendor, product and class names as lsusb shows them: from udev's hardware database sources
 * ({@code 20-usb-vendor-model.hwdb}, {@code 20-usb-classes.hwdb}) where installed, else from a
 * {@code usb.ids} file. Loaded once, lazily; empty where neither exists.
 */
final class Names implements dev.ausb.UsbDeviceDump.Names {
    private final Map<Integer, String> vendors = new HashMap<>();
    private final Map<Integer, String> products = new HashMap<>(); // key vid << 16 | pid
    private final Map<Integer, String> classes = new HashMap<>();

    private static final List<Path> HWDB_DIRS = List.of(Path.of("/usr/lib/udev/hwdb.d"), Path.of("/lib/udev/hwdb.d"),
            Path.of("/etc/udev/hwdb.d"));
    private static final List<Path> USB_IDS = List.of(Path.of("/usr/share/hwdata/usb.ids"),
            Path.of("/usr/share/misc/usb.ids"), Path.of("/var/lib/usbutils/usb.ids"), Path.of("/usr/share/usb.ids"));

    static Names load() {
        Names n = new Names();
        boolean found = false;
        for (Path dir : HWDB_DIRS) {
            found |= n.readHwdb(dir.resolve("20-usb-vendor-model.hwdb"));
            n.readHwdb(dir.resolve("20-usb-classes.hwdb"));
        }
        if (!found) {
            for (Path p : USB_IDS) {
                if (n.readUsbIds(p)) {
                    break;
                }
            }
        }
        return n;
    }

    @Override
    public Optional<String> vendor(int vid) {
        return Optional.ofNullable(vendors.get(vid));
    }

    @Override
    public Optional<String> product(int vid, int pid) {
        return Optional.ofNullable(products.get(vid << 16 | pid));
    }

    @Override
    public Optional<String> usbClass(int cls) {
        return Optional.ofNullable(classes.get(cls));
    }

    private boolean readHwdb(Path p) {
        if (!Files.isReadable(p)) {
            return false;
        }
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String match = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("usb:")) {
                    match = line.toLowerCase(Locale.ROOT);
                } else if (line.startsWith(" ") && match != null) {
                    String kv = line.strip();
                    int eq = kv.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String key = kv.substring(0, eq);
                    String value = kv.substring(eq + 1);
                    switch (key) {
                        case "ID_VENDOR_FROM_DATABASE" -> {
                            if (match.matches("usb:v[0-9a-f]{4}\\*")) {
                                vendors.put(Integer.parseInt(match.substring(5, 9), 16), value);
                            }
                        }
                        case "ID_MODEL_FROM_DATABASE" -> {
                            if (match.matches("usb:v[0-9a-f]{4}p[0-9a-f]{4}\\*")) {
                                products.put(Integer.parseInt(match.substring(5, 9), 16) << 16
                                        | Integer.parseInt(match.substring(10, 14), 16), value);
                            }
                        }
                        case "ID_USB_CLASS_FROM_DATABASE" -> {
                            if (match.matches("usb:v\\*p\\*d\\*dc[0-9a-f]{2}\\*")) {
                                classes.put(Integer.parseInt(match.substring(12, 14), 16), value);
                            }
                        }
                        default -> { }
                    }
                } else if (line.isBlank()) {
                    match = null;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private boolean readUsbIds(Path p) {
        if (!Files.isReadable(p)) {
            return false;
        }
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.ISO_8859_1)) {
            int vendor = -1;
            boolean inClasses = false;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.matches("[0-9a-f]{4}  .*")) {
                    vendor = Integer.parseInt(line.substring(0, 4), 16);
                    vendors.put(vendor, line.substring(6));
                    inClasses = false;
                } else if (line.matches("\t[0-9a-f]{4}  .*") && vendor >= 0 && !inClasses) {
                    products.put(vendor << 16 | Integer.parseInt(line.substring(1, 5), 16), line.substring(7));
                } else if (line.matches("C [0-9a-f]{2}  .*")) {
                    classes.put(Integer.parseInt(line.substring(2, 4), 16), line.substring(6));
                    inClasses = true;
                    vendor = -1;
                } else if (!line.startsWith("\t")) {
                    vendor = -1;
                    inClasses = false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
