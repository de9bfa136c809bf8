package dev.ausb;

/**
 * The one exception family of ausb: every failure of a USB operation is a subtype of this class,
 * one type per thing a caller acts on differently.
 *
 * <p>Unchecked, by a decision recorded in the package documentation: most operations are
 * asynchronous and report failures through a {@link java.util.concurrent.CompletableFuture},
 * where a checked exception would only arrive wrapped anyway.
 *
 * <p>Where the failure came from libusb, {@link #errorCode()} and {@link #errorName()} give its code
 * and name ({@code LIBUSB_ERROR_PIPE}, or a transfer status such as {@code LIBUSB_TRANSFER_STALL});
 * where it ended a transfer, {@link #bytesTransferred()} says how much had moved. Messages name the
 * device, the endpoint or request, and the operation.
 */
public abstract sealed class UsbException extends RuntimeException permits UsbAccessDeniedException,
        UsbBusyException, UsbDeviceGoneException, UsbIoException, UsbLibraryMissingException, UsbMatchException,
        UsbNotFoundException, UsbNotSupportedException, UsbOverflowException, UsbStallException,
        UsbTimeoutException, UsbTransferException, UsbUnavailableException {
    private static final long serialVersionUID = 1L;

    /** libusb's error code, as {@link #errorCode()} returns it. */
    private final int errorCode;
    /** libusb's name for the error or status, as {@link #errorName()} returns it; may be {@code null}. */
    private final String errorName;
    /** The bytes a failed transfer had moved, as {@link #bytesTransferred()} returns it. */
    private final int bytesTransferred;

    UsbException(String message, int errorCode, String errorName, int bytesTransferred, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.errorName = errorName;
        this.bytesTransferred = bytesTransferred;
    }

    /**
     * libusb's error code (negative), or 0 when the failure did not come from libusb.
     *
     * @return the {@code LIBUSB_ERROR_*} code, such as -9 for {@code LIBUSB_ERROR_PIPE}, or 0
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * libusb's name for the error or transfer status, such as {@code LIBUSB_ERROR_ACCESS} or
     * {@code LIBUSB_TRANSFER_STALL}; {@code null} when the failure did not come from libusb.
     *
     * @return the name, or {@code null}
     */
    public String errorName() {
        return errorName;
    }

    /**
     * For a failed transfer, the bytes moved before it ended (for an IN transfer, valid data); else 0.
     *
     * @return the number of bytes moved before the failure, or 0
     */
    public int bytesTransferred() {
        return bytesTransferred;
    }
}
