package dev.ausb.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * What Linux's sysfs says about a USB device beyond its descriptors: bound drivers, hub port
 * counts, the active configuration. Reads files only; every answer is empty off Linux or when a
 * file is missing.
 */
public final class LinuxSysfs {
    private LinuxSysfs() {}

    static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    static final Path ROOT = Path.of("/sys/bus/usb/devices");

    /** The sysfs name of a device: {@code usb3} for a root hub, {@code 3-1.2} otherwise. */
    public static String deviceName(int bus, List<Integer> portPath) {
        if (portPath.isEmpty()) {
            return "usb" + bus;
        }
        return bus + "-" + portPath.stream().map(String::valueOf).collect(Collectors.joining("."));
    }

    static Optional<String> read(Path p) {
        if (!LINUX) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(p).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<String> driverOf(Path dir) {
        if (!LINUX) {
            return Optional.empty();
        }
        try {
            Path link = dir.resolve("driver");
            return Files.isSymbolicLink(link)
                    ? Optional.of(Files.readSymbolicLink(link).getFileName().toString())
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The active configuration value sysfs reports; 0 when unconfigured. */
    public static OptionalInt activeConfiguration(String name) {
        Optional<String> v = read(ROOT.resolve(name).resolve("bConfigurationValue"));
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(v.get().isEmpty() ? 0 : Integer.parseInt(v.get()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The driver bound to interface {@code number} of the active configuration. */
    public static Optional<String> interfaceDriver(String name, int number) {
        OptionalInt config = activeConfiguration(name);
        if (config.isEmpty() || config.getAsInt() == 0) {
            return Optional.empty();
        }
        return driverOf(ROOT.resolve(name + ":" + config.getAsInt() + "." + number));
    }

    /** A hub's number of downstream ports ({@code maxchild}). */
    public static OptionalInt hubPorts(String name) {
        Optional<String> v = read(ROOT.resolve(name).resolve("maxchild"));
        try {
            return v.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(v.get()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The driver of the host controller of {@code bus}, such as {@code xhci_hcd}. */
    public static Optional<String> hostControllerDriver(int bus) {
        if (!LINUX) {
            return Optional.empty();
        }
        try {
            Path root = ROOT.resolve("usb" + bus).toRealPath();
            return root.getParent() == null ? Optional.empty() : driverOf(root.getParent());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The kernel's cached copies of a device's strings (what libusb 1.0.30's
     * {@code libusb_get_device_string} reads); empty unless every string the device has is there.
     */
    public static Optional<dev.ausb.UsbDeviceStrings> strings(String name, int address, boolean hasManufacturer,
            boolean hasProduct, boolean hasSerial) {
        Path dir = ROOT.resolve(name);
        // the place may hold another device by now (this one left, another came): the device number
        // before and after the reads says whether they are this device's
        if (!isAt(dir, address)) {
            return Optional.empty();
        }
        Optional<String> m = hasManufacturer ? readRaw(dir.resolve("manufacturer")) : Optional.empty();
        Optional<String> p = hasProduct ? readRaw(dir.resolve("product")) : Optional.empty();
        Optional<String> s = hasSerial ? readRaw(dir.resolve("serial")) : Optional.empty();
        if (m.isPresent() != hasManufacturer || p.isPresent() != hasProduct || s.isPresent() != hasSerial
                || !isAt(dir, address)) {
            return Optional.empty();
        }
        return Optional.of(new dev.ausb.UsbDeviceStrings(m, p, s));
    }

    /** True on Linux when the device node {@code /dev/bus/usb/BBB/DDD} exists and this process may not write it. */
    static boolean nodeNotWritable(int bus, int address) {
        if (!LINUX) {
            return false;
        }
        Path node = Path.of(String.format("/dev/bus/usb/%03d/%03d", bus, address));
        return Files.exists(node) && !Files.isWritable(node);
    }

    private static boolean isAt(Path dir, int address) {
        return read(dir.resolve("devnum")).filter(String.valueOf(address)::equals).isPresent();
    }

    /** A sysfs attribute without its trailing newline (inner white space kept). */
    private static Optional<String> readRaw(Path p) {
        if (!LINUX) {
            return Optional.empty();
        }
        try {
            String s = Files.readString(p);
            return Optional.of(s.endsWith("\n") ? s.substring(0, s.length() - 1) : s);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The kernel's {@code descriptors} file of a device: its device descriptor, then each
     * configuration as the kernel kept it (see {@link DescriptorCheck}); empty off Linux.
     */
    static Optional<byte[]> rawDescriptors(String name) {
        if (!LINUX) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(ROOT.resolve(name).resolve("descriptors")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True when sysfs's {@code name} is still the device at {@code address} with that vendor and product. */
    static boolean isDevice(String name, int address, int vendorId, int productId, byte[] raw) {
        return raw.length >= 18
                && (Byte.toUnsignedInt(raw[8]) | Byte.toUnsignedInt(raw[9]) << 8) == vendorId
                && (Byte.toUnsignedInt(raw[10]) | Byte.toUnsignedInt(raw[11]) << 8) == productId
                && read(ROOT.resolve(name).resolve("devnum")).filter(String.valueOf(address)::equals).isPresent();
    }

    /** Where a device, or a hub's port, sits: a bus and the port path from its root hub. */
    record Place(int bus, List<Integer> portPath) {
        Place {
            portPath = List.copyOf(portPath);
        }

        @Override
        public String toString() {
            return "bus " + bus + " port path " + portPath;
        }
    }

    /**
     * The peer of the port that a device at {@code bus} and {@code portPath} is plugged into: the
     * same connector's port on the other root hub of a USB 3 host controller (or of a USB 3 hub's
     * other half), which sysfs links as the port's {@code peer}. A SuperSpeed device that enumerated
     * at high speed first (a boot loader) comes back there.
     */
    static Optional<Place> peerPort(int bus, List<Integer> portPath) {
        return LINUX ? peerPort(ROOT, bus, portPath) : Optional.empty();
    }

    /** As {@link #peerPort(int, List)} in a sysfs tree at {@code root} (a test's copy). */
    static Optional<Place> peerPort(Path root, int bus, List<Integer> portPath) {
        if (portPath.isEmpty()) {
            return Optional.empty(); // a root hub is on no port
        }
        List<Integer> hubPath = portPath.subList(0, portPath.size() - 1);
        String hub = deviceName(bus, hubPath);
        // the hub's interface (bus-0:1.0 for a root hub), holding its ports, usbB-portN or B-P-portN
        String itf = (hubPath.isEmpty() ? bus + "-0" : hub) + ":1.0";
        Path port = root.resolve(itf).resolve(hub + "-port" + portPath.getLast());
        try {
            Path peer = port.resolve("peer");
            if (!Files.exists(peer)) {
                return Optional.empty();
            }
            return parsePortName(peer.toRealPath().getFileName().toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unplugged meanwhile, or not a layout we know
        }
    }

    /** The place of the device that a port called {@code usb2-port1} or {@code 3-1.4-port2} would hold. */
    static Optional<Place> parsePortName(String name) {
        int at = name.lastIndexOf("-port");
        if (at <= 0) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(name.substring(at + 5));
            String hub = name.substring(0, at);
            if (hub.startsWith("usb")) {
                return Optional.of(new Place(Integer.parseInt(hub.substring(3)), List.of(port)));
            }
            int dash = hub.indexOf('-');
            if (dash <= 0) {
                return Optional.empty();
            }
            List<Integer> path = new java.util.ArrayList<>();
            for (String p : hub.substring(dash + 1).split("\\.")) {
                path.add(Integer.parseInt(p));
            }
            path.add(port);
            return Optional.of(new Place(Integer.parseInt(hub.substring(0, dash)), path));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True when the kernel offers usbfs device nodes (so libusb can work). */
    public static boolean hasUsbfs() {
        return Files.isDirectory(Path.of("/dev/bus/usb")) || Files.isDirectory(Path.of("/proc/bus/usb"));
    }
}
