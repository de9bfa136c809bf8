package dev.ausb.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.ausb.UsbBos;
import dev.ausb.UsbConfiguration;
import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceDescriptor;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDeviceStrings;
import dev.ausb.UsbSpeed;
import dev.ausb.UsbVersion;
import dev.ausb.internal.libusb.ConfigBytes;
import dev.ausb.internal.libusb.LibUsb;
import dev.ausb.internal.libusb.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * The implementation of {@link UsbDevice}: the descriptors read once at first enumeration, and one
 * libusb reference to the device, held until the context closes.
 */
final class DeviceImpl implements UsbDevice {
    private final ContextImpl context;
    private final MemorySegment pointer;
    private final int bus;
    private final int address;
    private final int portNumber;
    private final List<Integer> portPath;
    private final UsbSpeed speed;
    private final UsbDeviceDescriptor descriptor;
    private final List<UsbConfiguration> configurations;
    private final String sysfsName;
    private volatile DeviceImpl parent;
    private volatile boolean attached = true;
    private List<String> problems = List.of();
    /** Handles open on it now; guarded by this. */
    private int openHandles;
    /** Dropped by the context (detached and not open): its libusb reference is gone. Guarded by this. */
    private boolean dropped;

    private DeviceImpl(ContextImpl context, MemorySegment pointer, int bus, int address, int portNumber,
            List<Integer> portPath, UsbSpeed speed, UsbDeviceDescriptor descriptor,
            List<UsbConfiguration> configurations) {
        this.context = context;
        this.pointer = pointer;
        this.bus = bus;
        this.address = address;
        this.portNumber = portNumber;
        this.portPath = portPath;
        this.speed = speed;
        this.descriptor = descriptor;
        this.configurations = configurations;
        this.sysfsName = LinuxSysfs.deviceName(bus, portPath);
    }

