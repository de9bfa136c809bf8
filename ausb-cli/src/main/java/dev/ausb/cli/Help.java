package dev.ausb.cli;

/** The {@code --help} texts of the commands that have no class of their own. */
final class Help {
    private Help() {}

    static final String LIST = """
            usage: ausb list [--json] [-v] [-t] [-d VID:PID] [-s [[BUS]:][DEV]]

            One line per device, in lsusb's format and order: bus, device address, ids, then the vendor
            and product names from the system's hardware database (udev's hwdb or usb.ids), or the device's
            own strings where the database has none. A device this user may not open shows no strings of
            its own; a note on standard error says how many, and ausb doctor says why. Strings a device
            supplies are printed with control characters escaped (\\x1b), here and in every command.

              -d VID:PID        only devices with these ids (1a0a:badd, 1a0a: or :badd), as lsusb -d
              -s [[BUS]:][DEV]  only this bus and/or device address (3:2, 3:, 2), in decimal, as lsusb -s
              -v, --verbose     each device's whole descriptor tree, as ausb info and lsusb -v print it
              -t, --tree        the topology instead, as ausb tree (-d and -s do not apply)
              --json            an array of objects: bus, address, idVendor, idProduct, vendor, product,
                                speed, portPath (with -v: the objects of ausb info --json). The schema is
                                docs/schema/list.schema.json; under --json, errors are JSON on standard error

            Exit codes: 0 listed, 1 USB error, 2 usage, 3 no device matched -d or -s, 6 no USB on this
            machine, 7 libusb missing.""";

    static final String INFO = """
            usage: ausb info [--json] DEVICE

            The whole descriptor tree of one device, with its strings, in the form of lsusb -v: the device
            descriptor, every configuration with its interface associations, interfaces, alternate settings
            and endpoints (SuperSpeed companions included), class-specific and vendor descriptors in hex,
            and the BOS with its capabilities; before them the negotiated speed and the port path.

            DEVICE is VID:PID, -d VID:PID, -s [BUS]:DEV or -p PATH (3-1.2, usb3). Reading the strings and
            the BOS opens the device; without access the tree is shown without them, with a note that says
            why.

              --json   the same as one JSON object (schema: docs/schema/info.schema.json)

            Exit codes: 0 shown, 1 USB error, 2 usage, 3 no device matched, 4 several matched (choose one
            with -s BUS:DEV), 5 access denied, 6 no USB on this machine, 7 libusb missing.""";

    static final String TREE = """
            usage: ausb tree [--json]

            The bus and port topology, as lsusb -t prints it: each root hub with the hubs and devices below
            it by port, every interface with its class and kernel driver, and each device's speed.

              --json   the same as nested objects (schema: docs/schema/tree.schema.json)

            Exit codes: 0 shown, 1 USB error, 2 usage, 6 no USB on this machine, 7 libusb missing.""";

    static final String WATCH = """
            usage: ausb watch [--json] [--existing] [--count N] [DEVICE]

            A line for each device that arrives or leaves, as it happens (through libusb's hotplug where
            the platform has it, else by listing the devices every 500 ms), until interrupted or N lines.

              --existing  first a line for each device already connected
              --count N   stop after N lines
              --json      one JSON object per line: the event, then the device as list --json shows it
                          (schema: docs/schema/watch.schema.json)

            DEVICE (VID:PID, -d VID:PID, -s [BUS]:DEV, -p PATH) limits the lines to matching devices.
            Exit codes: 0 done, 1 USB error, 2 usage, 6 no USB on this machine, 7 libusb missing.""";

    static final String VERSION = """
            usage: ausb version [--json]
                   ausb --version
                   ausb -V

            ausb's version, the version of the libusb it loads (or why it could not be loaded), and the
            Java runtime and operating system. Works without USB: on a machine without usbfs it says that
            libusb was found but gives its version only once usbfs exists (libusb tells its version through
            a context, which ausb opens only where there is USB).

              --json   the same as one object: ausb, libusb, libusbError, java, os
                       (schema: docs/schema/version.schema.json)

            Exit codes: 0 printed (also when libusb is missing: the output says so), 2 usage.""";

    static final String COMPLETION = """
            usage: ausb completion bash|zsh|fish

            Prints a completion script for ausb's commands and their options, written from the same table
            as the help, for one shell. Load it in the current shell, or install it for every shell:

              source <(ausb completion bash)
              ausb completion bash | sudo tee /usr/share/bash-completion/completions/ausb
              ausb completion zsh  | sudo tee /usr/share/zsh/vendor-completions/_ausb
              ausb completion fish > ~/.config/fish/completions/ausb.fish

            Exit codes: 0 printed, 2 usage.""";

    static final String MAN_PAGES = """
            usage: ausb man-pages DIR

            Writes the manual pages ausb.1 and ausb-COMMAND.1 (one per command, in roff with the man(7)
            macros) into the directory DIR, creating it if needed, from the same text as --help. Install
            them with  sudo cp DIR/*.1 /usr/local/share/man/man1/  and read them with  man ausb-read.
            The build runs this for the distribution; it is not listed in ausb --help.

            Exit codes: 0 written, 1 the directory or a file could not be written, 2 usage.""";

    static final String HELP = """
            usage: ausb help [COMMAND]

            The list of commands, or what ausb COMMAND --help prints.

            Exit codes: 0 printed, 2 usage (no such command).""";
}
