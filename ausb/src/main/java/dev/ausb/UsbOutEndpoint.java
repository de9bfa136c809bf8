package dev.ausb;

import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A bulk or interrupt OUT endpoint of a claimed interface: writes are transfers to the device.
 *
 * <p>Obtained from {@link UsbInterfaceHandle#outEndpoint(int)}. Thread-safe.
 * {@snippet :
 * UsbOutEndpoint out = itf.outEndpoint(0x02);
 * int written = out.write(payload).join();
 * }
 */
public non-sealed interface UsbOutEndpoint extends UsbEndpointHandle {

    /**
     * Writes {@code data} (copied at the call, so the array may be reused at once).
     *
     * @param data the bytes to send, 0..2<sup>31</sup>-65 of them (none: a zero-length packet), copied at the call
     * @return a future of the bytes written
     * @throws IllegalArgumentException if {@code data} is longer than 2<sup>31</sup>-65 bytes
     * @throws IllegalStateException    if the handle is closed
     */
    UsbTransferFuture<Integer> write(byte[] data);

    /**
     * Writes {@code data} with this transfer's own timeout.
     *
     * @param data the bytes to send, 0..2<sup>31</sup>-65 of them (none: a zero-length packet), copied at the call
     * @param timeout how long libusb lets the transfer take before it fails with
     *                {@link UsbTimeoutException}, in milliseconds, at most 2<sup>32</sup>-1 ms;
     *                {@link Duration#ZERO}: no limit, whatever {@link #timeout()} says
     * @return a future of the bytes written
     * @throws IllegalArgumentException if {@code data} is too long, or the timeout negative or too long
     * @throws IllegalStateException    if the handle is closed
     */
    UsbTransferFuture<Integer> write(byte[] data, Duration timeout);

    /**
     * Writes {@code data} on USB 3 bulk stream {@code streamId}, which
     * {@link UsbInterfaceHandle#allocateBulkStreams} allocated on this endpoint; on the endpoint's
     * common lifecycle.
     *
     * @param streamId the stream, 1..n of those allocated on this endpoint
     * @param data the bytes to send, 0..2<sup>31</sup>-65 of them (none: a zero-length packet), copied at the call
     * @return a future of the bytes written on that stream
     * @throws IllegalStateException    if the endpoint has no streams, or the handle is closed
     * @throws IllegalArgumentException if the stream is not one of them, or as {@link #write(byte[])}
     */
    UsbTransferFuture<Integer> writeBulkStream(int streamId, byte[] data);

    /**
     * As {@link #writeBulkStream(int, byte[])}, with this transfer's own timeout.
     *
     * @param streamId the stream, 1..n of those allocated on this endpoint
     * @param data the bytes to send, 0..2<sup>31</sup>-65 of them (none: a zero-length packet), copied at the call
     * @param timeout how long libusb lets the transfer take before it fails with
     *                {@link UsbTimeoutException}, in milliseconds, at most 2<sup>32</sup>-1 ms;
     *                {@link Duration#ZERO}: no limit, whatever {@link #timeout()} says
     * @return a future of the bytes written on that stream
     * @throws IllegalStateException    if the endpoint has no streams, or the handle is closed
     * @throws IllegalArgumentException if the stream is not one of them, or as {@link #write(byte[], Duration)}
     */
    UsbTransferFuture<Integer> writeBulkStream(int streamId, byte[] data, Duration timeout);

    /**
     * Writes the bytes between {@code src}'s position and limit; the position advances by the count
     * written when the future completes. A direct buffer is lent to the transfer without copying
     * until {@link UsbTransferFuture#reaped()}; a heap buffer is copied once.
     *
     * @param src the bytes to send, its remaining ones
     * @return a future of the number of bytes written, by which the position has advanced
     */
    UsbTransferFuture<Integer> write(ByteBuffer src);

    /**
     * Writes a native memory segment without copying; it is lent to the transfer until
     * {@link UsbTransferFuture#reaped()}, and its arena must stay open until then.
     *
     * @param src the bytes to send, the whole segment
     * @return a future of the number of bytes written
     * @throws IllegalArgumentException if the segment is on the heap or larger than 2<sup>31</sup>-65 bytes
     * @throws IllegalStateException    if its arena is closed
     */
    UsbTransferFuture<Integer> write(MemorySegment src);

    /**
     * Whether a write whose length is a non-zero multiple of the maximum packet size ends with a
     * zero-length packet, so the device sees where it ends (off by default).
     *
     * @param enabled true to end such writes with a zero-length packet
     */
    void setZeroLengthPacket(boolean enabled);

    /**
     * True when writes end with a zero-length packet where needed.
     *
     * @return the setting of {@link #setZeroLengthPacket}
     */
    boolean zeroLengthPacket();

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
     * A writer with up to {@code options.transfers()} transfers of {@code options.transferSize()}
     * bytes in flight, blocking the producer while all are (backpressure).
     *
     * @param options the transfer size and the number of transfers in flight
     * @return the writer; close it to send what is buffered and wait for it
     * @throws IllegalArgumentException if the transfer size is not a multiple of the maximum packet size
     * @throws IllegalStateException    if the endpoint has a stream already or transfers pending
     */
    UsbOutStream stream(UsbStreamOptions options);

    /**
     * This endpoint as an {@link OutputStream} over {@link #stream}; failures surface as {@link java.io.IOException}.
     *
     * @param options the transfer size and the number of transfers in flight
     * @return an output stream writing to this endpoint; closing it sends what is buffered and waits for it
     */
    OutputStream outputStream(UsbStreamOptions options);
}
