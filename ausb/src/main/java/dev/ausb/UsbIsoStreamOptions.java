package dev.ausb;

/**
 * How an isochronous stream moves data: {@code transfers} transfers of {@code packets} packets of
 * {@code packetLength} bytes each kept in flight, so no service interval goes by without a packet
 * asked for. With a 1 ms interval (full speed, or high speed with {@code bInterval} 4), 8
 * transfers of 8 packets keep 64 ms queued.
 *
 * @param transfers    transfers in flight, 1..1024
 * @param packets      packets per transfer, 1..{@link UsbIsoInEndpoint#MAX_PACKETS}
 * @param packetLength bytes asked for per packet, 1..the endpoint's {@link UsbIsoInEndpoint#maxPacketBytes()};
 *                     for an OUT stream the most a packet may carry, and the size its byte writes are cut to
 */
public record UsbIsoStreamOptions(int transfers, int packets, int packetLength) {
    /**
     * Checks the ranges (the packet length against the endpoint when the stream starts).
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public UsbIsoStreamOptions {
        if (transfers < 1 || transfers > 1024) {
            throw new IllegalArgumentException("transfers in flight is 1..1024, not " + transfers);
        }
        if (packets < 1 || packets > UsbIsoInEndpoint.MAX_PACKETS) {
            throw new IllegalArgumentException("packets per transfer is 1.." + UsbIsoInEndpoint.MAX_PACKETS + ", not "
                    + packets);
        }
        if (packetLength < 1) {
            throw new IllegalArgumentException("a packet length is at least 1, not " + packetLength);
        }
    }
}
