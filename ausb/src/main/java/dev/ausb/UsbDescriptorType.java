package dev.ausb;

/**
 * Descriptor types ({@code bDescriptorType}, and the high byte of GET_DESCRIPTOR's {@code wValue}):
 * the standard ones of USB 3.2 table 9-6 and the class ones libraries meet most (HID, hub,
 * class-specific interface and endpoint). Read any of them with {@link UsbDeviceHandle#readDescriptor}.
 */
public final class UsbDescriptorType {
    private UsbDescriptorType() {}

    /** The device descriptor (18 bytes). */
    public static final int DEVICE = 0x01;
    /** A configuration descriptor with everything under it ({@code wTotalLength} bytes). */
    public static final int CONFIGURATION = 0x02;
    /** A string descriptor (index 0: the language ids). */
    public static final int STRING = 0x03;
    /** An interface descriptor (inside a configuration). */
    public static final int INTERFACE = 0x04;
    /** An endpoint descriptor (inside a configuration). */
    public static final int ENDPOINT = 0x05;
    /** The device qualifier: how a high-speed capable device would look at the other speed. */
    public static final int DEVICE_QUALIFIER = 0x06;
    /** A configuration as it would be at the other speed (high-speed capable devices). */
    public static final int OTHER_SPEED_CONFIGURATION = 0x07;
    /** Interface power (obsolete). */
    public static final int INTERFACE_POWER = 0x08;
    /** On-The-Go capabilities. */
    public static final int OTG = 0x09;
    /** The debug descriptor (a debug port). */
    public static final int DEBUG = 0x0a;
    /** An interface association (inside a configuration). */
    public static final int INTERFACE_ASSOCIATION = 0x0b;
    /** The binary device object store (device capabilities; USB 2.01 and later). */
    public static final int BOS = 0x0f;
    /** A device capability (inside the BOS). */
    public static final int DEVICE_CAPABILITY = 0x10;
    /** HID's class descriptor (inside a HID interface); DFU's functional descriptor has the same value. */
    public static final int HID = 0x21;
    /** A HID report descriptor (read with recipient interface). */
    public static final int HID_REPORT = 0x22;
    /** A HID physical descriptor. */
    public static final int HID_PHYSICAL = 0x23;
    /** A class-specific device descriptor (same value as {@link #HID}). */
    public static final int CS_DEVICE = 0x21;
    /** A class-specific configuration descriptor. */
    public static final int CS_CONFIGURATION = 0x22;
    /** A class-specific string descriptor. */
    public static final int CS_STRING = 0x23;
    /** A class-specific interface descriptor (audio, video, CDC: inside a configuration). */
    public static final int CS_INTERFACE = 0x24;
    /** A class-specific endpoint descriptor. */
    public static final int CS_ENDPOINT = 0x25;
    /** The hub descriptor of a USB 2.0 hub (a class request). */
    public static final int HUB = 0x29;
    /** The hub descriptor of a SuperSpeed hub (a class request). */
    public static final int SUPERSPEED_HUB = 0x2a;
    /** The SuperSpeed endpoint companion (after a SuperSpeed endpoint). */
    public static final int SUPERSPEED_ENDPOINT_COMPANION = 0x30;
    /** The SuperSpeedPlus isochronous endpoint companion. */
    public static final int SUPERSPEEDPLUS_ISOCH_ENDPOINT_COMPANION = 0x31;

    /**
     * The name of a descriptor type (the first declared where two share a value).
     *
     * @param value a {@code bDescriptorType} value
     * @return the constant's name as declared here, such as {@code DEVICE}, or empty if none has the value
     */
    public static java.util.Optional<String> name(int value) {
        return switch (value) {
            case 0x01 -> java.util.Optional.of("DEVICE");
            case 0x02 -> java.util.Optional.of("CONFIGURATION");
            case 0x03 -> java.util.Optional.of("STRING");
            case 0x04 -> java.util.Optional.of("INTERFACE");
            case 0x05 -> java.util.Optional.of("ENDPOINT");
            case 0x06 -> java.util.Optional.of("DEVICE_QUALIFIER");
            case 0x07 -> java.util.Optional.of("OTHER_SPEED_CONFIGURATION");
            case 0x08 -> java.util.Optional.of("INTERFACE_POWER");
            case 0x09 -> java.util.Optional.of("OTG");
            case 0x0a -> java.util.Optional.of("DEBUG");
            case 0x0b -> java.util.Optional.of("INTERFACE_ASSOCIATION");
            case 0x0f -> java.util.Optional.of("BOS");
            case 0x10 -> java.util.Optional.of("DEVICE_CAPABILITY");
            case 0x21 -> java.util.Optional.of("HID");
            case 0x22 -> java.util.Optional.of("HID_REPORT");
            case 0x23 -> java.util.Optional.of("HID_PHYSICAL");
            case 0x24 -> java.util.Optional.of("CS_INTERFACE");
            case 0x25 -> java.util.Optional.of("CS_ENDPOINT");
            case 0x29 -> java.util.Optional.of("HUB");
            case 0x2a -> java.util.Optional.of("SUPERSPEED_HUB");
            case 0x30 -> java.util.Optional.of("SUPERSPEED_ENDPOINT_COMPANION");
            case 0x31 -> java.util.Optional.of("SUPERSPEEDPLUS_ISOCH_ENDPOINT_COMPANION");
            default -> java.util.Optional.empty();
        };
    }
}
