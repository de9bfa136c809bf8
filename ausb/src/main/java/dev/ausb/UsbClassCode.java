package dev.ausb;

/**
 * The class codes of usb.org's defined class codes list: {@code bDeviceClass} and
 * {@code bInterfaceClass}.
 */
public final class UsbClassCode {
    private UsbClassCode() {}

    /** In {@code bDeviceClass}: each interface names its own class. */
    public static final int PER_INTERFACE = 0x00;
    /** Audio. */
    public static final int AUDIO = 0x01;
    /** Communications and CDC control. */
    public static final int COMMUNICATIONS = 0x02;
    /** Human interface device. */
    public static final int HID = 0x03;
    /** Physical. */
    public static final int PHYSICAL = 0x05;
    /** Still imaging. */
    public static final int IMAGE = 0x06;
    /** Printer. */
    public static final int PRINTER = 0x07;
    /** Mass storage. */
    public static final int MASS_STORAGE = 0x08;
    /** Hub. */
    public static final int HUB = 0x09;
    /** CDC data. */
    public static final int CDC_DATA = 0x0a;
    /** Smart card. */
    public static final int SMART_CARD = 0x0b;
    /** Content security. */
    public static final int CONTENT_SECURITY = 0x0d;
    /** Video. */
    public static final int VIDEO = 0x0e;
    /** Personal healthcare. */
    public static final int PERSONAL_HEALTHCARE = 0x0f;
    /** Audio/video devices. */
    public static final int AUDIO_VIDEO = 0x10;
    /** Billboard (USB Type-C alternate modes). */
    public static final int BILLBOARD = 0x11;
    /** USB Type-C bridge. */
    public static final int TYPE_C_BRIDGE = 0x12;
    /** Bulk display protocol. */
    public static final int BULK_DISPLAY = 0x13;
    /** MCTP over USB. */
    public static final int MCTP = 0x14;
    /** I3C. */
    public static final int I3C = 0x3c;
    /** Diagnostic device. */
    public static final int DIAGNOSTIC = 0xdc;
    /** Wireless controller (Bluetooth). */
    public static final int WIRELESS_CONTROLLER = 0xe0;
    /** Miscellaneous (with interface associations: subclass 2, protocol 1). */
    public static final int MISCELLANEOUS = 0xef;
    /** Application specific (DFU: subclass 1; IrDA bridge; test and measurement: subclass 3). */
    public static final int APPLICATION_SPECIFIC = 0xfe;
    /** Vendor specific. */
    public static final int VENDOR_SPECIFIC = 0xff;

    /**
     * The name of a class code.
     *
     * @param value a class code ({@code bDeviceClass} or {@code bInterfaceClass})
     * @return the constant's name as declared here, such as {@code PER_INTERFACE}, or empty if none has the value
     */
    public static java.util.Optional<String> name(int value) {
        return switch (value) {
            case 0x00 -> java.util.Optional.of("PER_INTERFACE");
            case 0x01 -> java.util.Optional.of("AUDIO");
            case 0x02 -> java.util.Optional.of("COMMUNICATIONS");
            case 0x03 -> java.util.Optional.of("HID");
            case 0x05 -> java.util.Optional.of("PHYSICAL");
            case 0x06 -> java.util.Optional.of("IMAGE");
            case 0x07 -> java.util.Optional.of("PRINTER");
            case 0x08 -> java.util.Optional.of("MASS_STORAGE");
            case 0x09 -> java.util.Optional.of("HUB");
            case 0x0a -> java.util.Optional.of("CDC_DATA");
            case 0x0b -> java.util.Optional.of("SMART_CARD");
            case 0x0d -> java.util.Optional.of("CONTENT_SECURITY");
            case 0x0e -> java.util.Optional.of("VIDEO");
            case 0x0f -> java.util.Optional.of("PERSONAL_HEALTHCARE");
            case 0x10 -> java.util.Optional.of("AUDIO_VIDEO");
            case 0x11 -> java.util.Optional.of("BILLBOARD");
            case 0x12 -> java.util.Optional.of("TYPE_C_BRIDGE");
            case 0x13 -> java.util.Optional.of("BULK_DISPLAY");
            case 0x14 -> java.util.Optional.of("MCTP");
            case 0x3c -> java.util.Optional.of("I3C");
            case 0xdc -> java.util.Optional.of("DIAGNOSTIC");
            case 0xe0 -> java.util.Optional.of("WIRELESS_CONTROLLER");
            case 0xef -> java.util.Optional.of("MISCELLANEOUS");
            case 0xfe -> java.util.Optional.of("APPLICATION_SPECIFIC");
            case 0xff -> java.util.Optional.of("VENDOR_SPECIFIC");
            default -> java.util.Optional.empty();
        };
    }
}
