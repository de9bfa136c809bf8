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
     * @return a future of the bytes written
     */
    UsbTransferFuture<Integer> write(byte[] data);

    /** Writes {@code data} with this transfer's own timeout. */
    UsbTransferFuture<Integer> write(byte[] data, Duration timeout);

    /**
     * Writes {@code data} on USB 3 bulk stream {@code streamId}, which
     * {@link UsbInterfaceHandle#allocateBulkStreams} allocated on this endpoint; on the endpoint's
     * common lifecycle.
     *
     * @throws IllegalStateException    if the endpoint has no streams, or the handle is closed
     * @throws IllegalArgumentException if the stream is not one of them, or as {@link #write(byte[])}
     */
    UsbTransferFuture<Integer> writeBulkStream(int streamId, byte[] data);

    /** As {@link #writeBulkStream(int, byte[])}, with this transfer's own timeout. */
    UsbTransferFuture<Integer> writeBulkStream(int streamId, byte[] data, Duration timeout);

    /**
     * Writes the bytes between {@code src}'s position and limit; the position advances by the count
     * written when the future completes. A direct buffer is lent to the transfer without copying
     * until {@link UsbTransferFuture#reaped()}; a heap buffer is copied once.
     */
    UsbTransferFuture<Integer> write(ByteBuffer src);

    /**
     * Writes a native memory segment without copying; it is lent to the transfer until
     * {@link UsbTransferFuture#reaped()}, and its arena must stay open until then.
     *
     * @throws IllegalArgumentException if the segment is on the heap or larger than 2^31-1 bytes
     */
    UsbTransferFuture<Integer> write(MemorySegment src);

    /**
     * Whether a write whose length is a non-zero multiple of the maximum packet size ends with a
     * zero-length packet, so the device sees where it ends (off by default).
     */
    void setZeroLengthPacket(boolean enabled);

    /** True when writes end with a zero-length packet where needed. */
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
     */
    UsbOutStream stream(UsbStreamOptions options);

    /** This endpoint as an {@link OutputStream} over {@link #stream}; failures surface as {@link java.io.IOException}. */
    OutputStream outputStream(UsbStreamOptions options);
}
