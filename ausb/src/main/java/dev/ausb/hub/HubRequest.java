package dev.ausb.hub;

/**
 * The hub class requests ({@code bRequest} values) of USB 2.0 section 11.24.2 and USB 3.2 section
 * 10.16.2. The standard values ({@code GET_STATUS}, {@code CLEAR_FEATURE}, {@code SET_FEATURE},
 * {@code GET_DESCRIPTOR}) are the same numbers as chapter 9's, sent with the class type.
 */
public final class HubRequest {
    private HubRequest() {}

    /** GetHubStatus (recipient device) and GetPortStatus (recipient other: {@code wIndex} is the port). */
    public static final int GET_STATUS = 0x00;
    /** ClearHubFeature and ClearPortFeature: {@code wValue} is a {@link HubFeature} selector. */
    public static final int CLEAR_FEATURE = 0x01;
    /** SetHubFeature and SetPortFeature: {@code wValue} is a {@link HubFeature} selector. */
    public static final int SET_FEATURE = 0x03;
    /** GetHubDescriptor: {@code wValue} is the descriptor type (0x29, or 0x2A for SuperSpeed) in its high byte. */
    public static final int GET_DESCRIPTOR = 0x06;
    /** SetHubDescriptor (optional; hubs may stall it). */
    public static final int SET_DESCRIPTOR = 0x07;
    /** ClearTTBuffer (USB 2.0 hubs with a transaction translator). */
    public static final int CLEAR_TT_BUFFER = 0x08;
    /** ResetTT (USB 2.0 hubs). */
    public static final int RESET_TT = 0x09;
    /** GetTTState (USB 2.0 hubs, vendor-specific content). */
    public static final int GET_TT_STATE = 0x0a;
    /** StopTT (USB 2.0 hubs). */
    public static final int STOP_TT = 0x0b;
    /** SetHubDepth (SuperSpeed hubs): {@code wValue} is the hub's depth in the tree, 0 for one on a root port. */
    public static final int SET_HUB_DEPTH = 0x0c;
    /** GetPortErrorCount (SuperSpeed hubs): 2 bytes, the port's link error count. */
    public static final int GET_PORT_ERR_COUNT = 0x0d;
}
