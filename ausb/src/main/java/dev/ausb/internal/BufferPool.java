package dev.ausb.internal;

import dev.ausb.internal.libusb.NativeMemory;
import java.lang.foreign.MemorySegment;

/**
 * A bounded pool of native transfer buffers in power-of-two size classes from 64 bytes to 16 MiB.
 *
 * <p>A buffer returns to the pool only when libusb has handed its transfer back. Each class keeps
 * at most {@link #BYTES_PER_CLASS} bytes (and at least 2 buffers); a buffer beyond that is freed,
 * and a request finding its class empty allocates rather than waits. Larger requests bypass the
 * pool. Pushing and popping allocate nothing.
 */
final class BufferPool {
    static final int MIN_SHIFT = 6;
    static final int MAX_SHIFT = 24;
    static final long BYTES_PER_CLASS = 4L << 20;

    private final MemorySegment[][] free = new MemorySegment[MAX_SHIFT + 1][];
    private final int[] count = new int[MAX_SHIFT + 1];
    private boolean closed;

    BufferPool() {
        for (int s = MIN_SHIFT; s <= MAX_SHIFT; s++) {
            free[s] = new MemorySegment[(int) Math.max(2, BYTES_PER_CLASS >> s)];
        }
    }

    static int shiftFor(long size) {
        int shift = 64 - Long.numberOfLeadingZeros(Math.max(1, size) - 1);
        return Math.max(MIN_SHIFT, shift);
    }

    /** A buffer of at least {@code size} bytes (its own size is the class size). */
    MemorySegment acquire(long size) {
        int shift = shiftFor(size);
        if (shift > MAX_SHIFT) {
            return NativeMemory.malloc(size);
        }
        synchronized (this) {
            if (count[shift] > 0) {
                MemorySegment s = free[shift][--count[shift]];
                free[shift][count[shift]] = null;
                return s;
            }
        }
        return NativeMemory.malloc(1L << shift);
    }

    /** Returns a buffer; libusb must be done with it. */
    void release(MemorySegment buffer) {
        int shift = shiftFor(buffer.byteSize());
        if (shift <= MAX_SHIFT && buffer.byteSize() == 1L << shift) {
            synchronized (this) {
                if (!closed && count[shift] < free[shift].length) {
                    free[shift][count[shift]++] = buffer;
                    return;
                }
            }
        }
        NativeMemory.free(buffer);
    }

    /** Frees every pooled buffer; later releases free directly. */
    synchronized void close() {
        closed = true;
        for (int s = MIN_SHIFT; s <= MAX_SHIFT; s++) {
            for (int i = 0; i < count[s]; i++) {
                NativeMemory.free(free[s][i]);
                free[s][i] = null;
            }
            count[s] = 0;
        }
    }

    /** Buffers held, for tests. */
    synchronized int pooled() {
        int n = 0;
        for (int c : count) {
            n += c;
        }
        return n;
    }
}
