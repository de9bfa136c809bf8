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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The {@code ausb} command: {@code ausb --help} lists the commands, {@code ausb COMMAND --help}
 * explains one ({@link Commands} holds the table). DEVICE is {@code VID:PID}, {@code -s [BUS]:DEV} or
 * {@code -p PATH} (Linux's name: {@code 3-1.2}, {@code usb3}). Exit codes: 0 done, 1 other USB
 * error, 2 usage, 3 no device matched, 4 several matched, 5 access denied, 6 no USB on this machine,
 * 7 libusb missing, 130 a read interrupted. Errors are one line on stderr; under {@code --json} one
 * JSON object on stderr: {@code {"error":{"code":5,"kind":"access-denied","message":"...","hint":"..."}}}
 * (docs/schema/error.schema.json).
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
        if (rest.isEmpty()) {
            err.println(Commands.usage());
            return USAGE;
        }
        if (rest.getFirst().equals("--version") || rest.getFirst().equals("-V")) {
            rest.set(0, "version");
        }
        String command = rest.removeFirst();
        boolean wantsJson = rest.contains("--json");
        Errors errors = new Errors(wantsJson, err, command);
        if (command.equals("-h") || command.equals("--help") || command.equals("help") && rest.isEmpty()) {
            out.println(Commands.usage());
            return OK;
        }
        if (command.equals("help")) {
            if (rest.equals(List.of("-h")) || rest.equals(List.of("--help"))) {
                rest.set(0, "help");
            }
            if (rest.size() != 1 || Commands.find(rest.getFirst()).isEmpty()) {
                return errors.usage(new Usage("help takes one command, not " + String.join(" ", rest)
                        + suggestion(rest.getFirst())), "ausb --help lists the commands.");
            }
            out.println(Commands.find(rest.getFirst()).orElseThrow().help());
            return OK;
        }
        Commands.Command c = Commands.find(command).orElse(null);
        if (c == null) {
            return errors.usage(new Usage("unknown command " + command + suggestion(command)),
                    "ausb --help lists the commands.");
        }
        if (rest.contains("-h") || rest.contains("--help")) {
            out.println(c.help());
            return OK;
        }
        String hint = "ausb " + command + " --help tells more.";
        try {
            boolean json = rest.remove("--json");
            if (json && !c.json()) {
                throw new Usage(command + " has no --json");
            }
            return dispatch(command, rest, json, out, err);
        } catch (Usage e) {
            return errors.usage(e, hint);
        } catch (UsbMatchException e) {
            return errors.report(e.matchCount() == 0 ? NO_MATCH : SEVERAL, e.matchCount() == 0 ? "no-match" : "several-match",
                    matchMessage(e), null);
        } catch (UsbAccessDeniedException e) {
            String device = deviceHint(args);
            return errors.report(ACCESS, "access-denied", e.getMessage(),
                    "ausb doctor " + device + " explains why and how to fix it");
        } catch (UsbUnavailableException e) {
            return errors.report(NO_USB, "no-usb", e.getMessage(), null);
        } catch (UsbLibraryMissingException e) {
            return errors.report(NO_LIBUSB, "libusb-missing", e.getMessage(), null);
        } catch (UsbException e) {
            return errors.report(ERROR, "usb-error", e.getMessage(), null);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return errors.report(ERROR, "io-error", String.valueOf(e.getMessage()), null);
        }
    }

    private static int dispatch(String command, List<String> rest, boolean json, PrintStream out, PrintStream err)
            throws java.io.IOException {
        // commands that need no USB
        switch (command) {
            case "udev-rule" -> {
                String group = Objects.requireNonNullElse(Options.take(rest, "--group"), "plugdev");
                String mode = Objects.requireNonNullElse(Options.take(rest, "--mode"), "0660");
                int[] ids = Devices.ids(rest, command);
                out.print(AccessCommands.udevRule(ids[0], ids[1], group, mode));
                out.flush();
                return OK;
            }
            case "doctor" -> {
                int[] ids = Devices.ids(rest, command);
                return AccessCommands.doctor(ids[0], ids[1], out);
            }
            case "completion" -> {
                if (rest.size() != 1 || !List.of("bash", "zsh", "fish").contains(rest.getFirst())) {
                    throw new Usage("completion takes bash, zsh or fish"
                            + (rest.isEmpty() ? "" : ", not " + String.join(" ", rest)));
                }
                out.print(Completion.script(rest.getFirst()));
                out.flush();
                return OK;
            }
            case "man-pages" -> {
                if (rest.size() != 1 || rest.getFirst().startsWith("-")) {
                    throw new Usage("man-pages takes the directory to write the pages into");
                }
                List<java.nio.file.Path> written = ManPages.write(java.nio.file.Path.of(rest.getFirst()));
                written.forEach(out::println);
                out.flush();
                return OK;
            }
            case "version" -> {
                Options.none(rest);
                return Version.print(json, out);
            }
            default -> { }
        }
        // the rest: arguments and files checked before any USB
        boolean firmware = command.equals("fx2-load") || command.equals("fx3-load");
        FirmwareCommand.Args load = firmware ? FirmwareCommand.parse(command, rest) : null;
        HubCommand.Args hub = command.equals("hub") ? HubCommand.parse(rest) : null;
        TransferCommands.Control control = command.equals("control") ? TransferCommands.parseControl(rest) : null;
        BulkCommands.Bulk bulk = command.equals("read") || command.equals("write") ? BulkCommands.parse(command, rest)
                : null;
        ListCommand.Args list = command.equals("list") ? ListCommand.parse(rest) : null;
        UsbDeviceFilter resetDevice = command.equals("reset") ? Devices.take(rest, command) : null;
        boolean existing = command.equals("watch") && rest.remove("--existing");
        String countArg = command.equals("watch") ? Options.take(rest, "--count") : null;
        long count = countArg == null ? -1 : Options.positive(countArg, "--count");
        UsbDeviceFilter selector = command.equals("info") ? Devices.selector(rest, command)
                : command.equals("watch") && !rest.isEmpty() ? Devices.selector(rest, command) : UsbDeviceFilter.any();
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
                case "list" -> {
                    return ListCommand.run(usb, names, list, json, out, err);
                }
                case "info" -> InfoCommand.run(usb.findOne(selector), names, json, out);
                case "tree" -> TreeCommand.run(usb, names, json, out);
                case "watch" -> WatchCommand.run(usb, names, selector, existing, count, json, out, err);
                case "hub" -> {
                    return HubCommand.run(usb, hub, json, out, err);
                }
                case "control" -> {
                    return TransferCommands.control(usb, control, out);
                }
                case "read", "write" -> {
                    return BulkCommands.run(usb, bulk, command.equals("read"), out, err);
                }
                case "reset" -> {
                    return TransferCommands.reset(usb, resetDevice, out);
                }
                default -> {
                    return FirmwareCommand.run(usb, load, image, out, err);
                }
            }
        }
        out.flush();
        return OK;
    }

    private static String suggestion(String typed) {
        return Commands.closest(typed).map(s -> " (did you mean " + s + "?)").orElse("");
    }

    /** The device named on the command line, for the doctor hint; VID:PID when none was. */
    private static String deviceHint(String[] args) {
        return Arrays.stream(args).filter(a -> a.matches("[0-9a-fA-F]{1,4}:[0-9a-fA-F]{0,4}")).findFirst()
                .orElse("VID:PID");
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

    /** A command-line mistake: exit code 2 with the usage text. */
    static final class Usage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    /**
     * How errors are printed: one line {@code ausb: message} (and a hint line) on stderr; under
     * {@code --json} one JSON object on stderr instead, so stdout holds only the data.
     */
    private record Errors(boolean json, PrintStream err, String command) {
        int usage(Usage e, String hint) {
            return report(USAGE, "usage", e.getMessage(), hint);
        }

        int report(int code, String kind, String message, String hint) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("code", code);
                m.put("kind", kind);
                m.put("command", command);
                m.put("message", message);
                if (hint != null) {
                    m.put("hint", hint);
                }
                err.println(Json.line(Map.of("error", m)));
            } else {
                err.println("ausb: " + message);
                if (hint != null) {
                    err.println(hint.startsWith("ausb ") && hint.endsWith(".") ? hint : "ausb: " + hint);
                }
            }
            err.flush();
            return code;
        }
    }

    /** Formats a device's names like lsusb: database names first, the device's own strings second. */
    static String[] vendorProduct(UsbDevice d, Names names) {
        return vendorProduct(d, names, new ArrayList<>());
    }

    /**
     * As {@link #vendorProduct(UsbDevice, Names)}, adding {@code d} to {@code denied} if it could not
     * be opened. The strings are as the device gave them: print them through
     * {@link dev.ausb.UsbDeviceDump#printable}.
     */
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
