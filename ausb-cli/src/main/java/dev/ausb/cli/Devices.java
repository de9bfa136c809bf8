package dev.ausb.cli;

import dev.ausb.UsbDeviceFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Devices on the command line, parsed by {@link UsbDeviceFilter#parse} and
 * {@link UsbDeviceFilter#parseBusAddress}: {@code VID:PID}, {@code -d VID:PID}, {@code -s [BUS]:DEV}
 * and {@code -p PATH}.
 */
final class Devices {
    static final String FORMS = "VID:PID, -s [BUS]:DEV or -p PATH";

    private Devices() {}

    /** Takes a device from the front of {@code args}: one of the forms, with its value. */
    static UsbDeviceFilter take(List<String> args, String command) {
        if (args.isEmpty()) {
            throw new Main.Usage(command + " needs a device: " + FORMS);
        }
        List<String> sel = new ArrayList<>();
        String first = args.removeFirst();
        sel.add(first);
        if (first.equals("-s") || first.equals("-d") || first.equals("-p")) {
            if (args.isEmpty()) {
                throw new Main.Usage(first + " needs a value");
            }
            sel.add(args.removeFirst());
        }
        return selector(sel, command);
    }

    /** All of {@code args} as one device: each form given narrows it further. */
    static UsbDeviceFilter selector(List<String> args, String command) {
        UsbDeviceFilter f = UsbDeviceFilter.any();
        boolean any = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            UsbDeviceFilter one;
            if (a.equals("-s") || a.equals("-d") || a.equals("-p")) {
                if (i + 1 >= args.size()) {
                    throw new Main.Usage(a + " needs a value");
                }
                one = option(a, args.get(++i));
            } else if (a.startsWith("-")) {
                throw new Main.Usage("unknown option " + a);
            } else {
                one = option("-d", a);
            }
            f = any ? f.matching(one.toString(), one) : one;
            any = true;
        }
        if (!any) {
            throw new Main.Usage(command + " needs a device: " + FORMS);
        }
        return f;
    }

    /** The value of {@code -s}, {@code -d} or {@code -p}. */
    static UsbDeviceFilter option(String option, String value) {
        try {
            return switch (option) {
                case "-s" -> UsbDeviceFilter.parseBusAddress(value);
                case "-d" -> {
                    if (!value.contains(":")) {
                        throw new Main.Usage("not a VID:PID in hex (1a0a:badd, 1a0a: or :badd): " + value
                                + (value.contains("-") || value.startsWith("usb") ? " (a port path goes after -p)" : ""));
                    }
                    yield UsbDeviceFilter.parse(value);
                }
                default -> {
                    if (value.contains(":")) {
                        throw new Main.Usage("not a port path such as 3-1.2 or usb3: " + value);
                    }
                    yield UsbDeviceFilter.parse(value);
                }
            };
        } catch (IllegalArgumentException e) {
            throw new Main.Usage(e.getMessage());
        }
    }

    /** {@code VID:PID}, {@code VID:} or {@code VID} for udev-rule and doctor; PID -1 if not given. */
    static int[] ids(List<String> rest, String command) {
        if (rest.size() != 1 || rest.getFirst().startsWith("-")) {
            throw new Main.Usage(command + " needs one VID:PID (or VID) in hex"
                    + (rest.size() > 1 ? ", not " + String.join(" ", rest) : ""));
        }
        String v = rest.removeFirst();
        String text = v.contains(":") ? v : v + ":";
        if (text.startsWith(":")) {
            throw new Main.Usage(command + " needs the vendor id: " + v);
        }
        try {
            UsbDeviceFilter.parse(text); // strict: 1 to 4 hex digits each, no sign (engine-review-2 N5)
        } catch (IllegalArgumentException e) {
            throw new Main.Usage(e.getMessage());
        }
        String[] p = text.split(":", -1);
        return new int[] {hex(p[0]), p[1].isEmpty() ? -1 : hex(p[1])};
    }

    /** An id {@link UsbDeviceFilter#parse} accepted: hex digits, an optional 0x before them. */
    private static int hex(String id) {
        return Integer.parseInt(id.startsWith("0x") || id.startsWith("0X") ? id.substring(2) : id, 16);
    }
}
