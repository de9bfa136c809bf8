package dev.ausb;

/**
 * The device sent more data than the transfer asked for ({@code LIBUSB_ERROR_OVERFLOW},
 * {@code LIBUSB_TRANSFER_OVERFLOW}); read with a length that is a multiple of the endpoint's
 * maximum packet size.
 */
public final class UsbOverflowException extends UsbException {
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
    public UsbOverflowException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, errorCode, errorName, bytesTransferred, cause);
    }
}
