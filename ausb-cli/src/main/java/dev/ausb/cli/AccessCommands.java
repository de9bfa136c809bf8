package dev.ausb.cli;

import dev.ausb.UsbAccessDeniedException;
import dev.ausb.UsbBusyException;
import dev.ausb.UsbConfiguration;
import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbException;
import dev.ausb.UsbInterface;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbLibraryMissingException;
import dev.ausb.UsbUnavailableException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code ausb udev-rule} and {@code ausb doctor}: getting access to a device on Linux. */
final class AccessCommands {
    static final String UDEV_HELP = """
            usage: ausb udev-rule [--group GROUP] [--mode MODE] VID[:PID]

            Prints a udev rule that lets users open the device (or every device of the vendor, without
            :PID) without root: the user logged in at the machine's seat (TAG+="uaccess"), and the members of
            GROUP (default plugdev) with MODE (default 0660). The first comment lines say how to install it:

              ausb udev-rule 1a0a:badd | sudo tee /etc/udev/rules.d/70-ausb-1a0a-badd.rules
              sudo udevadm control --reload-rules && sudo udevadm trigger

            The file's number must stay below 73 for uaccess to take effect. Replug the device if it keeps
            its old permissions.

            Exit codes: 0 printed, 2 usage.""";

    static final String DOCTOR_HELP = """
            usage: ausb doctor VID[:PID]

            Explains why a device cannot be opened or its interfaces claimed, and how to fix it. It checks,
            in order: that the machine has usbfs (/dev/bus/usb) and that libusb loads; that the kernel sees the
            device (sysfs) and libusb lists it; that this user may write its device node (owner, group, mode,
            and the user's groups); that it opens; and for each interface of the active configuration,
            whether a kernel driver has it (and how to detach or unbind it), whether another process holds it
            (naming the process where /proc tells), or whether it can be claimed.

            Nothing is changed on the device: an interface claimed to test it is released at once.

            Exit codes: 0 no problem found, 1 a problem found (each printed with its fix), 2 usage,
            3 the device is not connected, 6 no USB on this machine (no usbfs), 7 libusb missing.""";

    private AccessCommands() {}

    static String udevRule(int vid, int pid, String group, String mode) {
        if (!group.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw new Main.Usage("not a group name: " + group);
        }
        if (!mode.matches("0?[0-7]{3}")) {
            throw new Main.Usage("a mode is octal, such as 0660, not " + mode);
        }
        String id = pid < 0 ? String.format("%04x", vid) : String.format("%04x:%04x", vid, pid);
        String file = "/etc/udev/rules.d/70-ausb-" + id.replace(':', '-') + ".rules";
        return String.format("""
                # %s: access to USB %s for the user at the seat and the group %s
                # install: ausb udev-rule %s | sudo tee %s
                #          sudo udevadm control --reload-rules && sudo udevadm trigger
                SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ATTR{idVendor}=="%04x", %sMODE="%s", GROUP="%s", TAG+="uaccess"
                """, file, pid < 0 ? "devices of vendor " + id : "device " + id, group, id, file, vid,
                pid < 0 ? "" : String.format("ATTR{idProduct}==\"%04x\", ", pid), mode.length() == 3 ? "0" + mode : mode,
                group);
    }

    // ---- doctor ----

    /** What doctor found: a line per check, and whether any is a problem. */
    private static final class Report {
        final PrintStream out;
        int problems;

        Report(PrintStream out) {
            this.out = out;
        }

        void ok(String what) {
            out.println("  ok       " + what);
        }

        void note(String what) {
            out.println("  note     " + what);
        }

        void problem(String what, String fix) {
            problems++;
            out.println("  PROBLEM  " + what);
            if (fix != null) {
                fix.lines().forEach(l -> out.println("           fix: " + l));
            }
        }
    }

