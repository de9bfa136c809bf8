package dev.ausb;

import java.util.List;
import java.util.Optional;

/**
 * One alternate setting of an interface: its interface descriptor and its endpoints.
 *
 * <p>Obtained from {@link UsbInterface#alternateSettings()}; an immutable value, no I/O.
 *
 * @param interfaceNumber   {@code bInterfaceNumber}
 * @param alternateSetting  {@code bAlternateSetting}
 * @param interfaceClass    {@code bInterfaceClass}
 * @param interfaceSubclass {@code bInterfaceSubClass}
 * @param interfaceProtocol {@code bInterfaceProtocol}
 * @param nameIndex         {@code iInterface}: string index of its name, 0 for none
 * @param endpoints         its endpoints, in descriptor order (endpoint 0 is never listed)
 * @param extra             class-specific descriptors that followed it (HID, CDC, audio...)
 */
public record UsbAlternateSetting(int interfaceNumber, int alternateSetting, int interfaceClass,
        int interfaceSubclass, int interfaceProtocol, int nameIndex, List<UsbEndpoint> endpoints,
        List<UsbDescriptor> extra) {

    /** Makes the lists unmodifiable. */
    public UsbAlternateSetting {
        endpoints = List.copyOf(endpoints);
        extra = List.copyOf(extra);
    }

    /**
     * The endpoint with this address ({@code 0x81} is endpoint 1 IN), if the setting has it.
     *
     * @param address a {@code bEndpointAddress} with its direction bit
     * @return that endpoint, or empty
     */
    public Optional<UsbEndpoint> endpoint(int address) {
        return endpoints.stream().filter(e -> e.address() == address).findFirst();
    }

    /**
     * The concatenated bytes of {@link #extra()}.
     *
     * @return a new array of the extra descriptors' bytes, one after the other; empty if there are none
     */
    public byte[] extraBytes() {
        return UsbConfiguration.concat(extra);
    }

    /**
     * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
     * hex): {@code UsbAlternateSetting[interface=0, alternateSetting=0, class=0xff/0x00/0x00, endpoints=[...]]}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return String.format("UsbAlternateSetting[interface=%d, alternateSetting=%d, class=0x%02x/0x%02x/0x%02x, "
                + "nameIndex=%d, endpoints=%s, extra=%s]", interfaceNumber, alternateSetting, interfaceClass,
                interfaceSubclass, interfaceProtocol, nameIndex, endpoints, extra);
    }
}
