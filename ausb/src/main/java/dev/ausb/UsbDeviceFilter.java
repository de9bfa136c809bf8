package dev.ausb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Criteria that select devices, for {@link UsbContext#findOne}, {@link UsbContext#findAny} and
 * {@link UsbContext#findAll}.
 *
 * <p>Immutable: each method returns a new filter that also requires the named criterion, so
 * filters are built by chaining from {@link #any()}:
 * {@snippet :
 * UsbDeviceFilter ft2232 = UsbDeviceFilter.any().vendorId(0x0403).productId(0x6010);
 * UsbDeviceFilter someHub = UsbDeviceFilter.any().usbClass(0x09, 0x00);
 * }
 * Every criterion but {@link #serialNumber(String)} reads only cached descriptors (no I/O).
 * {@link #toString()} lists the criteria, as error messages show them.
 */
public final class UsbDeviceFilter implements Predicate<UsbDevice> {
    private record Criterion(String description, Predicate<UsbDevice> test) {}

    private static final UsbDeviceFilter ANY = new UsbDeviceFilter(List.of());

    private final List<Criterion> criteria;

    private UsbDeviceFilter(List<Criterion> criteria) {
        this.criteria = criteria;
    }

    /**
     * The filter every device passes.
     *
     * @return the filter with no criteria; its {@link #toString()} is {@code any device}
     */
    public static UsbDeviceFilter any() {
        return ANY;
    }

    /**
     * Shorthand for {@code any().vendorId(vendorId).productId(productId)}.
     *
     * @param vendorId  {@code idVendor}, 0..0xffff
     * @param productId {@code idProduct}, 0..0xffff
     * @return a filter of that vendor and product id
     * @throws IllegalArgumentException if an id is not 0..0xffff
     */
    public static UsbDeviceFilter of(int vendorId, int productId) {
        return any().vendorId(vendorId).productId(productId);
    }

    private UsbDeviceFilter and(String description, Predicate<UsbDevice> test) {
        List<Criterion> more = new ArrayList<>(criteria);
        more.add(new Criterion(description, test));
        return new UsbDeviceFilter(List.copyOf(more));
    }

    private static int checkU16(String what, int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(what + " is 16 bits, not " + value);
        }
        return value;
    }

    private static int checkU8(String what, int value) {
        if (value < 0 || value > 0xff) {
            throw new IllegalArgumentException(what + " is 8 bits, not " + value);
        }
        return value;
    }

    /**
     * Also requires {@code idVendor == vendorId}.
     *
     * @param vendorId {@code idVendor}, 0..0xffff, such as {@code 0x1d6b}
     * @return a new filter with this criterion added; this one is unchanged
     * @throws IllegalArgumentException if {@code vendorId} is not 0..0xffff
     */
    public UsbDeviceFilter vendorId(int vendorId) {
        checkU16("a vendor id", vendorId);
        return and(String.format("vendorId=0x%04x", vendorId), d -> d.vendorId() == vendorId);
    }

    /**
     * Also requires {@code idProduct == productId}.
     *
     * @param productId {@code idProduct}, 0..0xffff
     * @return a new filter with this criterion added; this one is unchanged
     * @throws IllegalArgumentException if {@code productId} is not 0..0xffff
     */
    public UsbDeviceFilter productId(int productId) {
        checkU16("a product id", productId);
        return and(String.format("productId=0x%04x", productId), d -> d.productId() == productId);
    }

    /**
     * Also requires the class code on the device, or on any alternate setting of any configuration.
     *
     * @param usbClass the class code, 0..255 ({@link UsbClassCode})
     * @return a new filter with this criterion added; this one is unchanged
     * @throws IllegalArgumentException if a code is not 0..255
     */
    public UsbDeviceFilter usbClass(int usbClass) {
        checkU8("a class code", usbClass);
        return and(String.format("class=0x%02x", usbClass), d -> hasClass(d, usbClass, -1, -1));
    }

    /**
     * Also requires the class and subclass, on the device or on any alternate setting.
     *
     * @param usbClass the class code, 0..255 ({@link UsbClassCode})
     * @param subclass the subclass code, 0..255, in the same descriptor as the class
     * @return a new filter with this criterion added; this one is unchanged
     * @throws IllegalArgumentException if a code is not 0..255
     */
    public UsbDeviceFilter usbClass(int usbClass, int subclass) {
        checkU8("a class code", usbClass);
        checkU8("a subclass code", subclass);
        return and(String.format("class=0x%02x/0x%02x", usbClass, subclass), d -> hasClass(d, usbClass, subclass, -1));
    }

    /**
     * Also requires class, subclass and protocol, on the device or on any alternate setting.
     *
     * @param usbClass the class code, 0..255 ({@link UsbClassCode})
     * @param subclass the subclass code, 0..255, in the same descriptor as the class
     * @param protocol the protocol code, 0..255, in the same descriptor as the class
     * @return a new filter with this criterion added; this one is unchanged
     * @throws IllegalArgumentException if a code is not 0..255
     */
    public UsbDeviceFilter usbClass(int usbClass, int subclass, int protocol) {
        checkU8("a class code", usbClass);
        checkU8("a subclass code", subclass);
        checkU8("a protocol code", protocol);
        return and(String.format("class=0x%02x/0x%02x/0x%02x", usbClass, subclass, protocol),
                d -> hasClass(d, usbClass, subclass, protocol));
    }

    private static boolean hasClass(UsbDevice d, int c, int s, int p) {
        UsbDeviceDescriptor dd = d.descriptor();
        if (matches(dd.deviceClass(), dd.deviceSubclass(), dd.deviceProtocol(), c, s, p)) {
            return true;
        }
        return d.configurations().stream().flatMap(cfg -> cfg.interfaces().stream())
                .flatMap(i -> i.alternateSettings().stream())
                .anyMatch(a -> matches(a.interfaceClass(), a.interfaceSubclass(), a.interfaceProtocol(), c, s, p));
    }

    private static boolean matches(int cls, int sub, int proto, int c, int s, int p) {
        return cls == c && (s < 0 || sub == s) && (p < 0 || proto == p);
    }

    /**
     * Also requires the device to be on this bus.
     *
     * @param bus the bus number, 0..255, as {@link UsbDevice#bus()} gives it
     * @return a new filter with this criterion added; this one is unchanged
     * @throws IllegalArgumentException if {@code bus} is not 0..255
     */
    public UsbDeviceFilter bus(int bus) {
        checkU8("a bus number", bus);
        return and("bus=" + bus, d -> d.bus() == bus);
    }

    /**
     * Also requires this device address on its bus.
     *
     * @param address the device address on its bus, 0..255, as {@link UsbDevice#address()} gives it
     * @return a new filter with this criterion added; this one is unchanged
     * @throws IllegalArgumentException if {@code address} is not 0..255
     */
    public UsbDeviceFilter address(int address) {
        checkU8("a device address", address);
        return and("address=" + address, d -> d.address() == address);
    }

    /**
     * Also requires this port path from the root hub, such as {@code 1, 2} for port 2 of the hub on
     * root port 1 ({@code 1-1.2} in Linux sysfs naming). Pair it with {@link #bus(int)}.
     *
     * @param path the port numbers from the root hub down, as {@link UsbDevice#portPath()} gives them;
     *             none matches devices without a port path (root hubs)
     * @return a new filter with this criterion added; this one is unchanged
     */
    public UsbDeviceFilter portPath(int... path) {
        List<Integer> want = Arrays.stream(path).boxed().toList();
        return and("portPath=" + want.stream().map(String::valueOf).collect(Collectors.joining(".")),
                d -> d.portPath().equals(want));
    }

    /**
     * Also requires this serial number. This criterion does I/O: it reads each candidate's serial
     * number string (see {@link UsbDevice#readStrings()}); a device whose serial number cannot be
     * read, for lack of permission say, does not match.
     *
     * @param serialNumber the serial number string, compared exactly
     * @return a new filter with this criterion added; this one is unchanged
     */
    public UsbDeviceFilter serialNumber(String serialNumber) {
        Objects.requireNonNull(serialNumber, "serialNumber");
        return and("serialNumber=" + serialNumber, d -> {
            if (d.descriptor().serialNumberIndex() == 0) {
                return false;
            }
            try {
                return d.readStrings().serialNumber().filter(serialNumber::equals).isPresent();
            } catch (UsbException unreadable) {
                return false;
            }
        });
    }

    /**
     * Also requires an arbitrary predicate; {@code description} stands for it in messages.
     *
     * @param description how the criterion reads in {@link #toString()} and error messages
     * @param predicate   true for the devices that meet it, called for each candidate device
     * @return a new filter with this criterion added; this one is unchanged
     */
    public UsbDeviceFilter matching(String description, Predicate<? super UsbDevice> predicate) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(predicate, "predicate");
        return and(description, predicate::test);
    }

    /** True when the device meets every criterion. */
    @Override
    public boolean test(UsbDevice device) {
        for (Criterion c : criteria) {
            if (!c.test().test(device)) {
                return false;
            }
        }
        return true;
    }

    /** The criteria, such as {@code vendorId=0x1a0a, productId=0xbadd}; {@code any device} for none. */
    @Override
    public String toString() {
        return criteria.isEmpty() ? "any device"
                : criteria.stream().map(Criterion::description).collect(Collectors.joining(", "));
    }
}
