package dev.ausb.cli;

import dev.ausb.UsbAccessDeniedException;
import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbException;
import dev.ausb.UsbLibraryMissingException;
import dev.ausb.UsbMatchException;
import dev.ausb.UsbUnavailableException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code ausb} command.
 *
 * <pre>
 * ausb list [--json]                 one line per device, as lsusb prints them
 * ausb info [--json] VID:PID         the whole descriptor tree of one device, with its strings
 * ausb info [--json] -s [BUS]:DEV    the same, chosen by bus and device address
 * ausb tree [--json]                 bus and port topology, as lsusb -t prints it
 * ausb watch [--json] [--existing] [--count N] [VID:PID | -d VID:PID | -s [BUS]:DEV]
 *                                    a line per device that arrives or leaves, as it happens
 * ausb fx2-load [OPTIONS] DEVICE FILE  an Intel HEX file into a Cypress FX2's RAM, then its return
 * ausb fx3-load [OPTIONS] DEVICE FILE  a Cypress FX3 boot image through its boot loader, then its return
 * ausb version                       ausb's and libusb's versions
 * </pre>
 *
 * Exit codes: 0 done, 1 other USB error, 2 usage, 3 no device matched, 4 several matched,
 * 5 access denied, 6 no USB on this machine, 7 libusb missing. Errors are one line on stderr.
 */
public final class Main {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int USAGE = 2;
    static final int NO_MATCH = 3;
    static final int SEVERAL = 4;
    static final int ACCESS = 5;
    static final int NO_USB = 6;
    static final int NO_LIBUSB = 7;

    static final String USAGE_TEXT = """
            usage: ausb list [--json]
                   ausb info [--json] (VID:PID | -s [BUS]:DEV)
                   ausb tree [--json]
                   ausb watch [--json] [--existing] [--count N] [VID:PID | -d VID:PID | -s [BUS]:DEV]
                   ausb fx2-load [--chip fx2lp|fx2|an21] [--no-verify] [--expect VID:PID] [--timeout S] [--no-wait]
                                 (VID:PID | -s [BUS]:DEV) FILE
                   ausb fx3-load [--no-verify] [--expect VID:PID] [--timeout S] [--no-wait] (VID:PID | -s [BUS]:DEV) FILE
                   ausb version
            ausb COMMAND --help tells more of fx2-load and fx3-load.""";

    private Main() {}

