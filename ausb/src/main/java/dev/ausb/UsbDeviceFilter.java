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

    /**
     * Parses a device as people type it: vendor and product ids as {@code lsusb -d} takes them, or a
     * port path as Linux names devices in sysfs.
     *
     * <ul>
     * <li>{@code 1a0a:badd}, {@code 1a0a:} (any product of the vendor) or {@code :badd} (that product
     *     id of any vendor): ids in hex, 1 to 4 digits each, with an optional {@code 0x} prefix;</li>
     * <li>{@code 3-1.2}: bus 3, then port 1 of the root hub and port 2 of the hub there (buses 1 to
     *     255, ports 1 to 255, at most 7 ports as USB 3 allows), or {@code usb3}, bus 3's root hub.</li>
     * </ul>
     * The colon tells ids from a path. {@code lsusb -s}'s {@code BUS:DEV} form is also written with a
     * colon, but in decimal, and {@code 1:2} reads as well either way, so it has its own method,
     * {@link #parseBusAddress(String)}; this method never reads {@code BUS:DEV}.
     * {@snippet :
     * UsbDeviceFilter.parse("1a0a:badd");  // vendorId=0x1a0a, productId=0xbadd
     * UsbDeviceFilter.parse("3-1.2");      // bus=3, portPath=1.2
     * }
     * Strict: no sign, no space, no empty id on both sides, no value out of range.
     *
     * @param text the device, as above
     * @return a filter with the criteria the text names
     * @throws IllegalArgumentException if {@code text} has none of these forms; the message names the
     *         text and the forms accepted
     * @throws NullPointerException if {@code text} is null
     */
    public static UsbDeviceFilter parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.contains(":")) {
            return parseIds(text);
        }
        if (text.startsWith("usb")) {
            return any().bus(decimal(text.substring(3), 1, 255, text, "a bus number")).portPath();
        }
        if (text.contains("-")) {
            int dash = text.indexOf('-');
            int bus = decimal(text.substring(0, dash), 1, 255, text, "a bus number");
            String[] ports = text.substring(dash + 1).split("\\.", -1);
            if (ports.length > 7) {
                throw bad(text, "a port path has at most 7 ports, not " + ports.length);
            }
            int[] path = new int[ports.length];
            for (int i = 0; i < ports.length; i++) {
                path[i] = decimal(ports[i], 1, 255, text, "a port number");
            }
            return any().bus(bus).portPath(path);
        }
        throw bad(text, null);
    }

    private static UsbDeviceFilter parseIds(String text) {
        int colon = text.indexOf(':');
        String v = text.substring(0, colon);
        String p = text.substring(colon + 1);
        if (v.isEmpty() && p.isEmpty()) {
            throw bad(text, "give the vendor id, the product id or both");
        }
        UsbDeviceFilter f = any();
        if (!v.isEmpty()) {
            f = f.vendorId(hex16(v, text, "a vendor id"));
        }
        return p.isEmpty() ? f : f.productId(hex16(p, text, "a product id"));
    }

    /**
     * Parses a device as {@code lsusb -s} takes it: {@code [[BUS]:][DEV]} in decimal, such as
     * {@code 3:2} (device 2 on bus 3), {@code 3:} (every device on bus 3), {@code :2} or {@code 2}
     * (device 2 on any bus). Leading zeros are fine, so lsusb's own {@code 003:002} works. Buses are 1
     * to 255 and device addresses 1 to 127.
     *
     * <p>A method of its own because {@code BUS:DEV} and {@code VID:PID} look alike: {@code 1:2} is
     * either; {@link #parse(String)} reads ids and paths.
     *
     * @param text the bus and address, as above
     * @return a filter on the bus, the address or both
     * @throws IllegalArgumentException if {@code text} is not of this form or a number is out of
     *         range; the message names the text and the form accepted
     * @throws NullPointerException if {@code text} is null
     */
    public static UsbDeviceFilter parseBusAddress(String text) {
        Objects.requireNonNull(text, "text");
        String form = "[[BUS]:][DEV] in decimal, as lsusb -s takes it (3:2, 3:, :2 or 2)";
        int colon = text.indexOf(':');
        if (text.isEmpty() || colon != text.lastIndexOf(':') || text.equals(":")) {
            throw new IllegalArgumentException("not " + form + ": \"" + text + "\"");
        }
        UsbDeviceFilter f = any();
        String bus = colon < 0 ? "" : text.substring(0, colon);
        String dev = colon < 0 ? text : text.substring(colon + 1);
        try {
            if (!bus.isEmpty()) {
                f = f.bus(decimal(bus, 1, 255, text, "a bus number"));
            }
            return dev.isEmpty() ? f : f.address(decimal(dev, 1, 127, text, "a device address"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace(ACCEPTED, form), e);
        }
    }

    private static final String ACCEPTED = "VID:PID in hex (1a0a:badd, 1a0a:, :badd) or a port path (3-1.2, usb3)";

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("not " + ACCEPTED + ": \"" + text + "\"" + (why == null ? "" : "; " + why));
    }

    /** 1 to 4 hex digits, an optional 0x before them. */
    private static int hex16(String s, String text, String what) {
        String digits = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        if (digits.isEmpty() || digits.length() > 4 || !digits.chars().allMatch(UsbDeviceFilter::isHexDigit)) {
            throw bad(text, what + " is 1 to 4 hex digits, not \"" + s + "\"");
        }
        return Integer.parseInt(digits, 16);
    }

    private static boolean isHexDigit(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** Decimal digits only (leading zeros allowed), within min..max. */
    private static int decimal(String s, int min, int max, String text, String what) {
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(text, what + " is a decimal number, not \"" + s + "\"");
        }
        String digits = s.replaceFirst("^0+(?=.)", "");
        int n = digits.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        if (n < min || n > max) {
            throw bad(text, what + " is " + min + " to " + max + ", not " + s);
        }
        return n;
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
