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
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The {@code ausb} command.
 *
 * <pre>
 * ausb list [--json]                 one line per device, as lsusb prints them
 * ausb info [--json] DEVICE          the whole descriptor tree of one device, with its strings
 * ausb tree [--json]                 bus and port topology, as lsusb -t prints it
 * ausb watch [--json] [--existing] [--count N] [DEVICE]
 *                                    a line per device that arrives or leaves, as it happens
 * ausb hub [--json] [HUB] [--power on|off|cycle PORT | --reset PORT]
 *                                    port status of hubs; port power and reset
 * ausb control DEVICE BMREQUESTTYPE BREQUEST WVALUE WINDEX [LENGTH | DATA]
 *                                    one control request, the reply in hex
 * ausb read DEVICE ENDPOINT LENGTH   a bulk or interrupt read, with throughput
 * ausb write DEVICE ENDPOINT (HEX | --file FILE | --zeros N)
 * ausb reset DEVICE                  a port reset and re-enumeration
 * ausb fx2-load [OPTIONS] DEVICE FILE  an Intel HEX file into a Cypress FX2's RAM, then its return
 * ausb fx3-load [OPTIONS] DEVICE FILE  a Cypress FX3 boot image through its boot loader, then its return
 * ausb udev-rule VID[:PID]           a udev rule that grants users access
 * ausb doctor VID[:PID]              why a device cannot be opened or claimed, and the fix
 * ausb completion bash               a bash completion script
 * ausb version                       ausb's and libusb's versions
 * </pre>
 *
 * DEVICE is {@code VID:PID}, {@code -s [BUS]:DEV} or {@code -p PATH} (Linux's name: {@code 3-1.2},
 * {@code usb3}); {@code ausb COMMAND --help} explains each command. Exit codes: 0 done, 1 other USB
 * error, 2 usage, 3 no device matched, 4 several matched, 5 access denied, 6 no USB on this machine,
 * 7 libusb missing. Errors are one line on stderr.
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
                   ausb info [--json] DEVICE
                   ausb tree [--json]
                   ausb watch [--json] [--existing] [--count N] [DEVICE]
                   ausb hub [--json] [HUB] [--power on|off|cycle PORT | --reset PORT]
                   ausb control [--timeout S] [--raw] DEVICE BMREQUESTTYPE BREQUEST WVALUE WINDEX [LENGTH | DATA]
                   ausb read [OPTIONS] DEVICE ENDPOINT LENGTH
                   ausb write [OPTIONS] DEVICE ENDPOINT (HEX | --file FILE | --zeros COUNT)
                   ausb reset DEVICE
                   ausb fx2-load [--chip fx2lp|fx2|an21] [--no-verify] [--expect VID:PID] [--timeout S] [--no-wait]
                                 DEVICE FILE
                   ausb fx3-load [--no-verify] [--expect VID:PID] [--timeout S] [--no-wait] DEVICE FILE
                   ausb udev-rule [--group GROUP] [--mode MODE] VID[:PID]
                   ausb doctor VID[:PID]
                   ausb completion bash
                   ausb version
            DEVICE is VID:PID, -s [BUS]:DEV (as lsusb takes them) or -p PATH (Linux's name: 3-1.2, usb3).
            ausb COMMAND --help (or ausb help COMMAND) explains a command.""";

    static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("list", Help.LIST), Map.entry("info", Help.INFO), Map.entry("tree", Help.TREE),
            Map.entry("watch", Help.WATCH), Map.entry("version", Help.VERSION), Map.entry("hub", HubCommand.HELP),
            Map.entry("control", TransferCommands.CONTROL_HELP), Map.entry("read", TransferCommands.READ_HELP),
            Map.entry("write", TransferCommands.WRITE_HELP), Map.entry("reset", TransferCommands.RESET_HELP),
            Map.entry("fx2-load", FirmwareCommand.FX2_HELP), Map.entry("fx3-load", FirmwareCommand.FX3_HELP),
            Map.entry("udev-rule", AccessCommands.UDEV_HELP), Map.entry("doctor", AccessCommands.DOCTOR_HELP),
            Map.entry("completion", Help.COMPLETION));

    private Main() {}

    /**
     * Runs the command and exits with its code.
     *
     * @param args the command line: a command and its arguments ({@code ausb --help} lists them)
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command, printing to {@code out} and {@code err}; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (rest.size() == 2 && rest.getFirst().equals("help") && HELP.containsKey(rest.get(1))) {
            out.println(HELP.get(rest.get(1)));
            return OK;
        }
        if (!rest.isEmpty() && HELP.containsKey(rest.getFirst()) && (rest.contains("-h") || rest.contains("--help"))) {
            out.println(HELP.get(rest.getFirst()));
            return OK;
        }
        if (rest.isEmpty() || rest.contains("-h") || rest.contains("--help") || rest.getFirst().equals("help")) {
            (rest.isEmpty() ? err : out).println(USAGE_TEXT);
            return rest.isEmpty() ? USAGE : OK;
        }
        String command = rest.removeFirst();
        String deviceHint = rest.stream().filter(a -> a.matches("[0-9a-fA-F]{1,4}:[0-9a-fA-F]{0,4}")).findFirst()
                .orElse("VID:PID");
        try {
            if (!HELP.containsKey(command)) {
                throw new Usage("unknown command " + command);
            }
            boolean json = rest.remove("--json");
            if (json && !List.of("list", "info", "tree", "watch", "hub").contains(command)) {
                throw new Usage(command + " has no --json");
            }
            // commands that need no context
            switch (command) {
                case "udev-rule" -> {
                    String group = Objects.requireNonNullElse(Options.take(rest, "--group"), "plugdev");
                    String mode = Objects.requireNonNullElse(Options.take(rest, "--mode"), "0660");
                    int[] ids = AccessCommands.ids(rest, command);
                    out.print(AccessCommands.udevRule(ids[0], ids[1], group, mode));
                    out.flush();
                    return OK;
                }
                case "doctor" -> {
                    int[] ids = AccessCommands.ids(rest, command);
                    return AccessCommands.doctor(ids[0], ids[1], out);
                }
                case "completion" -> {
                    if (!rest.equals(List.of("bash"))) {
                        throw new Usage("completion takes bash (the one shell it writes a script for)");
                    }
                    out.print(Help.bashCompletion(HELP.keySet()));
                    out.flush();
                    return OK;
                }
                default -> { }
            }
            // the rest: arguments and files checked before any USB
            boolean firmware = command.equals("fx2-load") || command.equals("fx3-load");
            FirmwareCommand.Args load = firmware ? FirmwareCommand.parse(command, rest) : null;
            HubCommand.Args hub = command.equals("hub") ? HubCommand.parse(rest) : null;
            TransferCommands.Control control = command.equals("control") ? TransferCommands.parseControl(rest) : null;
            TransferCommands.Bulk bulk = command.equals("read") || command.equals("write")
                    ? TransferCommands.parseBulk(command, rest) : null;
            UsbDeviceFilter resetDevice = command.equals("reset") ? takeDevice(rest, command) : null;
            boolean existing = command.equals("watch") && rest.remove("--existing");
            long count = command.equals("watch") ? count(rest) : -1;
            UsbDeviceFilter selector = command.equals("info") ? selector(rest, command)
                    : command.equals("watch") && !rest.isEmpty() ? selector(rest, command) : UsbDeviceFilter.any();
            if (command.equals("info") || command.equals("watch")) {
                rest.clear(); // the selector took them all
            }
            Options.none(rest);
            FirmwareCommand.Image image = firmware ? FirmwareCommand.read(load, err) : null;
            if (firmware && image == null) {
                return USAGE;
            }
            try (UsbContext usb = UsbContext.create()) {
                Names names = Names.load();
                switch (command) {
                    case "list" -> ListCommand.run(usb, names, json, out, err);
                    case "info" -> InfoCommand.run(usb.findOne(selector), json, out);
                    case "tree" -> TreeCommand.run(usb, names, json, out);
                    case "watch" -> WatchCommand.run(usb, names, selector, existing, count, json, out);
                    case "hub" -> {
                        return HubCommand.run(usb, hub, json, out, err);
                    }
                    case "control" -> {
                        return TransferCommands.control(usb, control, out);
                    }
                    case "read", "write" -> {
                        return TransferCommands.bulk(usb, bulk, command.equals("read"), out, err);
                    }
                    case "reset" -> {
                        return TransferCommands.reset(usb, resetDevice, out);
                    }
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
            err.println("ausb " + command + " --help tells more.");
            return USAGE;
        } catch (UsbMatchException e) {
            err.println("ausb: " + matchMessage(e));
            return e.matchCount() == 0 ? NO_MATCH : SEVERAL;
        } catch (UsbAccessDeniedException e) {
            err.println("ausb: " + e.getMessage());
            err.println("ausb: ausb doctor " + deviceHint + " explains why and how to fix it");
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
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            err.println("ausb: " + e.getMessage());
            return ERROR;
        }
    }

    /**
     * Takes a device from the front of {@code args}: {@code VID:PID}, {@code -s [BUS]:DEV},
     * {@code -d VID:PID} or {@code -p PATH}.
     */
    static UsbDeviceFilter takeDevice(List<String> args, String command) {
        if (args.isEmpty()) {
            throw new Usage(command + " needs a device: VID:PID, -s [BUS]:DEV or -p PATH");
        }
        List<String> sel = new ArrayList<>();
        String first = args.removeFirst();
        sel.add(first);
        if (first.equals("-s") || first.equals("-d") || first.equals("-p")) {
            if (args.isEmpty()) {
                throw new Usage(first + " needs a value");
            }
            sel.add(args.removeFirst());
        }
        return selector(sel, command);
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

    /** Parses {@code VID:PID}, {@code -s [BUS]:DEV}, {@code -d VID:PID} or {@code -p PATH}. */
    static UsbDeviceFilter selector(List<String> args) {
        return selector(args, "info");
    }

    /** As {@link #selector(List)}; the usage error names {@code command}. */
    static UsbDeviceFilter selector(List<String> args, String command) {
        UsbDeviceFilter f = UsbDeviceFilter.any();
        boolean any = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-s") || a.equals("-d") || a.equals("-p")) {
                if (i + 1 >= args.size()) {
                    throw new Usage(a + " needs a value");
                }
                String v = args.get(++i);
                f = a.equals("-s") ? busDev(f, v) : a.equals("-d") ? vidPid(f, v) : path(f, v);
            } else if (a.startsWith("-")) {
                throw new Usage("unknown option " + a);
            } else {
                f = vidPid(f, a);
            }
            any = true;
        }
        if (!any) {
            throw new Usage(command + " needs a device: VID:PID, -s [BUS]:DEV or -p PATH");
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

    /** Linux's device name: {@code 3-1.2} (bus 3, ports 1 then 2), {@code usb3} or {@code 3-0} (bus 3's root hub). */
    private static UsbDeviceFilter path(UsbDeviceFilter f, String v) {
        try {
            if (v.matches("usb\\d+")) {
                return f.bus(Integer.parseInt(v.substring(3))).portPath();
            }
            String[] p = v.split("-", -1);
            if (p.length != 2 || !p[1].matches("\\d+(\\.\\d+)*")) {
                throw new NumberFormatException();
            }
            f = f.bus(Integer.parseInt(p[0]));
            if (p[1].equals("0")) {
                return f.portPath();
            }
            return f.portPath(java.util.Arrays.stream(p[1].split("\\.")).mapToInt(Integer::parseInt).toArray());
        } catch (IllegalArgumentException e) {
            throw new Usage("not a device path such as 3-1.2 or usb3: " + v);
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
        return vendorProduct(d, names, new ArrayList<>());
    }

    /** As {@link #vendorProduct(UsbDevice, Names)}, adding {@code d} to {@code denied} if it could not be opened. */
    static String[] vendorProduct(UsbDevice d, Names names, List<UsbDevice> denied) {
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
                if (unreadable instanceof UsbAccessDeniedException) {
                    denied.add(d);
                }
                vendor = vendor == null ? "" : vendor;
                product = product == null ? "" : product;
            }
        }
        return new String[] {vendor, product};
    }
}
