package dev.ausb.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.ausb.UsbBuffer;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInStream;
import dev.ausb.UsbStreamOptions;
import dev.ausb.UsbTransferFuture;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
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
        return read(length, timeoutMs, 0);
    }

    private UsbTransferFuture<byte[]> read(int length, long timeoutMs, int streamId) {
        checkReadLength(length);
        if (streamId != 0) {
            itf.checkStream(this, streamId);
        }
        MemorySegment buf = itf.handle.engine().buffers.acquire(length);
        return submit(buf, null, length, 0, timeoutMs, null, streamId, (b, n) -> b.asSlice(0, n).toArray(JAVA_BYTE));
    }

    @Override
    public UsbTransferFuture<byte[]> readBulkStream(int streamId, int length) {
        return read(length, defaultTimeoutMs(), checkStreamId(streamId));
    }

    @Override
    public UsbTransferFuture<byte[]> readBulkStream(int streamId, int length, Duration timeout) {
        return read(length, timeoutMillis(timeout), checkStreamId(streamId));
    }

    @Override
    public UsbTransferFuture<Integer> read(ByteBuffer dst) {
        int n = remaining(dst);
        checkReadLength(n);
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
        checkReadLength(dst.byteSize());
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read into a read-only segment");
        }
        return submit(dst, dst, (int) dst.byteSize(), 0, defaultTimeoutMs(), (b, got) -> got);
    }

    /**
     * A read asks for at least one byte: a 0-byte IN transfer turns any data packet the device
     * sends into an overflow, and that packet is lost.
     */
    private static void checkReadLength(long length) {
        checkLength(length);
        if (length == 0) {
            throw new IllegalArgumentException("a read asks for at least 1 byte (a 0-byte IN transfer would lose"
                    + " the device's next packet as an overflow)");
        }
    }

    private void checkStream(UsbStreamOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        int mps = Math.max(1, descriptor.maxPacketSize() * descriptor.transactionsPerMicroframe());
        if (options.transferSize() % mps != 0) {
            throw new IllegalArgumentException(String.format(
                    "an IN stream's transfer size is a multiple of the endpoint's %d-byte packets, not %d", mps,
                    options.transferSize()));
        }
    }

    @Override
    public UsbInStream stream(UsbStreamOptions options, Consumer<? super UsbBuffer> handler) {
        checkStream(options);
        itf.checkUsable(this);
        return InStreamImpl.withHandler(this, options.transfers(), options.transferSize(), null, handler);
    }

    @Override
    public Flow.Publisher<UsbBuffer> publisher(UsbStreamOptions options) {
        checkStream(options);
        return InStreamImpl.publisher(this, options.transfers(), options.transferSize(), null);
    }

    @Override
    public InputStream inputStream(UsbStreamOptions options) {
        StreamInputStream in = new StreamInputStream(options.transfers());
        publisher(options).subscribe(in);
        return in;
    }

    @Override
    public String toString() {
        return "UsbInEndpoint[" + label() + "]";
    }
}
