package dev.ausb;

/**
 * One packet of an isochronous transfer, as the host controller handed it back.
 *
 * <p>An isochronous transfer moves one packet per service interval, with no retries: a packet that
 * the device did not send, or that arrived damaged, has a {@link #status()} other than
 * {@link UsbTransferResult.Status#COMPLETED} and does not fail the transfer. Immutable value.
 *
 * @param offset       where the packet's bytes start in the transfer's buffer (the sum of the
 *                     lengths asked for before it), so {@link UsbIsoResult#packetData(int)} finds them
 * @param length       the length asked for
 * @param actualLength the bytes moved: for IN, the bytes the device sent (a short packet has fewer
 *                     than {@code length}); for OUT, the bytes sent
 * @param status       the packet's own status: {@code COMPLETED}, or {@code ERROR} (a CRC or
 *                     bit-stuffing error, a missed interval), {@code OVERFLOW} (the device sent more
 *                     than {@code length}), {@code STALL}, {@code NO_DEVICE}. On Linux, libusb reports
 *                     the packets a cancel kept from being sent as {@code COMPLETED} with 0 bytes
 */
public record UsbIsoPacket(int offset, int length, int actualLength, UsbTransferResult.Status status) {
    /** Checks the values. */
    public UsbIsoPacket {
        java.util.Objects.requireNonNull(status, "status");
        if (offset < 0 || length < 0 || actualLength < 0 || actualLength > length) {
            throw new IllegalArgumentException("a packet at " + offset + " of " + length + " bytes cannot have moved "
                    + actualLength);
        }
    }

    /**
     * True if the packet completed (its data, if any, is good).
     *
     * @return true when the status is {@link UsbTransferResult.Status#COMPLETED}
     */
    public boolean completed() {
        return status == UsbTransferResult.Status.COMPLETED;
    }
}
