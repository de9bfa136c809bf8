package dev.ausb;

/**
 * How a transfer ended, as libusb reported it when it handed the transfer back: see
 * {@link UsbTransferFuture#reaped()}.
 *
 * @param status           the final status
 * @param bytesTransferred the bytes moved before it ended (for a cancelled IN transfer, data that
 *                         arrived before the cancel and is lost to the caller unless it gave the buffer)
 */
public record UsbTransferResult(Status status, int bytesTransferred) {
    /** libusb's transfer statuses. */
    public enum Status {
        /** Completed (possibly short). */
        COMPLETED,
        /** Failed (a bus or protocol error). */
        ERROR,
        /** Timed out by its own timeout. */
        TIMED_OUT,
        /** Cancelled. */
        CANCELLED,
        /** The endpoint stalled. */
        STALL,
        /** The device went away. */
        NO_DEVICE,
        /** The device sent more than asked for. */
        OVERFLOW,
        /** Never reached libusb: the submission itself failed. */
        NOT_SUBMITTED
    }
}
