package dev.ausb;

import java.time.Duration;
import java.util.List;

/**
 * An isochronous OUT endpoint of a claimed interface's current alternate setting: each write is
 * one transfer of a number of packets, one per service interval, with no retries.
 *
 * <p>Obtained from {@link UsbInterfaceHandle#isoOutEndpoint(int)}. A packet may carry at most
 * {@link #maxPacketBytes()}; packets of 0 bytes are allowed (an interval with nothing to send).
 * The result says, per packet, how much went out and with what status. Cancellation, timeouts,
 * close and unplug behave as for bulk transfers, on the same lifecycle. Thread-safe.
 * {@snippet :
 * UsbIsoOutEndpoint out = itf.isoOutEndpoint(0x02);
 * UsbIsoResult r = out.write(List.of(frame0, frame1, frame2)).get(1, TimeUnit.SECONDS);
 * }
 */
public non-sealed interface UsbIsoOutEndpoint extends UsbEndpointHandle {
    /** The most packets one isochronous transfer may have here. */
    int MAX_PACKETS = UsbIsoInEndpoint.MAX_PACKETS;

    /**
     * The largest packet the endpoint moves in one service interval (see {@link UsbIsoInEndpoint#maxPacketBytes()}).
     *
     * @return the most bytes one packet carries, in bytes per service interval
     */
    int maxPacketBytes();

    /**
     * Writes one packet per element, each carrying that element's bytes.
     *
     * @param packets the packets, 1..{@link #MAX_PACKETS} of them, each 0..{@link #maxPacketBytes()} bytes
     *                (copied at the call); one per service interval
     * @return a future of the transfer's packets, each with its status and the bytes it carried
     * @throws IllegalArgumentException if there are not 1..{@link #MAX_PACKETS} packets or one is
     *                                  longer than {@link #maxPacketBytes()}
     * @throws IllegalStateException    if the interface is released, switching, or the handle is closed
     */
    UsbTransferFuture<UsbIsoResult> write(List<byte[]> packets);

    /**
     * Writes {@code data} cut into packets of the given lengths, which add up to its length.
     *
     * @param data          the bytes of all packets, one after the other (copied at the call)
     * @param packetLengths each packet's length, 0..{@link #maxPacketBytes()}; 1..{@link #MAX_PACKETS} of them
     * @return a future of the transfer's packets, each with its status and the bytes it carried
     * @throws IllegalArgumentException if the lengths do not add up to {@code data.length}, or as
     *                                  {@link #write(List)}
     */
    UsbTransferFuture<UsbIsoResult> write(byte[] data, int[] packetLengths);

    /**
     * As {@link #write(List)}, with this transfer's own timeout (see {@link #setTimeout}).
     *
     * @param packets the packets, 1..{@link #MAX_PACKETS} of them, each 0..{@link #maxPacketBytes()} bytes
     *                (copied at the call); one per service interval
     * @param timeout how long libusb lets the transfer take before it fails with
     *                {@link UsbTimeoutException}, in milliseconds, at most 2<sup>32</sup>-1 ms;
     *                {@link Duration#ZERO}: no limit, whatever {@link #timeout()} says
     * @return a future of the transfer's packets, each with its status and the bytes it carried
     * @throws IllegalArgumentException as {@link #write(List)}, or if the timeout is negative or too long
     * @throws IllegalStateException    as {@link #write(List)}
     */
    UsbTransferFuture<UsbIsoResult> write(List<byte[]> packets, Duration timeout);

    /**
     * The stream options this endpoint starts from: {@link UsbIsoStreamOptions#defaults(int)} of its
     * {@link #maxPacketBytes()}. Change what you need with the options' {@code with} methods.
     *
     * @return the defaults for this endpoint
     */
    default UsbIsoStreamOptions defaultStreamOptions() {
        return UsbIsoStreamOptions.defaults(maxPacketBytes());
    }

    /**
     * Starts a writer that keeps {@code options.transfers()} transfers of up to
     * {@code options.packets()} packets in flight (see {@link UsbIsoOutStream}). Buffers are
     * reused; in steady state the stream allocates nothing per transfer. The endpoint is the
     * stream's until it is closed.
     *
     * @param options the packets per transfer, the packet length and the number of transfers in flight
     * @return the writer; closing it sends what is buffered and waits for it
     * @throws IllegalArgumentException if the packet length is above {@link #maxPacketBytes()}
     * @throws IllegalStateException    if the endpoint has a stream or pending transfers, the
     *                                  interface is released or switching, or the handle is closed
     */
    UsbIsoOutStream stream(UsbIsoStreamOptions options);
}
