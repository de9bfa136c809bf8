package dev.ausb;

/**
 * Language ids (LANGIDs) of string descriptors, the most common of usb.org's list: the
 * {@code languageId} of {@link UsbDeviceHandle#readString(int, int)}. {@link UsbDeviceHandle#readLanguages}
 * says which a device has.
 */
public final class UsbLanguage {
    private UsbLanguage() {}

    /** English (United States): what almost every device has. */
    public static final int ENGLISH_US = 0x0409;
    /** English (United Kingdom). */
    public static final int ENGLISH_UK = 0x0809;
    /** German (standard). */
    public static final int GERMAN = 0x0407;
    /** French (standard). */
    public static final int FRENCH = 0x040c;
    /** Spanish (modern sort). */
    public static final int SPANISH = 0x0c0a;
    /** Italian (standard). */
    public static final int ITALIAN = 0x0410;
    /** Dutch (Netherlands). */
    public static final int DUTCH = 0x0413;
    /** Portuguese (Brazil). */
    public static final int PORTUGUESE_BRAZIL = 0x0416;
    /** Swedish. */
    public static final int SWEDISH = 0x041d;
    /** Russian. */
    public static final int RUSSIAN = 0x0419;
    /** Japanese. */
    public static final int JAPANESE = 0x0411;
    /** Korean. */
    public static final int KOREAN = 0x0412;
    /** Chinese (Taiwan). */
    public static final int CHINESE_TRADITIONAL = 0x0404;
    /** Chinese (PRC). */
    public static final int CHINESE_SIMPLIFIED = 0x0804;
    /** HID usage data descriptor (not a language). */
    public static final int HID_USAGE_DATA = 0x04ff;

    /**
     * The name of a language id.
     *
     * @param value a language id (LANGID), 0..0xffff
     * @return the constant's name as declared here, such as {@code ENGLISH_US}, or empty if none has the value
     */
    public static java.util.Optional<String> name(int value) {
        return switch (value) {
            case 0x0409 -> java.util.Optional.of("ENGLISH_US");
            case 0x0809 -> java.util.Optional.of("ENGLISH_UK");
            case 0x0407 -> java.util.Optional.of("GERMAN");
            case 0x040c -> java.util.Optional.of("FRENCH");
            case 0x0c0a -> java.util.Optional.of("SPANISH");
            case 0x0410 -> java.util.Optional.of("ITALIAN");
            case 0x0413 -> java.util.Optional.of("DUTCH");
            case 0x0416 -> java.util.Optional.of("PORTUGUESE_BRAZIL");
            case 0x041d -> java.util.Optional.of("SWEDISH");
            case 0x0419 -> java.util.Optional.of("RUSSIAN");
            case 0x0411 -> java.util.Optional.of("JAPANESE");
            case 0x0412 -> java.util.Optional.of("KOREAN");
            case 0x0404 -> java.util.Optional.of("CHINESE_TRADITIONAL");
            case 0x0804 -> java.util.Optional.of("CHINESE_SIMPLIFIED");
            case 0x04ff -> java.util.Optional.of("HID_USAGE_DATA");
            default -> java.util.Optional.empty();
        };
    }
}
