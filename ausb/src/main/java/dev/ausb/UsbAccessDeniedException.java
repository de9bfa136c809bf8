package dev.ausb;

/**
 * The operating system denied access to the device ({@code LIBUSB_ERROR_ACCESS}). On Linux
 * this usually means the device node is not writable by this user: the message shows a udev
 * rule that grants it.
 */
public final class UsbAccessDeniedException extends UsbException {
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
    public UsbAccessDeniedException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, errorCode, errorName, bytesTransferred, cause);
    }
}
