package dev.ausb;

import java.nio.ByteBuffer;

/**
 * A writer that keeps up to N transfers in flight on an OUT endpoint: writes fill a native buffer,
 * a full buffer is submitted, and a write that needs a buffer blocks while all N are in flight
 * (backpressure); on the event thread it throws {@link IllegalStateException} instead, before it
 * touches anything.
 *
 * <p>Obtained from {@link UsbOutEndpoint#stream}. A failed transfer (a stall, the device gone...)
 * ends the stream; the next call throws that {@link UsbException}. Meant for one writer thread at
 * a time; the methods are synchronized, so several threads are safe but interleave whole calls.
 */
public interface UsbOutStream extends AutoCloseable {

    /**
     * Copies the bytes into the stream's buffers, submitting each one as it fills; blocks while
     * all transfers are in flight.
     *
     * @param data   the array holding the bytes
     * @param offset where they start in {@code data}
     * @param length how many to write, from {@code offset}
     * @throws UsbException          if an earlier transfer failed
     * @throws IllegalStateException if the stream is closed
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code data}
     */
    void write(byte[] data, int offset, int length);

    /**
     * As {@link #write(byte[], int, int)} for the whole array.
     *
     * @param data the bytes to write
     */
    default void write(byte[] data) {
        write(data, 0, data.length);
    }

    /**
     * As {@link #write(byte[], int, int)} for the bytes between {@code src}'s position and limit, which it consumes.
     *
     * @param src the bytes to write; its position advances to its limit
     */
    void write(ByteBuffer src);

    /**
     * Submits the buffer being filled, even if it is not full. Does not wait, except for the
     * zero-length packet that a flush of nothing sends after a full buffer (with
     * {@link UsbOutEndpoint#setZeroLengthPacket}) while every transfer is in flight.
     */
    void flush();

    /**
     * Submits what is buffered and waits until every transfer is done.
     *
     * @throws UsbException if a transfer failed
     */
    void drain();

    /**
     * Bytes the device has accepted so far.
     *
     * @return the byte count of the transfers the device has completed
     */
    long bytesWritten();

    /**
     * Drains, then releases the buffers. Idempotent.
     *
     * @throws UsbException if a transfer failed
     */
    @Override
    void close();
}
