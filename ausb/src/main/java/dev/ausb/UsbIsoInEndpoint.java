package dev.ausb;

import java.time.Duration;

/**
 * An isochronous IN endpoint of a claimed interface's current alternate setting: each read is one
 * transfer of a number of packets, one per service interval, with no retries.
 *
 * <p>Obtained from {@link UsbInterfaceHandle#isoInEndpoint(int)}, usually after
 * {@link UsbInterfaceHandle#selectAlternateSetting(int)} chose the setting that gives the endpoint
 * its bandwidth. A packet may ask for at most {@link #maxPacketBytes()}. The transfer completes when
 * every packet's interval has passed; a packet that failed does not fail it (see
 * {@link UsbIsoResult}). Cancellation, timeouts, close and unplug behave as for bulk transfers, on
 * the same lifecycle; a cancelled or timed-out read hands back no data ({@code reaped()} counts the
 * bytes its packets carried, without them). Thread-safe.
 * {@snippet :
 * itf.selectAlternateSetting(1);
 * UsbIsoInEndpoint in = itf.isoInEndpoint(0x81);
 * UsbIsoResult r = in.read(8, in.maxPacketBytes()).get(1, TimeUnit.SECONDS);
 * for (int i = 0; i < r.packetCount(); i++) {
 *     if (r.packet(i).completed()) {
 *         consume(r.packetData(i));
 *     }
 * }
 * }
 * A stream of such transfers, from the {@code IsoStream} example:
 * {@snippet file="dev/ausb/examples/IsoStream.java" region="iso-stream"}
 */
public non-sealed interface UsbIsoInEndpoint extends UsbEndpointHandle {
    /** The most packets one isochronous transfer may have here. */
    int MAX_PACKETS = 1024;

    /**
     * The largest packet the endpoint moves in one service interval, as
     * {@code libusb_get_max_iso_packet_size} says: {@code wMaxPacketSize} times the high-bandwidth
     * transactions per microframe; at SuperSpeed, its companion's {@code wBytesPerInterval}.
     *
     * @return the most bytes one packet carries, in bytes per service interval
     */
    int maxPacketBytes();

    /**
     * Reads {@code packets} packets of up to {@code packetLength} bytes each.
     *
     * @param packets      how many packets, 1..{@link #MAX_PACKETS}: one per service interval
     * @param packetLength the most bytes each packet may carry, 1..{@link #maxPacketBytes()}
     * @return a future of the transfer's packets, each with its status and data
     * @throws IllegalArgumentException if {@code packets} is not 1..{@link #MAX_PACKETS} or
     *                                  {@code packetLength} is not 1..{@link #maxPacketBytes()}
     * @throws IllegalStateException    if the interface is released, switching its alternate setting,
     *                                  or the handle is closed
     */
    UsbTransferFuture<UsbIsoResult> read(int packets, int packetLength);

    /**
     * Reads one packet of up to {@code packetLengths[i]} bytes for each element.
     *
     * @param packetLengths the most bytes each packet may carry, 1..{@link #maxPacketBytes()} each;
     *                      1..{@link #MAX_PACKETS} of them (copied at the call)
     * @return a future of the transfer's packets, each with its status and data
     * @throws IllegalArgumentException if there are not 1..{@link #MAX_PACKETS} lengths or one is not
     *                                  1..{@link #maxPacketBytes()}
     * @throws IllegalStateException    if the interface is released, switching its alternate setting,
     *                                  or the handle is closed
     */
    UsbTransferFuture<UsbIsoResult> read(int[] packetLengths);

    /**
     * As {@link #read(int, int)}, with this transfer's own timeout (see {@link #setTimeout}).
     *
     * @param packets      how many packets, 1..{@link #MAX_PACKETS}: one per service interval
     * @param packetLength the most bytes each packet may carry, 1..{@link #maxPacketBytes()}
     * @param timeout how long libusb lets the transfer take before it fails with
     *                {@link UsbTimeoutException}, in milliseconds, at most 2<sup>32</sup>-1 ms;
     *                {@link Duration#ZERO}: no limit, whatever {@link #timeout()} says
     * @return a future of the transfer's packets, each with its status and data
     * @throws IllegalArgumentException as {@link #read(int, int)}, or if the timeout is negative or too long
     * @throws IllegalStateException    as {@link #read(int, int)}
     */
    UsbTransferFuture<UsbIsoResult> read(int packets, int packetLength, Duration timeout);

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
     * Starts a stream that keeps {@code options.transfers()} transfers in flight and calls
     * {@code handler} with each completed one, in order, on the stream's own thread, as
     * {@link UsbInEndpoint#stream} does. Each buffer carries its packets
     * ({@link UsbBuffer#packet(int)}: offset, actual length, status); a packet that failed does not
     * end the stream, a transfer that failed does. Buffers are reused; in steady state the stream
     * allocates nothing per transfer. Whatever {@link #setTimeout} says, each transfer may take the
     * time of its service intervals plus 5 s (a host controller hands an isochronous transfer back
     * once its intervals have passed): one that is never handed back ends the stream with
     * {@link UsbTimeoutException} instead of leaving it waiting forever.
     *
     * @param options the packets per transfer, the packet length and the number of transfers in flight
     * @param handler called with each completed transfer's buffer, which it may use only until it returns
     * @return the running stream; closing it stops the reads
     * @throws IllegalArgumentException if the packet length is above {@link #maxPacketBytes()}
     */
    UsbInStream stream(UsbIsoStreamOptions options, java.util.function.Consumer<? super UsbBuffer> handler);

    /**
     * A publisher of this endpoint's transfers with real backpressure, as
     * {@link UsbInEndpoint#publisher}: each subscription starts a stream that submits transfers only
     * while the subscriber has demand. The subscriber owns each buffer until it closes it.
     *
     * @param options the packets per transfer, the packet length and the number of transfers in flight at most
     * @return a publisher; each subscriber gets its own stream
     */
    java.util.concurrent.Flow.Publisher<UsbBuffer> publisher(UsbIsoStreamOptions options);
}