    /** Reads everything about a device from libusb and takes a reference to it. */
    static DeviceImpl read(ContextImpl context, MemorySegment dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ports = a.allocate(8);
            int n = LibUsb.getPortNumbers(dev, ports, 8);
            List<Integer> path = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                path.add(Byte.toUnsignedInt(ports.get(JAVA_BYTE, i)));
            }
            MemorySegment dd = a.allocate(Structs.DEVICE_DESCRIPTOR);
            Errors.check(LibUsb.getDeviceDescriptor(dev, dd), "libusb_get_device_descriptor");
            UsbDeviceDescriptor descriptor = new UsbDeviceDescriptor(
                    new UsbVersion(Short.toUnsignedInt(dd.get(JAVA_SHORT, 2))), u8(dd, 4), u8(dd, 5), u8(dd, 6),
                    u8(dd, 7), Short.toUnsignedInt(dd.get(JAVA_SHORT, 8)), Short.toUnsignedInt(dd.get(JAVA_SHORT, 10)),
                    new UsbVersion(Short.toUnsignedInt(dd.get(JAVA_SHORT, 12))), u8(dd, 14), u8(dd, 15), u8(dd, 16),
                    u8(dd, 17));
            UsbSpeed speed = speedOf(LibUsb.getDeviceSpeed(dev));
            int bus = LibUsb.getBusNumber(dev);
            int address = LibUsb.getDeviceAddress(dev);
            boolean superSpeed = speed.compareTo(UsbSpeed.SUPER) >= 0;
            List<UsbConfiguration> configs = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            MemorySegment out = a.allocate(ADDRESS);
            for (int i = 0; i < descriptor.numConfigurations(); i++) {
                int rc = LibUsb.getConfigDescriptor(dev, i, out);
                if (rc < 0) {
                    problems.add(String.format("the configuration at index %d could not be parsed (%s): its descriptors are"
                            + " malformed or missing", i, Errors.errorName(rc)));
                    continue;
                }
                MemorySegment cfg = out.get(ADDRESS, 0);
                try {
                    configs.add(DescriptorParser.parseConfiguration(ConfigBytes.serialize(cfg), superSpeed));
                } catch (RuntimeException malformed) { // one bad device must not break the whole list
                    problems.add(String.format("the configuration at index %d is malformed: %s", i, malformed.getMessage()));
                } finally {
                    LibUsb.freeConfigDescriptor(cfg);
                }
            }
            // what the kernel and libusb repaired quietly, seen in the bytes the kernel kept
            String sysfs = LinuxSysfs.deviceName(bus, path);
            LinuxSysfs.rawDescriptors(sysfs).filter(raw -> LinuxSysfs.isDevice(sysfs, address, descriptor.vendorId(),
                    descriptor.productId(), raw)).ifPresent(raw -> {
                for (byte[] config : DescriptorCheck.configurations(raw)) {
                    problems.addAll(DescriptorCheck.problems(config));
                }
            });
            for (String p : problems) {
                ContextImpl.LOG.log(System.Logger.Level.WARNING, String.format("%04x:%04x (bus %d, device %d): %s",
                        descriptor.vendorId(), descriptor.productId(), bus, address, p));
            }
            DeviceImpl d = new DeviceImpl(context, LibUsb.refDevice(dev), bus, address, LibUsb.getPortNumber(dev),
                    List.copyOf(path), speed, descriptor, List.copyOf(configs));
            d.problems = List.copyOf(problems);
            return d;
        }
    }

    private static int u8(MemorySegment s, long off) {
        return Byte.toUnsignedInt(s.get(JAVA_BYTE, off));
    }

    static UsbSpeed speedOf(int libusbSpeed) {
        return switch (libusbSpeed) {
            case 1 -> UsbSpeed.LOW;
            case 2 -> UsbSpeed.FULL;
            case 3 -> UsbSpeed.HIGH;
            case 4 -> UsbSpeed.SUPER;
            case 5 -> UsbSpeed.SUPER_PLUS;
            case 6 -> UsbSpeed.SUPER_PLUS_X2;
            default -> UsbSpeed.UNKNOWN;
        };
    }

    MemorySegment pointer() {
        return pointer;
    }

    /**
     * Runs {@code op} with the libusb device, which stays referenced meanwhile; fails with
     * device-gone once the context dropped it.
     */
    synchronized <T> T withDevice(String what, java.util.function.Supplier<T> op) {
        if (dropped) {
            throw Errors.of(Errors.ERROR_NO_DEVICE, what + " " + label() + ": the device was unplugged", null);
        }
        return op.get();
    }

    /** A handle was opened on it. Caller holds this (inside withDevice). */
    void opened() {
        openHandles++;
    }

    /** The context is closing: unref unless already dropped. */
    synchronized void dropAtExit() {
        if (!dropped) {
            dropped = true;
            LibUsb.unrefDevice(pointer);
        }
    }

    /** A handle of it was closed. */
    synchronized void closed() {
        openHandles--;
    }

    /**
     * Drops the device if it is detached and no handle is open: unrefs it, so the context does
     * not keep every device it ever saw. Returns true if dropped. Caller holds the context's device lock.
     */
    synchronized boolean dropIfUnused() {
        if (attached || openHandles > 0 || dropped) {
            return false;
        }
        dropped = true;
        LibUsb.unrefDevice(pointer);
        return true;
    }

    ContextImpl contextImpl() {
        return context;
    }

    void setParent(DeviceImpl parent) {
        this.parent = parent;
    }

    /**
     * Sets what the latest device list says. A device that left stays left: a list taken before
     * its leave event, applied after it, does not bring it back.
     */
    void setAttached(boolean attached) {
        synchronized (this) {
            if (!left) {
                this.attached = attached;
                left = !attached;
            }
        }
    }

    /** It left (its hotplug LEFT event, or a device list without it): for good. */
    void markLeft() {
        synchronized (this) {
            left = true;
            attached = false;
        }
    }

    /** Set once the device left; it never comes back as this object. Guarded by this; read unlocked. */
    private volatile boolean left;

    /**
     * When the context made this object, on its clock of device lists ({@link ContextImpl}): a list
     * taken before that cannot say the device left. Guarded by the context's device lock.
     */
    long born;

    /** Its hotplug LEFT event was processed: no later event will look for its tombstone. Guarded by the device lock. */
    boolean leftEventSeen;

    /** "1a0a:badd (bus 3, device 2)": how messages name the device. */
    String label() {
        return String.format("%04x:%04x (bus %d, device %d)", descriptor.vendorId(), descriptor.productId(), bus,
                address);
    }

    @Override
    public UsbContext context() {
        return context;
    }

    @Override
    public int bus() {
        return bus;
    }

    @Override
    public int address() {
        return address;
    }

    @Override
    public int portNumber() {
        return portNumber;
    }

    @Override
    public List<Integer> portPath() {
        return portPath;
    }

    @Override
    public Optional<UsbDevice> parent() {
        return Optional.ofNullable(parent);
    }

    @Override
    public UsbSpeed speed() {
        return speed;
    }

    @Override
    public UsbDeviceDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public List<UsbConfiguration> configurations() {
        return configurations;
    }

    @Override
    public List<String> descriptorProblems() {
        return problems;
    }

    /** The strings sysfs had for this device, once read; null before. */
    private volatile UsbDeviceStrings strings;

    /**
     * The kernel's copies of the strings (sysfs), checked to be this device's (its device number at
     * its place), and kept while it is attached: they do not change for this device, and a filter
     * on the serial number can still match it once it has left (and sysfs with it). No device I/O.
     */
    Optional<UsbDeviceStrings> sysfsStrings() {
        UsbDeviceStrings known = strings;
        if (known != null) {
            return Optional.of(known);
        }
        Optional<UsbDeviceStrings> read = LinuxSysfs.strings(sysfsName, address, descriptor.manufacturerIndex() != 0,
                descriptor.productIndex() != 0, descriptor.serialNumberIndex() != 0);
        if (read.isPresent() && attached) {
            strings = read.get();
        }
        return read;
    }

    @Override
    public UsbDeviceStrings readStrings() {
        context.checkOpen();
        Optional<UsbDeviceStrings> cached = sysfsStrings();
        if (cached.isPresent()) {
            return cached.get();
        }
        if (LibUsb.hasDeviceString()) {
            return context.withOpen(() -> new UsbDeviceStrings(cachedString(0, descriptor.manufacturerIndex()),
                    cachedString(1, descriptor.productIndex()), cachedString(2, descriptor.serialNumberIndex())));
        }
        try (UsbDeviceHandle h = open()) {
            return h.readStrings();
        }
    }

    private Optional<String> cachedString(int type, int index) {
        if (index == 0) {
            return Optional.empty();
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(512);
            int n = withDevice("read string " + index + " of", () -> LibUsb.getDeviceString(pointer, type, buf,
                    (int) buf.byteSize()));
            if (n < 0) {
                throw Errors.of(n, "read string " + index + " of " + label(), null);
            }
            return Optional.of(new String(buf.asSlice(0, Math.min(n, 511)).toArray(JAVA_BYTE), StandardCharsets.UTF_8)
                    .replace("\0", ""));
        }
    }

    @Override
    public Optional<UsbBos> readBos() {
        try (UsbDeviceHandle h = open()) {
            return h.readBos();
        }
    }

    @Override
    public UsbDeviceHandle open() {
        return context.withOpen(() -> HandleImpl.open(this));
    }

    @Override
    public CompletableFuture<UsbDeviceHandle> openAsync() {
        context.checkOpen();
        CompletableFuture<UsbDeviceHandle> f = new CompletableFuture<>();
        Thread.ofVirtual().name("ausb-open").start(() -> {
            try {
                f.complete(open());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    @Override
    public Optional<String> kernelDriver(int interfaceNumber) {
        return LinuxSysfs.interfaceDriver(sysfsName, interfaceNumber);
    }

    @Override
    public Optional<String> hostControllerDriver() {
        return LinuxSysfs.hostControllerDriver(bus);
    }

    @Override
    public OptionalInt hubPortCount() {
        return isHub() ? LinuxSysfs.hubPorts(sysfsName) : OptionalInt.empty();
    }

    @Override
    public OptionalInt cachedActiveConfiguration() {
        return LinuxSysfs.activeConfiguration(sysfsName);
    }

    /** True while the last enumeration listed the device, and no hotplug event said it left. */
    boolean attached() {
        return attached;
    }

    @Override
    public boolean isAttached() {
        return attached;
    }

    @Override
    public String toString() {
        return String.format("Bus %03d Device %03d: ID %04x:%04x", bus, address, descriptor.vendorId(),
                descriptor.productId());
    }
}
