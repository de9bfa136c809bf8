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

    /** The bytes received, as a read-only segment of {@link #length()} bytes. */
    MemorySegment segment();

    /** The number of bytes received. */
    int length();

    /** The bytes received as a read-only, little-endian-agnostic {@link ByteBuffer} view. */
    default ByteBuffer asByteBuffer() {
        return segment().asByteBuffer();
    }

    /** A copy of the bytes received. */
    default byte[] toArray() {
        return segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /** The sequence number of the transfer in its stream, from 0: consecutive buffers differ by one. */
    long sequence();

    /** Gives the buffer back to its stream (for a publisher's subscriber). */
    @Override
    void close();
}
