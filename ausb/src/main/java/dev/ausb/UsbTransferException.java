package dev.ausb;

/**
 * A transfer failed for a reason the bus does not say ({@code LIBUSB_TRANSFER_ERROR}): a CRC
 * error, a babble, a device that did not answer in time at the protocol level.
 * {@link #bytesTransferred()} says how much moved before it. It is reported after ausb has waited up
 * to a second to see whether the device is being unplugged (see {@link UsbDeviceGoneException}).
 */
public final class UsbTransferException extends UsbException {
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
    public UsbTransferException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, errorCode, errorName, bytesTransferred, cause);
    }
}
