package dev.ausb;

/**
 * The class requests of Device Firmware Upgrade 1.1 (section 3), sent with the class type to the
 * DFU interface (use {@link UsbInterfaceHandle#controlIn} and {@link UsbInterfaceHandle#controlOut}).
 * A DFU interface has class {@link UsbClassCode#APPLICATION_SPECIFIC}, subclass {@link #SUBCLASS},
 * protocol {@link #PROTOCOL_RUNTIME} or {@link #PROTOCOL_DFU_MODE}.
 */
public final class UsbDfuRequest {
    private UsbDfuRequest() {}

    /** The DFU interface's {@code bInterfaceSubClass} (under class {@link UsbClassCode#APPLICATION_SPECIFIC}). */
    public static final int SUBCLASS = 0x01;
    /** {@code bInterfaceProtocol} of a device running its application, with a DFU interface beside it. */
    public static final int PROTOCOL_RUNTIME = 0x01;
    /** {@code bInterfaceProtocol} of a device in DFU mode. */
    public static final int PROTOCOL_DFU_MODE = 0x02;
    /** The DFU functional descriptor's type (inside the configuration, after the DFU interface). */
    public static final int FUNCTIONAL_DESCRIPTOR = 0x21;

    /**
     * DFU_DETACH: {@code wValue} the timeout in ms. The device comes back in DFU mode by itself if its
     * functional descriptor has {@code bitWillDetach}, else when the host resets it within the timeout.
     */
    public static final int DETACH = 0;
    /** DFU_DNLOAD: one block of firmware ({@code wValue} the block number; empty ends the download). */
    public static final int DNLOAD = 1;
    /** DFU_UPLOAD: one block of firmware read back. */
    public static final int UPLOAD = 2;
    /** DFU_GETSTATUS: 6 bytes (status, poll timeout, state, string index). */
    public static final int GETSTATUS = 3;
    /** DFU_CLRSTATUS: leave the error state. */
    public static final int CLRSTATUS = 4;
    /** DFU_GETSTATE: one byte, the state. */
    public static final int GETSTATE = 5;
    /** DFU_ABORT: back to the idle state. */
    public static final int ABORT = 6;

    /**
     * The name of a DFU request.
     *
     * @param value a DFU {@code bRequest} value
     * @return the constant's name as declared here, such as {@code DETACH}, or empty if none has the value
     */
    public static java.util.Optional<String> name(int value) {
        return switch (value) {
            case 0 -> java.util.Optional.of("DETACH");
            case 1 -> java.util.Optional.of("DNLOAD");
            case 2 -> java.util.Optional.of("UPLOAD");
            case 3 -> java.util.Optional.of("GETSTATUS");
            case 4 -> java.util.Optional.of("CLRSTATUS");
            case 5 -> java.util.Optional.of("GETSTATE");
            case 6 -> java.util.Optional.of("ABORT");
            default -> java.util.Optional.empty();
        };
    }
}
