package dev.ausb;

/**
 * This machine has no USB that libusb can reach: on Linux, no usbfs ({@code /dev/bus/usb}),
 * as in a container or a VM without USB. Thrown by {@link UsbContext#create()}; ausb reports
 * this rather than pretend there are no devices.
 */
public final class UsbUnavailableException extends UsbException {
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
    public UsbUnavailableException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, errorCode, errorName, bytesTransferred, cause);
    }
}
