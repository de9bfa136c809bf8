package dev.ausb;

/**
 * A libusb error with no more specific type: input/output error, invalid parameter,
 * interrupted system call, out of memory, or libusb's catch-all ({@code LIBUSB_ERROR_IO},
 * {@code LIBUSB_ERROR_INVALID_PARAM}, {@code LIBUSB_ERROR_INTERRUPTED}, {@code LIBUSB_ERROR_NO_MEM},
 * {@code LIBUSB_ERROR_OTHER}).
 */
public final class UsbIoException extends UsbException {
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
    public UsbIoException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, errorCode, errorName, bytesTransferred, cause);
    }
}
