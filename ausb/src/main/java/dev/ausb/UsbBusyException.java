package dev.ausb;

/**
 * The resource is in use ({@code LIBUSB_ERROR_BUSY}): the interface is claimed by a kernel
 * driver (the message names it where the OS tells) or by another process or handle.
 */
public final class UsbBusyException extends UsbException {
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
    public UsbBusyException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, errorCode, errorName, bytesTransferred, cause);
    }
}
