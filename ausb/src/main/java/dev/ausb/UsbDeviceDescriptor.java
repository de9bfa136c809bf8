package dev.ausb;

/**
 * The device descriptor: identity, class and capabilities common to all configurations.
 *
 * <p>Obtained from {@link UsbDevice#descriptor()}; an immutable value, no I/O.
 *
 * @param usbVersion          {@code bcdUSB}, the USB specification release
 * @param deviceClass         {@code bDeviceClass} (0: per interface; 0xef with IADs; 0xff vendor)
 * @param deviceSubclass      {@code bDeviceSubClass}
 * @param deviceProtocol      {@code bDeviceProtocol}
 * @param rawMaxPacketSize0   {@code bMaxPacketSize0} as it stands (an exponent for USB 3)
 * @param vendorId            {@code idVendor}
 * @param productId           {@code idProduct}
 * @param deviceVersion       {@code bcdDevice}, the device release
 * @param manufacturerIndex   {@code iManufacturer}: string index, 0 for none
 * @param productIndex        {@code iProduct}: string index, 0 for none
 * @param serialNumberIndex   {@code iSerialNumber}: string index, 0 for none
 * @param numConfigurations   {@code bNumConfigurations}
 */
public record UsbDeviceDescriptor(UsbVersion usbVersion, int deviceClass, int deviceSubclass, int deviceProtocol,
        int rawMaxPacketSize0, int vendorId, int productId, UsbVersion deviceVersion, int manufacturerIndex,
        int productIndex, int serialNumberIndex, int numConfigurations) {

    /**
     * The maximum packet size of endpoint 0 in bytes. USB 3 devices ({@code bcdUSB >= 3.00}) store
     * it as a power of two (9 means 512); older ones store the size.
     *
     * @return the size in bytes, such as 64 or 512
     */
    public int maxPacketSize0() {
        return usbVersion.bcd() >= 0x0300 && rawMaxPacketSize0 < 16 ? 1 << rawMaxPacketSize0 : rawMaxPacketSize0;
    }

    /**
     * Parses the 18 bytes of a device descriptor as sent on the wire (little-endian).
     *
     * @param b the descriptor's bytes, at least 18 (any after the 18th are ignored; the type byte is
     *          not checked)
     * @return the decoded descriptor
     * @throws IllegalArgumentException if there are fewer than 18 bytes
     */
    public static UsbDeviceDescriptor parse(byte[] b) {
        if (b.length < 18) {
            throw new IllegalArgumentException("a device descriptor has 18 bytes, got " + b.length);
        }
        return new UsbDeviceDescriptor(new UsbVersion(u16(b, 2)), u8(b, 4), u8(b, 5), u8(b, 6), u8(b, 7),
                u16(b, 8), u16(b, 10), new UsbVersion(u16(b, 12)), u8(b, 14), u8(b, 15), u8(b, 16), u8(b, 17));
    }

    private static int u8(byte[] b, int i) {
        return Byte.toUnsignedInt(b[i]);
    }

    private static int u16(byte[] b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8;
    }

    /**
     * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
     * hex): {@code UsbDeviceDescriptor[vendorId=0x1a0a, productId=0xbadd, usbVersion=2.00, class=0x00/0x00/0x00, ...]}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return String.format("UsbDeviceDescriptor[vendorId=0x%04x, productId=0x%04x, usbVersion=%s, class=0x%02x/0x%02x/0x%02x, "
                + "maxPacketSize0=%d, deviceVersion=%s, manufacturerIndex=%d, productIndex=%d, serialNumberIndex=%d, "
                + "numConfigurations=%d]", vendorId, productId, usbVersion, deviceClass, deviceSubclass, deviceProtocol,
                maxPacketSize0(), deviceVersion, manufacturerIndex, productIndex, serialNumberIndex, numConfigurations);
    }
}
