package dev.ausb;

/**
 * libusb-1.0 could not be loaded. The message says where ausb looked and how to install it
 * (apt, dnf, brew), and how to name the library file with {@code -Dausb.libusb.path} or
 * {@code $AUSB_LIBUSB}.
 */
public final class UsbLibraryMissingException extends UsbException {
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
    public UsbLibraryMissingException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, errorCode, errorName, bytesTransferred, cause);
    }
}
