package dev.ausb.cli;

import java.util.Set;
import java.util.TreeSet;

/** The {@code --help} texts of the commands that have no class of their own, and the completion script. */
final class Help {
    private Help() {}

    static final String LIST = """
            usage: ausb list [--json]

            One line per device, in lsusb's format and order: bus, device address, ids, then the vendor
            and product names from the system's hardware database (udev's hwdb or usb.ids), or the device's
            own strings where the database has none. A device this user may not open shows no strings of
            its own; a note on standard error says how many, and ausb doctor says why.

              --json   an array of objects: bus, address, idVendor, idProduct, vendor, product, speed, portPath

            Exit codes: 0 listed, 1 USB error, 6 no USB on this machine, 7 libusb missing.""";

    static final String INFO = """
            usage: ausb info [--json] DEVICE

            The whole descriptor tree of one device, with its strings, as lsusb -v prints it: the device
            descriptor, every configuration with its interfaces, alternate settings and endpoints
            (SuperSpeed companions included), class-specific and vendor descriptors in hex, the BOS and
            its capabilities, the port path, speed and the kernel driver of each interface.

            DEVICE is VID:PID, -s [BUS]:DEV or -p PATH (3-1.2, usb3). Reading the strings and the BOS
            opens the device; without access the tree is shown without them.

              --json   the same as one JSON object

            Exit codes: 0 shown, 1 USB error, 2 usage, 3 no device matched, 4 several matched (choose one
            with -s BUS:DEV), 5 access denied.""";

    static final String TREE = """
            usage: ausb tree [--json]

            The bus and port topology, as lsusb -t prints it: each root hub with the hubs and devices below
            it by port, every interface with its class and kernel driver, and each device's speed.

              --json   the same as nested objects

            Exit codes as for list.""";

    static final String WATCH = """
            usage: ausb watch [--json] [--existing] [--count N] [DEVICE]

            A line for each device that arrives or leaves, as it happens (through libusb's hotplug where
            the platform has it, else by listing the devices every 500 ms), until interrupted or N lines.

              --existing  first a line for each device already connected
              --count N   stop after N lines
              --json      one JSON object per line: the event, then the device as list --json shows it

            DEVICE (VID:PID, -s [BUS]:DEV, -p PATH) limits the lines to matching devices.
            Exit codes: 0 done, 2 usage.""";

    static final String VERSION = """
            usage: ausb version

            ausb's version and the version of the libusb it loaded.""";

    static final String COMPLETION = """
            usage: ausb completion bash

            Prints a bash completion script for ausb's commands and options. Load it in the current shell
            with  source <(ausb completion bash)  or install it for every shell:

              ausb completion bash | sudo tee /usr/share/bash-completion/completions/ausb""";

    /** Options of each command, for completion. */
    private static String options(String command) {
        return switch (command) {
            case "list", "tree" -> "--json --help";
            case "info" -> "--json -s -d -p --help";
            case "watch" -> "--json --existing --count -s -d -p --help";
            case "hub" -> "--json --power --reset --off-time --timeout -s -d -p --help";
            case "control" -> "--raw --timeout -s -d -p --help";
            case "read" -> "-o --single --interface --detach --transfers --transfer-size --timeout --progress --quiet -s -d -p --help";
            case "write" -> "--file --zeros --interface --detach --transfers --transfer-size --timeout --progress --quiet -s -d -p --help";
            case "reset" -> "-s -d -p --help";
            case "fx2-load" -> "--chip --no-verify --expect --timeout --no-wait -s -d -p --help";
            case "fx3-load" -> "--no-verify --expect --timeout --no-wait -s -d -p --help";
            case "udev-rule" -> "--group --mode --help";
            case "completion" -> "bash";
            default -> "--help";
        };
    }

    static String bashCompletion(Set<String> commands) {
        StringBuilder cases = new StringBuilder();
        for (String c : new TreeSet<>(commands)) {
            cases.append(String.format("        %s) opts=\"%s\" ;;%n", c, options(c)));
        }
        return """
                # bash completion for ausb (ausb completion bash)
                _ausb() {
                    local cur prev opts
                    cur="${COMP_WORDS[COMP_CWORD]}"
                    prev="${COMP_WORDS[COMP_CWORD-1]}"
                    if [ "$COMP_CWORD" -eq 1 ]; then
                        COMPREPLY=( $(compgen -W "%s help" -- "$cur") )
                        return
                    fi
                    case "$prev" in
                        --file|-o) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
                        --chip) COMPREPLY=( $(compgen -W "fx2lp fx2 an21" -- "$cur") ); return ;;
                        --power) COMPREPLY=( $(compgen -W "on off cycle" -- "$cur") ); return ;;
                    esac
                    case "${COMP_WORDS[1]}" in
                %s        *) opts="" ;;
                    esac
                    if [[ "$cur" == -* ]]; then
                        COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
                    elif [ "${COMP_WORDS[1]}" = help ]; then
                        COMPREPLY=( $(compgen -W "%s" -- "$cur") )
                    elif [ "${COMP_WORDS[1]}" = completion ]; then
                        COMPREPLY=( $(compgen -W "bash" -- "$cur") )
                    else
                        case "${COMP_WORDS[1]}" in
                            fx2-load|fx3-load|read|write) COMPREPLY=( $(compgen -f -- "$cur") ) ;;
                            *) COMPREPLY=() ;;
                        esac
                    fi
                }
                complete -F _ausb ausb
                """.formatted(String.join(" ", new TreeSet<>(commands)), cases, String.join(" ", new TreeSet<>(commands)));
    }
}
