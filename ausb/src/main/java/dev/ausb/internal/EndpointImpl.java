package dev.ausb.internal;

import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferType;
import dev.ausb.internal.libusb.Structs;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What the IN and OUT endpoint handles share: validation, the default timeout, the ordering barrier
 * after a cancel, and the way a transfer is built and submitted.
 */
abstract sealed class EndpointImpl permits InEndpointImpl, OutEndpointImpl {
    /** Headroom below Integer.MAX_VALUE kept for libusb's int lengths. */
    static final int MAX_LENGTH = Integer.MAX_VALUE - 64;

    final InterfaceImpl itf;
    final UsbEndpoint descriptor;
    final int alternateSetting;
    final int libusbType;
    private volatile long timeoutMs;
    private volatile CompletableFuture<?> barrier = CompletableFuture.completedFuture(null);

    EndpointImpl(InterfaceImpl itf, UsbEndpoint descriptor, int alternateSetting) {
        this.itf = itf;
        this.descriptor = descriptor;
        this.alternateSetting = alternateSetting;
        this.libusbType = descriptor.transferType() == UsbTransferType.BULK ? Structs.TRANSFER_TYPE_BULK
                : Structs.TRANSFER_TYPE_INTERRUPT;
    }

    public UsbEndpoint descriptor() {
        return descriptor;
    }

    public UsbInterfaceHandle interfaceHandle() {
        return itf;
    }

    public void setTimeout(Duration timeout) {
        this.timeoutMs = timeoutMillis(timeout);
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMs);
    }

    long defaultTimeoutMs() {
        return timeoutMs;
    }

    static long timeoutMillis(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout is not negative: " + timeout);
        }
        long ms = timeout.toMillis();
        if (timeout.compareTo(Duration.ofMillis(0xffff_ffffL)) > 0) {
            throw new IllegalArgumentException("libusb timeouts are at most 2^32-1 ms: " + timeout);
        }
        return ms == 0 && !timeout.isZero() ? 1 : ms;
    }

    public void clearHalt() {
        itf.handle.clearHalt(descriptor.address());
    }

    /** A later submission waits until a cancelled one is reaped, so the two never race. */
    void holdUntilReaped(CompletableFuture<?> reaped) {
        synchronized (this) {
            CompletableFuture<?> old = barrier;
            barrier = old.isDone() ? reaped : CompletableFuture.allOf(old, reaped);
        }
    }

    /** "bulk IN 0x81 of 1a0a:badd (bus 3, device 2)". */
    String label() {
        return String.format("%s %s 0x%02x of %s", descriptor.transferType().name().toLowerCase(java.util.Locale.ROOT),
                descriptor.direction(), descriptor.address(), itf.handle.deviceImpl().label());
    }

    /** Builds and submits one transfer on this endpoint; {@code buffer} is pooled when {@code lent} is null. */
    <T> UsbTransferFuture<T> submit(MemorySegment buffer, Object lent, int length, int flags, long timeoutMs,
            TransferFutureImpl.Result<T> result) {
        try {
            itf.checkUsable(this);
        } catch (RuntimeException e) {
            if (lent == null) {
                itf.handle.engine().buffers.release(buffer);
            }
            throw e;
        }
        HandleImpl handle = itf.handle;
        TransferEngine engine = handle.engine();
        Transfer t = engine.acquire();
        t.owner = handle;
        t.itf = itf;
        t.endpoint = this;
        t.buffer = buffer;
        t.pooledBuffer = lent == null;
        t.lent = lent;
        t.fill(handle.handle(), descriptor.address(), libusbType, timeoutMs, buffer, length, flags,
                engine.callbackStub);
        TransferFutureImpl<T> f = new TransferFutureImpl<>(engine, t, result, this::label,
                handle.context().completionExecutor());
        CompletableFuture<?> wait = barrier;
        if (wait.isDone()) {
            handle.submit(t, f, this::label);
        } else {
            wait.whenComplete((r, e) -> handle.submit(t, f, this::label));
        }
        return f;
    }

    /** Checks a lent or given ByteBuffer's remaining length. */
    static int remaining(ByteBuffer b) {
        Objects.requireNonNull(b, "buffer");
        return b.remaining();
    }

    static void checkLength(long length) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("a transfer length is 0.." + MAX_LENGTH + ", not " + length);
        }
    }

    static void checkNative(MemorySegment s) {
        Objects.requireNonNull(s, "segment");
        if (!s.isNative()) {
            throw new IllegalArgumentException("a heap segment cannot be lent to a transfer; use a byte[] or ByteBuffer");
        }
        checkLength(s.byteSize());
        if (!s.scope().isAlive()) {
            throw new IllegalStateException("the segment's arena is closed");
        }
    }
}
