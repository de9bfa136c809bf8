package dev.ausb;

/**
 * The device is no longer there: it was unplugged, reset into another identity, or its
 * driver went away ({@code LIBUSB_ERROR_NO_DEVICE}, {@code LIBUSB_TRANSFER_NO_DEVICE}). Every later
 * call on its handles fails the same way; find the device again to go on.
 *
 * <p>Host controllers often fail the transfers of a device being unplugged with a generic protocol
 * error a few milliseconds before the hub reports the disconnect, and usbfs may refuse a
 * submission in that instant with a generic I/O error. ausb holds such an error for up to a
 * second, off the event thread (and off the submitting thread), and reports this exception if the
 * device disappears in that time. Its {@link #getCause() cause} is then the original error: code
 * that looks for the generic error should test the exception itself, not its cause.
 */
public final class UsbDeviceGoneException extends UsbException {
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
    public UsbDeviceGoneException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, errorCode, errorName, bytesTransferred, cause);
    }
}
