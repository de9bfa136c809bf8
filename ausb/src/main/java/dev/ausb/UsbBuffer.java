package dev.ausb;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The data of one completed IN transfer of a stream, in native memory the stream owns and reuses.
 *
 * <p>Who may use it, and until when, depends on how it arrived:
 * <ul>
 * <li>A handler of {@link UsbInEndpoint#stream} <em>borrows</em> it: it is valid while the handler
 *     runs and is resubmitted as soon as the handler returns. Copy what you keep ({@link #toArray()}).
 * <li>A subscriber of {@link UsbInEndpoint#publisher} <em>owns</em> it: it stays valid until the
 *     subscriber calls {@link #close()}, and the stream does not reuse that transfer until then, so a
 *     subscriber that keeps buffers slows the stream down instead of losing data.
 * </ul>
 * A buffer must not be used after it is closed or after its handler returned. Not thread-safe;
 * closing twice in a row is harmless.
 */
public interface UsbBuffer extends AutoCloseable {

    /**
     * The bytes received, as a read-only segment of {@link #length()} bytes. For an isochronous
     * transfer it spans every packet at the length asked for, with zeros after each packet's bytes.
     *
     * @return a read-only view of the stream's native memory, valid until the buffer is released
     * @throws IllegalStateException if the buffer is closed or its handler returned
     */
    MemorySegment segment();

    /**
     * The number of bytes received; for an isochronous transfer, the size of {@link #segment()}
     * (the packets' lengths asked for), while {@link #packet(int)} says what each carried.
     *
     * @return the length in bytes of {@link #segment()}
     */
    int length();

    /**
     * The bytes received as a read-only, little-endian-agnostic {@link ByteBuffer} view.
     *
     * @return a read-only view of {@link #segment()}, in {@link ByteBuffer}'s default big-endian order
     *         (set {@code order(ByteOrder.LITTLE_ENDIAN)} for USB's little-endian fields)
     */
    default ByteBuffer asByteBuffer() {
        return segment().asByteBuffer();
    }

    /**
     * A copy of the bytes received.
     *
     * @return a new array of {@link #length()} bytes, which stays valid after the buffer is released
     */
    default byte[] toArray() {
        return segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /**
     * The sequence number of the transfer in its stream, from 0: consecutive buffers differ by one.
     *
     * @return the transfer's number in its stream, from 0
     */
    long sequence();

    /**
     * The isochronous packets of this transfer ({@link UsbIsoInEndpoint#stream}); 0 for bulk and
     * interrupt streams. An isochronous buffer's {@link #segment()} spans every packet at the length
     * asked for, so a short packet leaves a gap (of zeros) after its bytes: {@link #packet(int)} says
     * where each packet starts, how many bytes it carried and with what status. Each call of
     * {@code packet} makes a small record ({@link #packetActualLength} and its siblings make none); the
     * buffer itself is reused.
     *
     * @return the number of isochronous packets, or 0 for a bulk or interrupt transfer
     */
    default int packetCount() {
        return 0;
    }

    /**
     * Isochronous packet {@code i} of this transfer.
     *
     * @param i the packet's index, 0..{@link #packetCount()}-1
     * @return the packet's offset, lengths and status
     * @throws IndexOutOfBoundsException if {@code i} is not below {@link #packetCount()}
     */
    default UsbIsoPacket packet(int i) {
        throw new IndexOutOfBoundsException("packet " + i + " of a transfer without isochronous packets");
    }

    /**
     * Where isochronous packet {@code i} starts in {@link #segment()}; as {@code packet(i).offset()},
     * without making a record (for a handler that walks thousands of packets a second).
     *
     * @param i the packet's index, 0..{@link #packetCount()}-1
     * @return the packet's offset in bytes from the start of {@link #segment()}
     * @throws IndexOutOfBoundsException if {@code i} is not below {@link #packetCount()}
     */
    default int packetOffset(int i) {
        return packet(i).offset();
    }

    /**
     * The bytes isochronous packet {@code i} carried; as {@code packet(i).actualLength()}, without a record.
     *
     * @param i the packet's index, 0..{@link #packetCount()}-1
     * @return the number of bytes the packet carried
     * @throws IndexOutOfBoundsException if {@code i} is not below {@link #packetCount()}
     */
    default int packetActualLength(int i) {
        return packet(i).actualLength();
    }

    /**
     * True if isochronous packet {@code i} completed; as {@code packet(i).completed()}, without a record.
     *
     * @param i the packet's index, 0..{@link #packetCount()}-1
     * @return true when the packet's status is {@link UsbTransferResult.Status#COMPLETED}
     * @throws IndexOutOfBoundsException if {@code i} is not below {@link #packetCount()}
     */
    default boolean packetCompleted(int i) {
        return packet(i).completed();
    }

    /** Gives the buffer back to its stream (for a publisher's subscriber). */
    @Override
    void close();
}
