package dev.ausb.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table of commands: name, help text, options and exit codes. The usage text, the completion
 * scripts and the man pages are written from it, and a test checks each help text against it.
 */
final class Commands {
    private Commands() {}

    /** What a value is, so completion can offer files or fixed words. */
    enum Value { NONE, WORD, FILE, DIR }

    /**
     * One option: {@code name} (and an alias such as {@code -v} for {@code --verbose}), the
     * placeholder of its value ({@code null} for a flag), and the words it takes if fixed.
     */
    record Option(String name, String alias, String arg, Value value, List<String> choices) {
        static Option flag(String name) {
            return new Option(name, null, null, Value.NONE, List.of());
        }

        static Option flag(String name, String alias) {
            return new Option(name, alias, null, Value.NONE, List.of());
        }

        static Option arg(String name, String arg) {
            return new Option(name, null, arg, Value.WORD, List.of());
        }

        static Option file(String name, String arg) {
            return new Option(name, null, arg, Value.FILE, List.of());
        }

        static Option choice(String name, String arg, String... choices) {
            return new Option(name, null, arg, Value.WORD, List.of(choices));
        }
    }

    /**
     * One command: its help text, options, what its positional arguments complete to, the exit
     * codes it can end with, whether it takes {@code --json}, and whether {@code ausb --help} lists it.
     */
    record Command(String name, String summary, String help, List<Option> options, Value positional,
            List<String> words, Set<Integer> exitCodes, boolean json, boolean listed) {}

    private static final Option JSON = Option.flag("--json");
    private static final List<Option> DEVICE = List.of(Option.arg("-d", "VID:PID"), Option.arg("-s", "[BUS]:DEV"),
            Option.arg("-p", "PATH"));
    private static final Set<Integer> USB = Set.of(0, 1, 2, 3, 4, 5, 6, 7);
    private static final List<Option> BULK = List.of(Option.arg("--interface", "N"), Option.flag("--detach"),
            Option.arg("--transfers", "N"), Option.arg("--transfer-size", "BYTES"), Option.arg("--timeout", "SECONDS"),
            Option.flag("--progress"), Option.flag("--quiet"));
    private static final List<Option> LOAD = List.of(Option.flag("--no-verify"), Option.arg("--expect", "VID:PID"),
            Option.arg("--timeout", "SECONDS"), Option.flag("--no-wait"));