    /** Runs the command and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command, printing to {@code out} and {@code err}; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (!rest.isEmpty() && (rest.getFirst().equals("fx2-load") || rest.getFirst().equals("fx3-load"))
                && (rest.contains("-h") || rest.contains("--help"))) {
            out.println(rest.getFirst().equals("fx2-load") ? FirmwareCommand.FX2_HELP : FirmwareCommand.FX3_HELP);
            return OK;
        }
        boolean json = rest.remove("--json");
        if (rest.isEmpty() || rest.contains("-h") || rest.contains("--help") || rest.getFirst().equals("help")) {
            (rest.isEmpty() ? err : out).println(USAGE_TEXT);
            return rest.isEmpty() ? USAGE : OK;
        }
        String command = rest.removeFirst();
        try {
            boolean firmware = command.equals("fx2-load") || command.equals("fx3-load");
            if (firmware && json) {
                throw new Usage(command + " has no --json");
            }
            FirmwareCommand.Args load = firmware ? FirmwareCommand.parse(command, rest) : null;
            boolean existing = command.equals("watch") && rest.remove("--existing");
            long count = command.equals("watch") ? count(rest) : -1;
            UsbDeviceFilter selector = command.equals("info") ? selector(rest)
                    : command.equals("watch") && !rest.isEmpty() ? selector(rest) : UsbDeviceFilter.any();
            if (!command.equals("info") && !command.equals("watch") && !rest.isEmpty()) {
                throw new Usage("unexpected argument " + rest.getFirst());
            }
            switch (command) {
                case "list", "info", "tree", "watch", "version", "fx2-load", "fx3-load" -> { }
                default -> throw new Usage("unknown command " + command);
            }
            FirmwareCommand.Image image = firmware ? FirmwareCommand.read(load, err) : null;
            if (firmware && image == null) {
                return USAGE;
            }
            try (UsbContext usb = UsbContext.create()) {
                Names names = Names.load();
                switch (command) {
                    case "list" -> ListCommand.run(usb, names, json, out);
                    case "info" -> InfoCommand.run(usb.findOne(selector), json, out);
                    case "tree" -> TreeCommand.run(usb, names, json, out);
                    case "watch" -> WatchCommand.run(usb, names, selector, existing, count, json, out);
                    case "fx2-load", "fx3-load" -> {
                        return FirmwareCommand.run(usb, load, image, out, err);
                    }
                    default -> out.println("ausb " + version() + ", libusb " + usb.libusbVersion());
                }
            }
            out.flush();
            return OK;
        } catch (Usage e) {
            err.println("ausb: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        } catch (UsbMatchException e) {
            err.println("ausb: " + matchMessage(e));
            return e.matchCount() == 0 ? NO_MATCH : SEVERAL;
        } catch (UsbAccessDeniedException e) {
            err.println("ausb: " + e.getMessage());
            return ACCESS;
        } catch (UsbUnavailableException e) {
            err.println("ausb: " + e.getMessage());
            return NO_USB;
        } catch (UsbLibraryMissingException e) {
            err.println("ausb: " + e.getMessage());
            return NO_LIBUSB;
        } catch (UsbException e) {
            err.println("ausb: " + e.getMessage());
            return ERROR;
        }
    }

    static String matchMessage(UsbMatchException e) {
        String base = e.getMessage().lines().findFirst().orElse("").replaceAll(", expected one:$", "");
        if (e.matchCount() == 0) {
            return base;
        }
        return base + ": " + e.matches().stream()
                .map(d -> String.format("%d:%d", d.bus(), d.address())).collect(Collectors.joining(", "))
                + "; choose one with -s BUS:DEV";
    }

    /** Takes {@code --count N} out of {@code args}: how many events {@code watch} prints (-1: until stopped). */
    static long count(List<String> args) {
        int i = args.indexOf("--count");
        if (i < 0) {
            return -1;
        }
        if (i + 1 >= args.size()) {
            throw new Usage("--count needs a number");
        }
        String v = args.remove(i + 1);
        args.remove(i);
        try {
            long n = Long.parseLong(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Usage("--count needs a positive number, not " + v);
        }
    }

    /** Parses {@code VID:PID}, {@code -s [BUS]:DEV} or {@code -d VID:PID}. */
    static UsbDeviceFilter selector(List<String> args) {
        UsbDeviceFilter f = UsbDeviceFilter.any();
        boolean any = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-s") || a.equals("-d")) {
                if (i + 1 >= args.size()) {
                    throw new Usage(a + " needs a value");
                }
                String v = args.get(++i);
                f = a.equals("-s") ? busDev(f, v) : vidPid(f, v);
            } else if (a.startsWith("-")) {
                throw new Usage("unknown option " + a);
            } else {
                f = vidPid(f, a);
            }
            any = true;
        }
        if (!any) {
            throw new Usage("info needs a device: VID:PID or -s [BUS]:DEV");
        }
        return f;
    }

    private static UsbDeviceFilter vidPid(UsbDeviceFilter f, String v) {
        String[] p = v.split(":", -1);
        try {
            if (p.length != 2 || p[0].isEmpty()) {
                throw new NumberFormatException();
            }
            f = f.vendorId(Integer.parseInt(p[0], 16));
            return p[1].isEmpty() ? f : f.productId(Integer.parseInt(p[1], 16));
        } catch (IllegalArgumentException e) {
            throw new Usage("not a VID:PID in hex: " + v);
        }
    }

    private static UsbDeviceFilter busDev(UsbDeviceFilter f, String v) {
        String[] p = v.split(":", -1);
        try {
            if (p.length == 1) {
                return f.address(Integer.parseInt(p[0]));
            }
            if (p.length != 2) {
                throw new NumberFormatException();
            }
            if (!p[0].isEmpty()) {
                f = f.bus(Integer.parseInt(p[0]));
            }
            return p[1].isEmpty() ? f : f.address(Integer.parseInt(p[1]));
        } catch (IllegalArgumentException e) {
            throw new Usage("not [BUS]:DEV in decimal: " + v);
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    /** A command-line mistake: exit code 2 with the usage text. */
    static final class Usage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    /** Formats a device's names like lsusb: database names first, the device's own strings second. */
    static String[] vendorProduct(UsbDevice d, Names names) {
        String vendor = names.vendor(d.vendorId()).orElse(null);
        String product = names.product(d.vendorId(), d.productId()).orElse(null);
        if (vendor == null || product == null) {
            try {
                var s = d.readStrings();
                if (vendor == null) {
                    vendor = s.manufacturer().orElse("");
                }
                if (product == null) {
                    product = s.product().orElse("");
                }
            } catch (UsbException unreadable) {
                // as lsusb: a name the device will not give is left blank
                vendor = vendor == null ? "" : vendor;
                product = product == null ? "" : product;
            }
        }
        return new String[] {vendor, product};
    }
}
