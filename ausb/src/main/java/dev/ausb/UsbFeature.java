package dev.ausb;

/**
 * The standard feature selectors of USB 3.2 table 9-7, the {@code wValue} of
 * {@link UsbStandardRequest#SET_FEATURE} and {@link UsbStandardRequest#CLEAR_FEATURE}.
 * The hub class's own selectors are in {@code dev.ausb.hub.HubFeature}.
 */
public final class UsbFeature {
    private UsbFeature() {}

    /** Recipient endpoint: halted (use {@link UsbEndpointHandle#clearHalt} to clear it). */
    public static final int ENDPOINT_HALT = 0;
    /** Recipient interface: function suspend (SuperSpeed). */
    public static final int FUNCTION_SUSPEND = 0;
    /** Recipient device: remote wakeup enabled. */
    public static final int DEVICE_REMOTE_WAKEUP = 1;
    /** Recipient device: a test mode (the selector in {@code wIndex}'s high byte). */
    public static final int TEST_MODE = 2;
    /** Recipient device: OTG B-device HNP enabled. */
    public static final int B_HNP_ENABLE = 3;
    /** Recipient device: OTG A-host supports HNP. */
    public static final int A_HNP_SUPPORT = 4;
    /** Recipient device: OTG alternate port supports HNP. */
    public static final int A_ALT_HNP_SUPPORT = 5;
    /** Recipient device: Wireless USB. */
    public static final int WUSB_DEVICE = 6;
    /** Recipient device: U1 link state enabled (SuperSpeed). */
    public static final int U1_ENABLE = 48;
    /** Recipient device: U2 link state enabled (SuperSpeed). */
    public static final int U2_ENABLE = 49;
    /** Recipient device: latency tolerance messages enabled (SuperSpeed). */
    public static final int LTM_ENABLE = 50;

    /**
     * The name of a feature selector (the first declared where two share a value).
     *
     * @param value a feature selector ({@code wValue} of SET_FEATURE and CLEAR_FEATURE)
     * @return the constant's name as declared here, such as {@code ENDPOINT_HALT}, or empty if none has the value
     */
    public static java.util.Optional<String> name(int value) {
        return switch (value) {
            case 0 -> java.util.Optional.of("ENDPOINT_HALT");
            case 1 -> java.util.Optional.of("DEVICE_REMOTE_WAKEUP");
            case 2 -> java.util.Optional.of("TEST_MODE");
            case 3 -> java.util.Optional.of("B_HNP_ENABLE");
            case 4 -> java.util.Optional.of("A_HNP_SUPPORT");
            case 5 -> java.util.Optional.of("A_ALT_HNP_SUPPORT");
            case 6 -> java.util.Optional.of("WUSB_DEVICE");
            case 48 -> java.util.Optional.of("U1_ENABLE");
            case 49 -> java.util.Optional.of("U2_ENABLE");
            case 50 -> java.util.Optional.of("LTM_ENABLE");
            default -> java.util.Optional.empty();
        };
    }
}