    private static List<Option> with(List<Option> a, List<Option> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    static final Map<String, Command> ALL = table(
            new Command("list", "one line per device, as lsusb prints them", Help.LIST,
                    List.of(JSON, Option.arg("-d", "VID:PID"), Option.arg("-s", "[[BUS]:][DEV]"),
                            Option.flag("--verbose", "-v"), Option.flag("--tree", "-t")),
                    Value.NONE, List.of(), Set.of(0, 1, 2, 3, 6, 7), true, true),
            new Command("info", "the whole descriptor tree of one device, as lsusb -v", Help.INFO,
                    with(List.of(JSON), DEVICE), Value.NONE, List.of(), USB, true, true),
            new Command("tree", "bus and port topology, as lsusb -t prints it", Help.TREE, List.of(JSON),
                    Value.NONE, List.of(), Set.of(0, 1, 2, 6, 7), true, true),
            new Command("watch", "a line per device that arrives or leaves", Help.WATCH,
                    with(List.of(JSON, Option.flag("--existing"), Option.arg("--count", "N")), DEVICE),
                    Value.NONE, List.of(), Set.of(0, 1, 2, 6, 7), true, true),
            new Command("hub", "port status of hubs; port power and reset", HubCommand.HELP,
                    with(List.of(JSON, Option.choice("--power", "on|off|cycle PORT", "on", "off", "cycle"),
                            Option.arg("--reset", "PORT"), Option.arg("--off-time", "SECONDS"), Option.flag("--exact"),
                            Option.arg("--timeout", "SECONDS")), DEVICE),
                    Value.NONE, List.of(), USB, true, true),
            new Command("control", "one control request, the reply in hex", TransferCommands.CONTROL_HELP,
                    with(List.of(Option.flag("--raw"), Option.arg("--timeout", "SECONDS")), DEVICE),
                    Value.NONE, List.of(), USB, false, true),
            new Command("read", "a bulk or interrupt read, with throughput", BulkCommands.READ_HELP,
                    with(with(List.of(Option.file("-o", "FILE"), Option.flag("--single"),
                            Option.arg("--duration", "TIME"), Option.flag("--until-interrupted")), BULK), DEVICE),
                    Value.NONE, List.of(), Set.of(0, 1, 2, 3, 4, 5, 6, 7, 130), false, true),
            new Command("write", "a bulk or interrupt write", BulkCommands.WRITE_HELP,
                    with(with(List.of(Option.file("--file", "FILE"), Option.arg("--zeros", "COUNT")), BULK), DEVICE),
                    Value.NONE, List.of(), USB, false, true),
            new Command("reset", "a port reset and re-enumeration", TransferCommands.RESET_HELP, DEVICE,
                    Value.NONE, List.of(), USB, false, true),
            new Command("fx2-load", "an Intel HEX file into a Cypress FX2's RAM", FirmwareCommand.FX2_HELP,
                    with(with(List.of(Option.choice("--chip", "CHIP", "fx2lp", "fx2", "an21")), LOAD), DEVICE),
                    Value.FILE, List.of(), USB, false, true),
            new Command("fx3-load", "a Cypress FX3 boot image through its boot loader", FirmwareCommand.FX3_HELP,
                    with(LOAD, DEVICE), Value.FILE, List.of(), USB, false, true),
            new Command("udev-rule", "a udev rule that grants users access", AccessCommands.UDEV_HELP,
                    List.of(Option.arg("--group", "GROUP"), Option.arg("--mode", "MODE")), Value.NONE, List.of(),
                    Set.of(0, 2), false, true),
            new Command("doctor", "why a device cannot be opened or claimed, and the fix", AccessCommands.DOCTOR_HELP,
                    List.of(), Value.NONE, List.of(), Set.of(0, 1, 2, 3, 6, 7), false, true),
            new Command("completion", "a completion script for bash, zsh or fish", Help.COMPLETION, List.of(),
                    Value.WORD, List.of("bash", "zsh", "fish"), Set.of(0, 2), false, true),
            new Command("man-pages", "the manual pages, written into a directory", Help.MAN_PAGES, List.of(),
                    Value.DIR, List.of(), Set.of(0, 1, 2), false, false),
            new Command("version", "ausb's, libusb's and Java's versions", Help.VERSION, List.of(JSON), Value.NONE,
                    List.of(), Set.of(0, 2), true, true),
            new Command("help", "the list of commands, or one command's help", Help.HELP, List.of(), Value.WORD,
                    List.of(), Set.of(0, 2), false, true));

    private static Map<String, Command> table(Command... commands) {
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command c : commands) {
            m.put(c.name(), c);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    static Optional<Command> find(String name) {
        return Optional.ofNullable(ALL.get(name));
    }

    /** The usage text: the first lines of each listed command's help. */
    static String usage() {
        StringBuilder b = new StringBuilder();
        boolean first = true;
        for (Command c : ALL.values()) {
            if (!c.listed() || c.name().equals("help")) {
                continue;
            }
            for (String line : synopsis(c)) {
                b.append(first ? "usage: " : "       ").append(line.substring("usage: ".length()).strip()).append('\n');
                first = false;
            }
        }
        b.append("""
                DEVICE is VID:PID, -s [BUS]:DEV (as lsusb takes them) or -p PATH (Linux's name: 3-1.2, usb3).
                ausb COMMAND --help (or ausb help COMMAND) explains a command. Commands:
                """);
        for (Command c : ALL.values()) {
            if (c.listed()) {
                b.append(String.format("  %-11s %s%n", c.name(), c.summary()));
            }
        }
        return b.toString().stripTrailing();
    }

    /** The usage lines at the top of a command's help, continuation lines joined to theirs. */
    static List<String> synopsis(Command c) {
        List<String> lines = new java.util.ArrayList<>();
        for (String line : c.help().lines().toList()) {
            if (line.isBlank()) {
                break;
            }
            if (line.startsWith("usage: ") || line.startsWith("       ausb")) {
                lines.add("usage: " + line.substring(7).strip());
            } else if (!lines.isEmpty()) {
                lines.set(lines.size() - 1, lines.getLast() + " " + line.strip());
            }
        }
        return lines;
    }

    /** The command closest to a mistyped one, if one is close: a prefix, or two edits away at most. */
    static Optional<String> closest(String typed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : ALL.keySet()) {
            int d = name.startsWith(typed) && typed.length() >= 2 ? 0 : distance(typed, name);
            if (d < bestDistance) {
                bestDistance = d;
                best = name;
            }
        }
        return bestDistance <= Math.min(2, Math.max(1, typed.length() / 3)) ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance, adjacent transpositions counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
