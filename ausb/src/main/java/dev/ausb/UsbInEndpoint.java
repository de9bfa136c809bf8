package dev.ausb;

import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * A bulk or interrupt IN endpoint of a claimed interface: reads are transfers from the device.
 *
 * <p>Obtained from {@link UsbInterfaceHandle#inEndpoint(int)}. Each read is one USB transfer; a
 * transfer ends at a short packet or when the requested length is reached, so ask for multiples of
 * the endpoint's maximum packet size to avoid {@link UsbOverflowException}. Thread-safe.
 * {@snippet :
 * UsbInEndpoint in = itf.inEndpoint(0x81);
 * byte[] data = in.read(512).orTimeout(1, TimeUnit.SECONDS).join(); // a timeout cancels the transfer
 * }
 */
public non-sealed interface UsbInEndpoint extends UsbEndpointHandle {

    /**
     * Reads up to {@code length} bytes.
     *
     * @param length the most bytes to read, 1..2<sup>31</sup>-65; best a multiple of the maximum packet size
     * @return a future of the bytes received (possibly fewer than asked for)
     * @throws IllegalArgumentException if {@code length} is not 1..2<sup>31</sup>-65 (a 0-byte read would
     *                                  lose the device's next packet as an overflow)
     * @throws IllegalStateException    if the handle is closed
     */
    UsbTransferFuture<byte[]> read(int length);

    /**
     * Reads up to {@code length} bytes, with this transfer's own timeout (see {@link #setTimeout}).
     *
     * @param length the most bytes to read, 1..2<sup>31</sup>-65; best a multiple of the maximum packet size
     * @param timeout how long libusb lets the transfer take before it fails with
     *                {@link UsbTimeoutException}, in milliseconds, at most 2<sup>32</sup>-1 ms;
     *                {@link Duration#ZERO}: no limit, whatever {@link #timeout()} says
     * @return a future of the bytes received (possibly fewer than asked for)
     * @throws IllegalArgumentException if {@code length} is not 1..2<sup>31</sup>-65, or the timeout is
     *                                  negative or too long
     * @throws IllegalStateException    if the handle is closed
     */
    UsbTransferFuture<byte[]> read(int length, Duration timeout);

    /**
     * Reads up to {@code length} bytes on USB 3 bulk stream {@code streamId}, which
     * {@link UsbInterfaceHandle#allocateBulkStreams} allocated on this endpoint. The transfer is
     * on the endpoint's common lifecycle (cancel, timeout, close, unplug).
     *
     * @param streamId the stream, 1..n of those allocated on this endpoint
     * @param length the most bytes to read, 1..2<sup>31</sup>-65; best a multiple of the maximum packet size
     * @return a future of the bytes received on that stream
     * @throws IllegalStateException    if the endpoint has no streams, or the handle is closed
     * @throws IllegalArgumentException if the stream is not one of them, or as {@link #read(int)}
     */
    UsbTransferFuture<byte[]> readBulkStream(int streamId, int length);

    /**
     * As {@link #readBulkStream(int, int)}, with this transfer's own timeout.
     *
     * @param streamId the stream, 1..n of those allocated on this endpoint
     * @param length the most bytes to read, 1..2<sup>31</sup>-65; best a multiple of the maximum packet size
     * @param timeout how long libusb lets the transfer take before it fails with
     *                {@link UsbTimeoutException}, in milliseconds, at most 2<sup>32</sup>-1 ms;
     *                {@link Duration#ZERO}: no limit, whatever {@link #timeout()} says
     * @return a future of the bytes received on that stream
     * @throws IllegalStateException    if the endpoint has no streams, or the handle is closed
     * @throws IllegalArgumentException if the stream is not one of them, or as {@link #read(int, Duration)}
     */
    UsbTransferFuture<byte[]> readBulkStream(int streamId, int length, Duration timeout);

    /**
     * Reads into {@code dst} between its position and limit. A direct buffer is lent to the
     * transfer without copying until {@link UsbTransferFuture#reaped()}; a heap buffer is filled
     * by one copy. The future completes with the byte count after advancing the position by it.
     *
     * @param dst where the bytes go; its remaining space, at least 1 byte, is the length asked for
     * @return a future of the number of bytes received, by which the position has advanced
     * @throws IllegalArgumentException if {@code dst} is read-only
     */
    UsbTransferFuture<Integer> read(ByteBuffer dst);

    /**
     * Reads into a native memory segment without copying. The segment is lent to the transfer
     * until {@link UsbTransferFuture#reaped()}; its arena must stay open until then.
     *
     * @param dst where the bytes go; its size, at least 1 byte, is the length asked for
     * @return a future of the number of bytes received into the segment's start
     * @throws IllegalArgumentException if the segment is read-only, on the heap, or larger than 2<sup>31</sup>-65 bytes
     * @throws IllegalStateException    if its arena is closed
     */
    UsbTransferFuture<Integer> read(MemorySegment dst);

    /**
     * The stream options this endpoint starts from: {@link UsbStreamOptions#defaults(UsbEndpoint,
     * UsbSpeed)} for its descriptor and the speed its device runs at. Change what you need with
     * {@link UsbStreamOptions#withTransfers} and {@link UsbStreamOptions#withTransferSize}.
     *
     * @return the defaults for this endpoint
     */
    default UsbStreamOptions defaultStreamOptions() {
        return UsbStreamOptions.defaults(descriptor(), interfaceHandle().deviceHandle().device().speed());
    }

    /**
     * Starts a stream that keeps {@code options.transfers()} reads in flight and calls
     * {@code handler} with each completed one, in order, on the stream's own thread (on the event
     * thread under {@link UsbContext.Builder#completeOnEventThread()}). The handler borrows the
     * buffer: it is resubmitted when the handler returns. A handler that throws ends the stream,
     * and {@link UsbInStream#done()} fails with its exception; see {@link UsbInStream} for the whole
     * contract and how to run a stream for a while. The lowest-overhead way to read continuously;
     * in steady state it allocates nothing per transfer.
     *
     * @param options the transfer size and the number of transfers in flight
     * @param handler called with each completed transfer's buffer, which it may use only until it returns
     * @return the running stream; closing it stops the reads
     * @throws IllegalArgumentException if the transfer size is not a multiple of the maximum packet size
     * @throws IllegalStateException    if the endpoint has a stream already or transfers pending
     */
    UsbInStream stream(UsbStreamOptions options, Consumer<? super UsbBuffer> handler);

    /**
     * A publisher of this endpoint's data with real backpressure: each subscription starts a stream
     * that submits transfers only while the subscriber has demand (at most
     * {@code options.transfers()} at once), so a slow subscriber loses nothing: the device waits.
     * The subscriber owns each buffer until it closes it. A failure is signalled once with
     * {@code onError}; cancelling the subscription stops the stream.
     *
     * @param options the transfer size and the number of transfers in flight at most
     * @return a publisher; each subscriber gets its own stream
     */
    Flow.Publisher<UsbBuffer> publisher(UsbStreamOptions options);

    /**
     * This endpoint as an {@link InputStream} with {@code options.transfers()} reads in flight.
     * Closing it stops the stream; a USB failure surfaces as an {@link java.io.IOException} whose
     * cause is the {@link UsbException}.
     *
     * @param options the transfer size and the number of transfers in flight
     * @return an input stream reading this endpoint; close it to stop the reads
     */
    InputStream inputStream(UsbStreamOptions options);
}
