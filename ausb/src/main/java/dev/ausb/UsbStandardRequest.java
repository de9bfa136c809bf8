package dev.ausb;

/**
 * The standard requests of USB 3.2 table 9-4 ({@code bRequest} of a
 * {@link UsbControlRequest.Type#STANDARD} request), USB 2.0's and the later ones alike.
 *
 * <p>Most are the host's business: the operating system sends SET_ADDRESS, SET_CONFIGURATION
 * ({@link UsbDeviceHandle#setConfiguration}) and SET_INTERFACE ({@link UsbInterfaceHandle#selectAlternateSetting})
 * itself; sending those directly leaves its view of the device behind.
 */
public final class UsbStandardRequest {
    private UsbStandardRequest() {}

    /** GET_STATUS: two bytes of device, interface or endpoint status. */
    public static final int GET_STATUS = 0x00;
    /** CLEAR_FEATURE: {@code wValue} a {@link UsbFeature} selector. */
    public static final int CLEAR_FEATURE = 0x01;
    /** SET_FEATURE: {@code wValue} a {@link UsbFeature} selector. */
    public static final int SET_FEATURE = 0x03;
    /** SET_ADDRESS (the host controller's; never sent by an application). */
    public static final int SET_ADDRESS = 0x05;
    /** GET_DESCRIPTOR: {@code wValue} type in the high byte, index in the low; {@code wIndex} the language of a string. */
    public static final int GET_DESCRIPTOR = 0x06;
    /** SET_DESCRIPTOR (optional; most devices stall it). */
    public static final int SET_DESCRIPTOR = 0x07;
    /** GET_CONFIGURATION: one byte, the active configuration's value. */
    public static final int GET_CONFIGURATION = 0x08;
    /** SET_CONFIGURATION (use {@link UsbDeviceHandle#setConfiguration}). */
    public static final int SET_CONFIGURATION = 0x09;
    /** GET_INTERFACE: one byte, the interface's alternate setting. */
    public static final int GET_INTERFACE = 0x0a;
    /** SET_INTERFACE (use {@link UsbInterfaceHandle#selectAlternateSetting}). */
    public static final int SET_INTERFACE = 0x0b;
    /** SYNCH_FRAME: an isochronous endpoint's synchronization frame. */
    public static final int SYNCH_FRAME = 0x0c;
    /** SET_ENCRYPTION (Wireless USB). */
    public static final int SET_ENCRYPTION = 0x0d;
    /** GET_ENCRYPTION (Wireless USB). */
    public static final int GET_ENCRYPTION = 0x0e;
    /** SET_HANDSHAKE (Wireless USB). */
    public static final int SET_HANDSHAKE = 0x0f;
    /** GET_HANDSHAKE (Wireless USB). */
    public static final int GET_HANDSHAKE = 0x10;
    /** SET_CONNECTION (Wireless USB). */
    public static final int SET_CONNECTION = 0x11;
    /** SET_SECURITY_DATA (Wireless USB). */
    public static final int SET_SECURITY_DATA = 0x12;
    /** GET_SECURITY_DATA (Wireless USB). */
    public static final int GET_SECURITY_DATA = 0x13;
    /** SET_WUSB_DATA (Wireless USB). */
    public static final int SET_WUSB_DATA = 0x14;
    /** LOOPBACK_DATA_WRITE (Wireless USB). */
    public static final int LOOPBACK_DATA_WRITE = 0x15;
    /** LOOPBACK_DATA_READ (Wireless USB). */
    public static final int LOOPBACK_DATA_READ = 0x16;
    /** SET_INTERFACE_DS (Wireless USB). */
    public static final int SET_INTERFACE_DS = 0x17;
    /** GET_FW_STATUS (USB 3.2 firmware status). */
    public static final int GET_FW_STATUS = 0x1a;
    /** SET_FW_STATUS (USB 3.2 firmware status). */
    public static final int SET_FW_STATUS = 0x1b;
    /** SET_SEL: the system exit latencies (SuperSpeed; sent by the host). */
    public static final int SET_SEL = 0x30;
    /** SET_ISOCH_DELAY (SuperSpeed; sent by the host). */
    public static final int SET_ISOCH_DELAY = 0x31;

    /**
     * The name of a standard request value.
     *
     * @param value a {@code bRequest} value
     * @return the constant's name as declared here, such as {@code GET_STATUS}, or empty if none has the value
     */
    public static java.util.Optional<String> name(int value) {
        return switch (value) {
            case 0x00 -> java.util.Optional.of("GET_STATUS");
            case 0x01 -> java.util.Optional.of("CLEAR_FEATURE");
            case 0x03 -> java.util.Optional.of("SET_FEATURE");
            case 0x05 -> java.util.Optional.of("SET_ADDRESS");
            case 0x06 -> java.util.Optional.of("GET_DESCRIPTOR");
            case 0x07 -> java.util.Optional.of("SET_DESCRIPTOR");
            case 0x08 -> java.util.Optional.of("GET_CONFIGURATION");
            case 0x09 -> java.util.Optional.of("SET_CONFIGURATION");
            case 0x0a -> java.util.Optional.of("GET_INTERFACE");
            case 0x0b -> java.util.Optional.of("SET_INTERFACE");
            case 0x0c -> java.util.Optional.of("SYNCH_FRAME");
            case 0x0d -> java.util.Optional.of("SET_ENCRYPTION");
            case 0x0e -> java.util.Optional.of("GET_ENCRYPTION");
            case 0x0f -> java.util.Optional.of("SET_HANDSHAKE");
            case 0x10 -> java.util.Optional.of("GET_HANDSHAKE");
            case 0x11 -> java.util.Optional.of("SET_CONNECTION");
            case 0x12 -> java.util.Optional.of("SET_SECURITY_DATA");
            case 0x13 -> java.util.Optional.of("GET_SECURITY_DATA");
            case 0x14 -> java.util.Optional.of("SET_WUSB_DATA");
            case 0x15 -> java.util.Optional.of("LOOPBACK_DATA_WRITE");
            case 0x16 -> java.util.Optional.of("LOOPBACK_DATA_READ");
            case 0x17 -> java.util.Optional.of("SET_INTERFACE_DS");
            case 0x1a -> java.util.Optional.of("GET_FW_STATUS");
            case 0x1b -> java.util.Optional.of("SET_FW_STATUS");
            case 0x30 -> java.util.Optional.of("SET_SEL");
            case 0x31 -> java.util.Optional.of("SET_ISOCH_DELAY");
            default -> java.util.Optional.empty();
        };
    }
}
