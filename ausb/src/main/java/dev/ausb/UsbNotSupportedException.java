package dev.ausb;

/**
 * The operation is not supported on this platform or by this device
 * ({@code LIBUSB_ERROR_NOT_SUPPORTED}), such as kernel driver detach outside Linux.
 */
public final class UsbNotSupportedException extends UsbException {
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
    public UsbNotSupportedException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, errorCode, errorName, bytesTransferred, cause);
    }
}
