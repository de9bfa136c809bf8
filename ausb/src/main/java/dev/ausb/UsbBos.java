package dev.ausb;

import java.util.List;
import java.util.Optional;

/**
 * A device's Binary device Object Store (BOS) descriptor: the device capabilities it declares.
 * Devices with {@code bcdUSB} 2.01 or later have one.
 *
 * <p>Obtained from {@link UsbDeviceHandle#readBos()} or {@link UsbDevice#readBos()}, which do I/O;
 * the value itself is immutable.
 *
 * @param totalLength  {@code wTotalLength}
 * @param capabilities the capability descriptors in order
 */
public record UsbBos(int totalLength, List<UsbBosCapability> capabilities) {
    /** Makes the list unmodifiable. */
    public UsbBos {
        capabilities = List.copyOf(capabilities);
    }

    /**
     * The first capability of the given kind, such as {@code UsbBosCapability.ContainerId.class}.
     *
     * @param <T>  the capability's type
     * @param kind the capability's class, one of {@link UsbBosCapability}'s records
     * @return the first capability of that class, or empty if the BOS has none
     */
    public <T extends UsbBosCapability> Optional<T> capability(Class<T> kind) {
        return capabilities.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    /**
     * Parses the bytes of a whole BOS descriptor ({@code wTotalLength} bytes), as
     * {@link UsbDeviceHandle#readBos()} does.
     *
     * @param bytes the whole BOS descriptor, its header first
     * @return the BOS with its capabilities, unknown ones as {@link UsbBosCapability.Other}
     * @throws IllegalArgumentException if the bytes do not start with a BOS header
     */
    public static UsbBos parse(byte[] bytes) {
        return dev.ausb.internal.DescriptorParser.parseBos(bytes);
    }

    /**
     * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
     * hex): {@code UsbBos[totalLength=22, capabilities=[...]]}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return "UsbBos[totalLength=" + totalLength + ", capabilities=" + capabilities + "]";
    }
}
