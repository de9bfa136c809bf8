package dev.ausb.hub;

/** A SuperSpeed port's link state, bits 8..5 of its port status (USB 3.2 table 10-13). */
public enum LinkState {
    /** U0: the link is active. */
    U0,
    /** U1: low-power standby, fast exit. */
    U1,
    /** U2: low-power standby, slower exit. */
    U2,
    /** U3: suspended. */
    U3,
    /** eSS.Disabled: the port is disabled (or powered off). */
    DISABLED,
    /** Rx.Detect: looking for a device (no device connected). */
    RX_DETECT,
    /** eSS.Inactive: the link failed; needs a warm reset. */
    INACTIVE,
    /** Polling: training the link. */
    POLLING,
    /** Recovery: retraining the link. */
    RECOVERY,
    /** Hot Reset. */
    HOT_RESET,
    /** Compliance Mode. */
    COMPLIANCE,
    /** Loopback (a test mode). */
    LOOPBACK,
    /** A reserved value (12..15). */
    RESERVED;

    /**
     * The state of a 4-bit field value.
     *
     * @param value the port status's link state field, 0..15
     * @return the state of that value; {@link #RESERVED} for 12..15
     * @throws IllegalArgumentException if {@code value} is not 0..15
     */
    public static LinkState of(int value) {
        if (value < 0 || value > 15) {
            throw new IllegalArgumentException("a link state is 4 bits, not " + value);
        }
        return value < RESERVED.ordinal() ? values()[value] : RESERVED;
    }
}
