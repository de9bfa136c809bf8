package dev.ausb.internal;

import dev.ausb.UsbEndpoint;
import dev.ausb.UsbOutEndpoint;
import dev.ausb.UsbOutStream;
import dev.ausb.UsbStreamOptions;
import java.io.OutputStream;
import dev.ausb.UsbTransferFuture;
import dev.ausb.internal.libusb.Structs;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/** The implementation of {@link UsbOutEndpoint}. */
final class OutEndpointImpl extends EndpointImpl implements UsbOutEndpoint {
    private volatile boolean zeroLengthPacket;

    OutEndpointImpl(InterfaceImpl itf, UsbEndpoint descriptor, int alternateSetting) {
        super(itf, descriptor, alternateSetting);
    }

    private int flags() {
        return zeroLengthPacket ? Structs.TRANSFER_ADD_ZERO_PACKET : 0;
    }

    @Override
    public UsbTransferFuture<Integer> write(byte[] data) {
        return write(data, defaultTimeoutMs());
    }

    @Override
    public UsbTransferFuture<Integer> write(byte[] data, Duration timeout) {
        return write(data, timeoutMillis(timeout));
    }

    private UsbTransferFuture<Integer> write(byte[] data, long timeoutMs) {
        return write(data, timeoutMs, 0);
    }

    private UsbTransferFuture<Integer> write(byte[] data, long timeoutMs, int streamId) {
        Objects.requireNonNull(data, "data");
        checkLength(data.length);
        if (streamId != 0) {
            itf.checkStream(this, streamId);
        }
        MemorySegment buf = itf.handle.engine().buffers.acquire(data.length);
        buf.copyFrom(MemorySegment.ofArray(data));
        return submit(buf, null, data.length, flags(), timeoutMs, null, streamId, (b, n) -> n);
    }

    @Override
    public UsbTransferFuture<Integer> writeBulkStream(int streamId, byte[] data) {
        return write(data, defaultTimeoutMs(), checkStreamId(streamId));
    }

    @Override
    public UsbTransferFuture<Integer> writeBulkStream(int streamId, byte[] data, Duration timeout) {
        return write(data, timeoutMillis(timeout), checkStreamId(streamId));
    }

    @Override
    public UsbTransferFuture<Integer> write(ByteBuffer src) {
        int n = remaining(src);
        if (src.isDirect()) {
            return submit(MemorySegment.ofBuffer(src), src, n, flags(), defaultTimeoutMs(), (b, sent) -> {
                src.position(src.position() + sent);
                return sent;
            });
        }
        MemorySegment buf = itf.handle.engine().buffers.acquire(n);
        buf.copyFrom(MemorySegment.ofBuffer(src));
        return submit(buf, null, n, flags(), defaultTimeoutMs(), (b, sent) -> {
            src.position(src.position() + sent);
            return sent;
        });
    }

    @Override
    public UsbTransferFuture<Integer> write(MemorySegment src) {
        checkNative(src);
        return submit(src, src, (int) src.byteSize(), flags(), defaultTimeoutMs(), (b, sent) -> sent);
    }

    @Override
    public void setZeroLengthPacket(boolean enabled) {
        this.zeroLengthPacket = enabled;
    }

    @Override
    public boolean zeroLengthPacket() {
        return zeroLengthPacket;
    }

    @Override
    public UsbOutStream stream(UsbStreamOptions options) {
        Objects.requireNonNull(options, "options");
        int mps = Math.max(1, descriptor.maxPacketSize() * descriptor.transactionsPerMicroframe());
        if (options.transferSize() % mps != 0) {
            // a full buffer that ended in a short packet would look like a message boundary to the device
            throw new IllegalArgumentException(String.format(
                    "an OUT stream's transfer size is a multiple of the endpoint's %d-byte packets, not %d", mps,
                    options.transferSize()));
        }
        itf.checkUsable(this);
        return new OutStreamImpl(this, options.transfers(), options.transferSize());
    }

    @Override
    public OutputStream outputStream(UsbStreamOptions options) {
        return new StreamOutputStream(stream(options));
    }

    @Override
    public String toString() {
        return "UsbOutEndpoint[" + label() + "]";
    }
}