    static int doctor(int vid, int pid, PrintStream out) {
        String id = pid < 0 ? String.format("%04x", vid) : String.format("%04x:%04x", vid, pid);
        out.println("ausb doctor " + id);
        Report r = new Report(out);
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        List<String> sysfs = linux ? sysfsMatches(vid, pid) : List.of();
        if (linux) {
            if (Files.isDirectory(Path.of("/dev/bus/usb"))) {
                r.ok("usbfs: /dev/bus/usb exists");
            } else {
                r.problem("no /dev/bus/usb: libusb reaches devices through usbfs device nodes there",
                        "in a container, pass the devices in (docker run --device /dev/bus/usb ...); else mount "
                                + "devtmpfs on /dev");
            }
            if (sysfs.isEmpty()) {
                r.problem("the kernel sees no device " + id + " (nothing in /sys/bus/usb/devices)",
                        "connect it (check the cable and its power); dmesg tells what the kernel saw");
            } else {
                r.ok("the kernel sees it: " + String.join(", ", sysfs));
            }
        }
        UsbContext usb;
        try {
            usb = UsbContext.create();
            r.ok("libusb " + usb.libusbVersion() + " loaded");
        } catch (UsbLibraryMissingException e) {
            r.problem(e.getMessage(), "install libusb-1.0 (Debian, Ubuntu: apt install libusb-1.0-0; Fedora: dnf "
                    + "install libusb1; macOS: brew install libusb)");
            return finish(r, Main.NO_LIBUSB, "libusb missing");
        } catch (UsbUnavailableException e) {
            if (!linux || Files.isDirectory(Path.of("/dev/bus/usb"))) { // else the usbfs check said it, with a fix
                r.problem(e.getMessage(), null);
            }
            return finish(r, Main.NO_USB, "no USB on this machine");
        }
        try (usb) {
            List<UsbDevice> found = usb.devices().stream()
                    .filter(d -> d.vendorId() == vid && (pid < 0 || d.productId() == pid)).toList();
            if (found.isEmpty()) {
                if (!sysfs.isEmpty()) {
                    r.problem("libusb does not list it, though the kernel sees it",
                            "libusb lists what it may read in /dev/bus/usb: check that directory's permissions");
                }
                return finish(r, true);
            }
            for (UsbDevice d : found) {
                out.println(TransferCommands.label(d) + " (" + HubCommand.path(d) + ")");
                examine(d, r, linux);
            }
        }
        return finish(r, false);
    }

    /** Ends the report with a fault that stops every check after it, and its exit code. */
    private static int finish(Report r, int code, String summary) {
        r.out.println(summary);
        r.out.flush();
        return code;
    }

    private static int finish(Report r, boolean absent) {
        if (absent) {
            r.out.println("not connected");
            r.out.flush();
            return Main.NO_MATCH;
        }
        r.out.println(r.problems == 0 ? "no problem found" : r.problems + (r.problems == 1 ? " problem" : " problems"));
        r.out.flush();
        return r.problems == 0 ? Main.OK : Main.ERROR;
    }

    private static void examine(UsbDevice d, Report r, boolean linux) {
        int problemsBefore = r.problems;
        String ids = String.format("%04x:%04x", d.vendorId(), d.productId());
        Path node = Path.of(String.format("/dev/bus/usb/%03d/%03d", d.bus(), d.address()));
        if (linux && Files.exists(node)) {
            String who = System.getProperty("user.name");
            String groups = String.join(",", groups());
            try {
                PosixFileAttributes a = Files.readAttributes(node, PosixFileAttributes.class);
                String perm = String.format("%s is %s:%s %s", node, a.owner().getName(), a.group().getName(),
                        PosixFilePermissions.toString(a.permissions()));
                if (Files.isWritable(node)) {
                    r.ok(perm + "; " + who + " may write it");
                } else {
                    r.problem(perm + "; " + who + " (groups " + groups + ") may not write it",
                            "ausb udev-rule " + ids + " | sudo tee /etc/udev/rules.d/70-ausb-" + ids.replace(':', '-')
                                    + ".rules\nsudo udevadm control --reload-rules && sudo udevadm trigger\n"
                                    + "(then replug it; or run as root)");
                }
            } catch (IOException | UnsupportedOperationException e) {
                r.note("cannot read the permissions of " + node + ": " + e.getMessage());
            }
        }
        UsbDeviceHandle h;
        try {
            h = d.open();
            r.ok("opens");
        } catch (UsbAccessDeniedException e) {
            if (r.problems == problemsBefore) { // else the node's permissions already said why, with the fix
                r.problem("open: access denied", "run as root, or install a udev rule: ausb udev-rule " + ids);
            }
            return;
        } catch (UsbException e) {
            r.problem("open: " + e.getMessage(), null);
            return;
        }
        try (h) {
            int active;
            try {
                active = h.activeConfiguration();
            } catch (UsbException e) {
                r.problem("read the active configuration: " + e.getMessage(), null);
                return;
            }
            Optional<UsbConfiguration> config = d.configuration(active);
            if (config.isEmpty()) {
                r.note("unconfigured (configuration " + active + "): set one before claiming");
                return;
            }
            for (UsbInterface i : config.get().interfaces()) {
                interfaceCheck(d, h, i.number(), node, r);
            }
        }
    }

