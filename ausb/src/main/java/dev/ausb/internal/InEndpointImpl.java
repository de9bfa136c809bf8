package dev.ausb.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbTransferFuture;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;

/** The implementation of {@link UsbInEndpoint}. */
final class InEndpointImpl extends EndpointImpl implements UsbInEndpoint {
    InEndpointImpl(InterfaceImpl itf, UsbEndpoint descriptor, int alternateSetting) {
        super(itf, descriptor, alternateSetting);
    }

    @Override
    public UsbTransferFuture<byte[]> read(int length) {
        return read(length, defaultTimeoutMs());
    }

    @Override
    public UsbTransferFuture<byte[]> read(int length, Duration timeout) {
        return read(length, timeoutMillis(timeout));
    }

    private UsbTransferFuture<byte[]> read(int length, long timeoutMs) {
        checkLength(length);
        MemorySegment buf = itf.handle.engine().buffers.acquire(length);
        return submit(buf, null, length, 0, timeoutMs, (b, n) -> b.asSlice(0, n).toArray(JAVA_BYTE));
    }

    @Override
    public UsbTransferFuture<Integer> read(ByteBuffer dst) {
        int n = remaining(dst);
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only buffer");
        }
        if (dst.isDirect()) {
            MemorySegment lent = MemorySegment.ofBuffer(dst);
            return submit(lent, dst, n, 0, defaultTimeoutMs(), (b, got) -> {
                dst.position(dst.position() + got);
                return got;
            });
        }
        MemorySegment buf = itf.handle.engine().buffers.acquire(n);
        return submit(buf, null, n, 0, defaultTimeoutMs(), (b, got) -> {
            MemorySegment.ofBuffer(dst).copyFrom(b.asSlice(0, got));
            dst.position(dst.position() + got);
            return got;
        });
    }

    @Override
    public UsbTransferFuture<Integer> read(MemorySegment dst) {
        checkNative(dst);
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only segment");
        }
        return submit(dst, dst, (int) dst.byteSize(), 0, defaultTimeoutMs(), (b, got) -> got);
    }

    @Override
    public String toString() {
        return "UsbInEndpoint[" + label() + "]";
    }
}
