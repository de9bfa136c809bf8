package dev.ausb;

/**
 * The endpoint or the control request stalled ({@code LIBUSB_ERROR_PIPE}, {@code LIBUSB_TRANSFER_STALL}):
 * the device refused a control request, or halted a data endpoint, which then needs
 * {@code clearHalt} before it moves data again.
 */
public final class UsbStallException extends UsbException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes one; ausb itself makes these, users rarely need to.
     *
     * @param message          what failed, naming the device and the operation
     * @param errorCode        libusb's code, or 0
     * @param errorName        libusb's name for the code or transfer status, or {@code null}
     * @param bytesTransferred bytes moved before a transfer failed, or 0
     * @param cause            the underlying cause, or {@code null}
     */
    public UsbStallException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, errorCode, errorName, bytesTransferred, cause);
    }
}