    private static void interfaceCheck(UsbDevice d, UsbDeviceHandle h, int n, Path node, Report r) {
        Optional<String> driver = d.kernelDriver(n);
        String sysName = (d.portPath().isEmpty() ? d.bus() + "-0" : HubCommand.path(d)) + ":"
                + d.cachedActiveConfiguration().orElse(1) + "." + n;
        if (driver.isPresent() && driver.get().equals("usbfs")) {
            List<String> holders = holders(node);
            r.problem("interface " + n + " is claimed by another program through usbfs"
                    + (holders.isEmpty() ? "" : ": " + String.join(", ", holders)),
                    "close that program (a libusb user may claim an interface once at a time)");
            return;
        }
        if (driver.isPresent()) {
            r.note("interface " + n + " is bound to the kernel driver " + driver.get() + ": claiming it needs the driver "
                    + "detached\n           (UsbDeviceHandle.setAutoDetachKernelDriver(true), ausb read/write --detach,"
                    + " or: echo " + sysName + " | sudo tee /sys/bus/usb/drivers/" + driver.get() + "/unbind)");
            return;
        }
        try (UsbInterfaceHandle claimed = h.claimInterface(n)) {
            r.ok("interface " + n + " can be claimed");
        } catch (UsbBusyException e) {
            List<String> holders = holders(node);
            r.problem("interface " + n + ": " + e.getMessage() + (holders.isEmpty() ? "" : "; held by " + String.join(", ", holders)),
                    "close the program that has it");
        } catch (UsbException e) {
            r.problem("claim interface " + n + ": " + e.getMessage(), null);
        }
    }

    /** sysfs device names whose ids match. */
    private static List<String> sysfsMatches(int vid, int pid) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/sys/bus/usb/devices"))) {
            for (Path p : all) {
                try {
                    Path v = p.resolve("idVendor");
                    if (!Files.exists(v)) {
                        continue;
                    }
                    int dv = Integer.parseInt(Files.readString(v).trim(), 16);
                    int dp = Integer.parseInt(Files.readString(p.resolve("idProduct")).trim(), 16);
                    if (dv == vid && (pid < 0 || dp == pid)) {
                        names.add(p.getFileName().toString());
                    }
                } catch (IOException | NumberFormatException unreadable) {
                    // a device leaving while we look: skip it
                }
            }
        } catch (IOException none) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    /** This process's supplementary groups by name, from /proc/self/status and /etc/group. */
    private static List<String> groups() {
        List<String> names = new ArrayList<>();
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            // the effective group (second field of Gid:) grants access too, then the supplementary ones
            List<String> gids = new ArrayList<>(status.stream().filter(l -> l.startsWith("Gid:"))
                    .map(l -> l.substring(4).trim().split("\\s+")).filter(f -> f.length > 1).map(f -> f[1]).toList());
            status.stream().filter(l -> l.startsWith("Groups:"))
                    .flatMap(l -> List.of(l.substring(7).trim().split("\\s+")).stream())
                    .filter(g -> !g.isEmpty() && !gids.contains(g)).forEach(gids::add);
            List<String> table = Files.exists(Path.of("/etc/group")) ? Files.readAllLines(Path.of("/etc/group")) : List.of();
            for (String gid : gids) {
                names.add(table.stream().map(l -> l.split(":", -1)).filter(f -> f.length > 2 && f[2].equals(gid))
                        .map(f -> f[0]).findFirst().orElse(gid));
            }
        } catch (IOException e) {
            // not Linux, or /proc hidden: no groups shown
        }
        return names.isEmpty() ? List.of("none") : names;
    }

    /** The processes with {@code node} open ("1234 (python3)"), as far as /proc lets this user see. */
    static List<String> holders(Path node) {
        List<String> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                if (proc.getFileName().toString().equals(String.valueOf(self))) {
                    continue;
                }
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (Files.readSymbolicLink(fd).equals(node)) {
                            String comm = Files.readString(proc.resolve("comm")).trim();
                            found.add(proc.getFileName() + " (" + dev.ausb.UsbDeviceDump.printable(comm) + ")");
                            break;
                        }
                    }
                } catch (IOException | SecurityException notOurs) {
                    // another user's process, or gone
                }
            }
        } catch (IOException noProc) {
            return List.of();
        }
        return found;
    }
}
