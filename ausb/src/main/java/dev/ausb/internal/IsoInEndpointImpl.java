package dev.ausb.internal;

import dev.ausb.UsbDirection;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbIsoInEndpoint;
import dev.ausb.UsbIsoResult;
import dev.ausb.UsbTransferFuture;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;

/** The implementation of {@link UsbIsoInEndpoint}: one-shot transfers on the common endpoint queue. */
final class IsoInEndpointImpl extends EndpointImpl implements UsbIsoInEndpoint {
    private static final Iso.Result RESULT = new Iso.Result(UsbDirection.IN);
    private final int maxPacketBytes;

    IsoInEndpointImpl(InterfaceImpl itf, UsbEndpoint descriptor, int alternateSetting) {
        super(itf, descriptor, alternateSetting);
        this.maxPacketBytes = Iso.maxPacketBytes(descriptor, itf.handle.deviceImpl().speed());
    }

    @Override
    public int maxPacketBytes() {
        return maxPacketBytes;
    }

    @Override
    public UsbTransferFuture<UsbIsoResult> read(int packets, int packetLength) {
        return read(uniform(packets, packetLength), defaultTimeoutMs());
    }

    @Override
    public UsbTransferFuture<UsbIsoResult> read(int packets, int packetLength, Duration timeout) {
        return read(uniform(packets, packetLength), timeoutMillis(timeout));
    }

    @Override
    public UsbTransferFuture<UsbIsoResult> read(int[] packetLengths) {
        return read(packetLengths.clone(), defaultTimeoutMs());
    }

    private static int[] uniform(int packets, int packetLength) {
        if (packets < 1 || packets > MAX_PACKETS) {
            throw new IllegalArgumentException("an isochronous transfer has 1.." + MAX_PACKETS + " packets, not " + packets);
        }
        int[] lengths = new int[packets];
        Arrays.fill(lengths, packetLength);
        return lengths;
    }

    private UsbTransferFuture<UsbIsoResult> read(int[] lengths, long timeoutMs) {
        int total = Iso.checkPackets(lengths, maxPacketBytes, false, label());
        MemorySegment buf = itf.handle.engine().buffers.acquire(total);
        return submit(buf, null, total, 0, timeoutMs, lengths, RESULT);
    }

    @Override
    public dev.ausb.UsbInStream stream(dev.ausb.UsbIsoStreamOptions options,
            java.util.function.Consumer<? super dev.ausb.UsbBuffer> handler) {
        int[] lengths = streamPackets(options);
        itf.checkUsable(this);
        return InStreamImpl.withHandler(this, options.transfers(), Iso.checkPackets(lengths, maxPacketBytes, false,
                label()), lengths, handler);
    }

    @Override
    public java.util.concurrent.Flow.Publisher<dev.ausb.UsbBuffer> publisher(dev.ausb.UsbIsoStreamOptions options) {
        int[] lengths = streamPackets(options);
        return InStreamImpl.publisher(this, options.transfers(), Iso.checkPackets(lengths, maxPacketBytes, false,
                label()), lengths);
    }

    private static int[] streamPackets(dev.ausb.UsbIsoStreamOptions options) {
        java.util.Objects.requireNonNull(options, "options");
        return uniform(options.packets(), options.packetLength());
    }

    @Override
    public String toString() {
        return "UsbIsoInEndpoint[" + label() + "]";
    }
}
