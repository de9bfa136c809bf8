package dev.ausb;

/**
 * A transfer or request did not complete within its timeout ({@code LIBUSB_ERROR_TIMEOUT},
 * {@code LIBUSB_TRANSFER_TIMED_OUT}). {@link #bytesTransferred()} says how much moved before it.
 */
public final class UsbTimeoutException extends UsbException {
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
    public UsbTimeoutException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, errorCode, errorName, bytesTransferred, cause);
    }
}
