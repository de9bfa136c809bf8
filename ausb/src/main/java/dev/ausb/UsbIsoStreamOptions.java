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

    /**
     * These options with {@code transfers} in flight instead.
     *
     * @param transfers transfers in flight, 1..1024
     * @return the new options
     * @throws IllegalArgumentException if out of range
     */
    public UsbIsoStreamOptions withTransfers(int transfers) {
        return new UsbIsoStreamOptions(transfers, packets, packetLength);
    }

    /**
     * These options with {@code packets} packets per transfer instead.
     *
     * @param packets packets per transfer, 1..{@link UsbIsoInEndpoint#MAX_PACKETS}
     * @return the new options
     * @throws IllegalArgumentException if out of range
     */
    public UsbIsoStreamOptions withPackets(int packets) {
        return new UsbIsoStreamOptions(transfers, packets, packetLength);
    }

    /**
     * These options with {@code packetLength} bytes per packet instead.
     *
     * @param packetLength bytes per packet, at least 1 (checked against the endpoint when the stream starts)
     * @return the new options
     * @throws IllegalArgumentException if out of range
     */
    public UsbIsoStreamOptions withPacketLength(int packetLength) {
        return new UsbIsoStreamOptions(transfers, packets, packetLength);
    }

    /**
     * Defaults for an isochronous endpoint: 8 transfers of 8 packets of {@code maxPacketBytes} each
     * (64 service intervals queued; 64 ms at a 1 ms interval). An open endpoint gives its own:
     * {@link UsbIsoInEndpoint#defaultStreamOptions()}.
     *
     * @param maxPacketBytes the most one packet of the endpoint carries (its
     *                       {@link UsbIsoInEndpoint#maxPacketBytes()}), at least 1
     * @return the defaults
     * @throws IllegalArgumentException if {@code maxPacketBytes} is below 1
     */
    public static UsbIsoStreamOptions defaults(int maxPacketBytes) {
        return new UsbIsoStreamOptions(8, 8, maxPacketBytes);
    }
}
