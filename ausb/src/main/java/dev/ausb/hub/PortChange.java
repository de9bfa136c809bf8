package dev.ausb.hub;

/**
 * A port's change bits ({@code wPortChange}, USB 2.0 table 11-22, USB 3.2 table 10-14): what
 * happened since the bit was last cleared. A hub keeps reporting a change on its status change
 * endpoint until it is cleared with {@link UsbHub#clearPortChange}.
 */
public enum PortChange {
    /** The connection status changed. */
    CONNECTION(0, 0, HubFeature.C_PORT_CONNECTION),
    /** The port was disabled by an error (USB 2.0 only). */
    ENABLE(1, -1, HubFeature.C_PORT_ENABLE),
    /** Resume completed (USB 2.0 only). */
    SUSPEND(2, -1, HubFeature.C_PORT_SUSPEND),
    /** The over-current indicator changed. */
    OVER_CURRENT(3, 3, HubFeature.C_PORT_OVER_CURRENT),
    /** A reset completed. */
    RESET(4, 4, HubFeature.C_PORT_RESET),
    /** A warm reset completed (SuperSpeed only). */
    BH_RESET(-1, 5, HubFeature.C_BH_PORT_RESET),
    /** The link state changed (SuperSpeed only). */
    LINK_STATE(-1, 6, HubFeature.C_PORT_LINK_STATE),
    /** The port could not configure its link (SuperSpeed only). */
    CONFIG_ERROR(-1, 7, HubFeature.C_PORT_CONFIG_ERROR);

    private final int usb2Bit;
    private final int superSpeedBit;
    private final int feature;

    PortChange(int usb2Bit, int superSpeedBit, int feature) {
        this.usb2Bit = usb2Bit;
        this.superSpeedBit = superSpeedBit;
        this.feature = feature;
    }

    /**
     * The feature selector that clears this change ({@link HubFeature}'s {@code C_…} values).
     *
     * @return the {@code C_PORT_…} feature selector, for ClearPortFeature
     */
    public int feature() {
        return feature;
    }

    /**
     * The bit in {@code wPortChange} of a USB 2.0 ({@code superSpeed} false) or a SuperSpeed hub; -1 if it has none.
     *
     * @param superSpeed true for a SuperSpeed hub's layout, false for a USB 2.0 hub's
     * @return the bit number, 0..15, or -1 when that kind of hub has no such change
     */
    public int bit(boolean superSpeed) {
        return superSpeed ? superSpeedBit : usb2Bit;
    }
}
