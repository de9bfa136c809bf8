package dev.ausb;

/**
 * How a transfer ended, as libusb reported it when it handed the transfer back: see
 * {@link UsbTransferFuture#reaped()}.
 *
 * @param status           the final status
 * @param bytesTransferred the bytes moved before it ended
 * @param partialData      for an IN transfer into ausb's own buffer that did not complete (cancelled,
 *                         timed out, failed), the bytes that arrived before it ended; otherwise
 *                         empty (a caller that lent its buffer finds them there)
 */
public record UsbTransferResult(Status status, int bytesTransferred, byte[] partialData) {
    private static final byte[] NONE = {};

    /** Copies {@code partialData}; {@code null} means none. */
    public UsbTransferResult {
        java.util.Objects.requireNonNull(status, "status");
        partialData = partialData == null || partialData.length == 0 ? NONE : partialData.clone();
    }

    /**
     * A result without partial data.
     *
     * @param status           the final status
     * @param bytesTransferred the bytes moved before it ended
     */
    public UsbTransferResult(Status status, int bytesTransferred) {
        this(status, bytesTransferred, null);
    }

    /**
     * A copy of the partial data (empty when none).
     *
     * @return a new array of the bytes that arrived, or an empty one
     */
    @Override
    public byte[] partialData() {
        return partialData.length == 0 ? NONE : partialData.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsbTransferResult r && r.status == status && r.bytesTransferred == bytesTransferred
                && java.util.Arrays.equals(r.partialData, partialData);
    }

    @Override
    public int hashCode() {
        return (status.hashCode() * 31 + bytesTransferred) * 31 + java.util.Arrays.hashCode(partialData);
    }

    @Override
    public String toString() {
        return "UsbTransferResult[" + status + ", " + bytesTransferred + " bytes"
                + (partialData.length > 0 ? ", " + partialData.length + " bytes of partial data]" : "]");
    }

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
