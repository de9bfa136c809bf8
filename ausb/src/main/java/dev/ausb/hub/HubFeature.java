package dev.ausb.hub;

/**
 * The hub class feature selectors of USB 2.0 table 11-17 and USB 3.2 table 10-9, the {@code wValue}
 * of {@link HubRequest#SET_FEATURE} and {@link HubRequest#CLEAR_FEATURE}. Hub features go to the
 * hub (recipient device), port features to a port (recipient other, {@code wIndex} the port number,
 * its high byte a selector for {@link #PORT_TEST}, {@link #PORT_INDICATOR}, {@link #PORT_LINK_STATE}
 * and the U1/U2 timeouts).
 */
public final class HubFeature {
    private HubFeature() {}

    /** Hub: the local power source changed. */
    public static final int C_HUB_LOCAL_POWER = 0;
    /** Hub: the over-current indicator changed. */
    public static final int C_HUB_OVER_CURRENT = 1;

    /** Port: a device is connected (status only). */
    public static final int PORT_CONNECTION = 0;
    /** Port: enabled (USB 2.0: clearing it disables the port). */
    public static final int PORT_ENABLE = 1;
    /** Port: suspended (USB 2.0). */
    public static final int PORT_SUSPEND = 2;
    /** Port: over-current (status only). */
    public static final int PORT_OVER_CURRENT = 3;
    /** Port: reset (setting it starts a reset). */
    public static final int PORT_RESET = 4;
    /** Port: link state (SuperSpeed; the state in {@code wIndex}'s high byte). */
    public static final int PORT_LINK_STATE = 5;
    /** Port: power (setting powers the port on, clearing powers it off). */
    public static final int PORT_POWER = 8;
    /** Port: a low-speed device is attached (USB 2.0, status only). */
    public static final int PORT_LOW_SPEED = 9;
    /** Port change: connection. */
    public static final int C_PORT_CONNECTION = 16;
    /** Port change: enable (USB 2.0). */
    public static final int C_PORT_ENABLE = 17;
    /** Port change: suspend (USB 2.0). */
    public static final int C_PORT_SUSPEND = 18;
    /** Port change: over-current. */
    public static final int C_PORT_OVER_CURRENT = 19;
    /** Port change: reset complete. */
    public static final int C_PORT_RESET = 20;
    /** Port: test mode (USB 2.0; the test selector in {@code wIndex}'s high byte). */
    public static final int PORT_TEST = 21;
    /** Port: indicator (USB 2.0; the {@link PortIndicator} selector in {@code wIndex}'s high byte). */
    public static final int PORT_INDICATOR = 22;
    /** Port: U1 inactivity timeout (SuperSpeed). */
    public static final int PORT_U1_TIMEOUT = 23;
    /** Port: U2 inactivity timeout (SuperSpeed). */
    public static final int PORT_U2_TIMEOUT = 24;
    /** Port change: link state (SuperSpeed). */
    public static final int C_PORT_LINK_STATE = 25;
    /** Port change: config error (SuperSpeed). */
    public static final int C_PORT_CONFIG_ERROR = 26;
    /** Port: remote wake mask (SuperSpeed). */
    public static final int PORT_REMOTE_WAKE_MASK = 27;
    /** Port: warm ("BH") reset (SuperSpeed). */
    public static final int BH_PORT_RESET = 28;
    /** Port change: warm reset complete (SuperSpeed). */
    public static final int C_BH_PORT_RESET = 29;
    /** Port: force link PM accept (SuperSpeed). */
    public static final int FORCE_LINKPM_ACCEPT = 30;
}
