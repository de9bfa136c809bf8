package dev.ausb;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;

/**
 * A configuration descriptor with its interfaces, alternate settings and endpoints.
 *
 * <p>Obtained from {@link UsbDevice#configurations()}; an immutable value, no I/O.
 *
 * @param value             {@code bConfigurationValue}, the number to select it with
 * @param nameIndex         {@code iConfiguration}: string index of its name, 0 for none
 * @param attributes        {@code bmAttributes}: bit 6 self-powered, bit 5 remote wakeup
 * @param maxPower          {@code bMaxPower} as it stands, in units of 2 mA (8 mA at SuperSpeed)
 * @param maxPowerMilliamps the maximum current in milliamperes, for the speed the device runs at
 * @param totalLength       {@code wTotalLength}
 * @param interfaces        its interfaces by ascending number
 * @param associations      its interface association descriptors, in descriptor order
 * @param extra             descriptors between the configuration descriptor and its first interface,
 *                          other than interface associations (class-specific or vendor ones)
 */
public record UsbConfiguration(int value, int nameIndex, int attributes, int maxPower, int maxPowerMilliamps,
        int totalLength, List<UsbInterface> interfaces, List<UsbInterfaceAssociation> associations,
        List<UsbDescriptor> extra) {

    /** Makes the lists unmodifiable. */
    public UsbConfiguration {
        interfaces = List.copyOf(interfaces);
        associations = List.copyOf(associations);
        extra = List.copyOf(extra);
    }

    /**
     * True when bit 6 of {@code bmAttributes} says the device powers itself in this configuration.
     *
     * @return true when bit 6 of {@code bmAttributes} is set
     */
    public boolean selfPowered() {
        return (attributes & 0x40) != 0;
    }

    /**
     * True when bit 5 of {@code bmAttributes} says the device supports remote wakeup.
     *
     * @return true when bit 5 of {@code bmAttributes} is set
     */
    public boolean remoteWakeup() {
        return (attributes & 0x20) != 0;
    }

    /**
     * The interface with {@code bInterfaceNumber == number}, if the configuration has it.
     *
     * @param number a {@code bInterfaceNumber}
     * @return that interface with all its alternate settings, or empty
     */
    public Optional<UsbInterface> findInterface(int number) {
        return interfaces.stream().filter(i -> i.number() == number).findFirst();
    }

    /**
     * Where the endpoint with address {@code address} is, looking through every interface and
     * alternate setting: the first that carries it, by ascending interface number and then
     * alternate setting (an isochronous endpoint often appears in several alternate settings, each
     * with its own packet size: {@link #findEndpoints(int)} lists them all).
     *
     * @param address the endpoint address, {@code bEndpointAddress} (direction bit 0x80 included), 0..0xff
     * @return where it is, or empty if no alternate setting has it
     * @throws IllegalArgumentException if {@code address} is not 0..0xff
     */
    public Optional<UsbEndpointLocation> findEndpoint(int address) {
        return findEndpoints(address).stream().findFirst();
    }

    /**
     * Every place the endpoint with address {@code address} appears, by ascending interface number
     * and then alternate setting.
     *
     * @param address the endpoint address, {@code bEndpointAddress} (direction bit 0x80 included), 0..0xff
     * @return the places, empty if none
     * @throws IllegalArgumentException if {@code address} is not 0..0xff
     */
    public List<UsbEndpointLocation> findEndpoints(int address) {
        if (address < 0 || address > 0xff) {
            throw new IllegalArgumentException("an endpoint address is 0..0xff, not " + address);
        }
        return interfaces.stream().flatMap(i -> i.alternateSettings().stream())
                .flatMap(alt -> alt.endpoints().stream().filter(e -> e.address() == address)
                        .map(e -> new UsbEndpointLocation(alt, e)))
                .toList();
    }

    /**
     * The concatenated bytes of {@link #extra()}.
     *
     * @return a new array of the extra descriptors' bytes, one after the other; empty if there are none
     */
    public byte[] extraBytes() {
        return concat(extra);
    }

    static byte[] concat(List<UsbDescriptor> descriptors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (UsbDescriptor d : descriptors) {
            out.writeBytes(d.bytes());
        }
        return out.toByteArray();
    }

    /**
     * Parses the bytes of a whole configuration descriptor as {@code GET_DESCRIPTOR(CONFIGURATION)}
     * or {@code OTHER_SPEED_CONFIGURATION} returns them ({@link UsbDeviceHandle#readDescriptor(int, int)}),
     * as the library parses the ones it reads itself: leniently, like libusb and the kernel (a
     * truncated or zero-length descriptor ends the walk; an unknown one is kept as an extra).
     *
     * @param bytes the descriptor; an other-speed configuration's type byte (7) is accepted as a configuration's
     * @param speed the speed the device runs at ({@code bMaxPower} counts 8 mA at SuperSpeed, else 2 mA)
     * @return the configuration with its interfaces, alternate settings and endpoints
     * @throws IllegalArgumentException if the bytes do not start with a configuration descriptor header
     */
    public static UsbConfiguration parse(byte[] bytes, UsbSpeed speed) {
        byte[] b = bytes;
        if (b.length >= 2 && (b[1] & 0xff) == UsbDescriptorType.OTHER_SPEED_CONFIGURATION) {
            b = b.clone();
            b[1] = (byte) UsbDescriptorType.CONFIGURATION;
        }
        return dev.ausb.internal.DescriptorParser.parseConfiguration(b, speed.compareTo(UsbSpeed.SUPER) >= 0);
    }

    /**
     * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
     * hex): {@code UsbConfiguration[value=1, attributes=0x80, maxPower=100mA, interfaces=[...]]}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return String.format("UsbConfiguration[value=%d, nameIndex=%d, attributes=0x%02x, maxPower=%dmA, totalLength=%d, "
                + "interfaces=%s, associations=%s, extra=%s]", value, nameIndex, attributes, maxPowerMilliamps,
                totalLength, interfaces, associations, extra);
    }
}
