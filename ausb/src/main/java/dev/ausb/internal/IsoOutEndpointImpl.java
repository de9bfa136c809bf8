package dev.ausb.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.ausb.UsbDirection;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbIsoOutEndpoint;
import dev.ausb.UsbIsoResult;
import dev.ausb.UsbTransferFuture;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** The implementation of {@link UsbIsoOutEndpoint}: one-shot transfers on the common endpoint queue. */
final class IsoOutEndpointImpl extends EndpointImpl implements UsbIsoOutEndpoint {
    private static final Iso.Result RESULT = new Iso.Result(UsbDirection.OUT);
    private final int maxPacketBytes;

    IsoOutEndpointImpl(InterfaceImpl itf, UsbEndpoint descriptor, int alternateSetting) {
        super(itf, descriptor, alternateSetting);
        this.maxPacketBytes = Iso.maxPacketBytes(descriptor, itf.handle.deviceImpl().speed());
    }

    @Override
    public int maxPacketBytes() {
        return maxPacketBytes;
    }

    @Override
    public UsbTransferFuture<UsbIsoResult> write(List<byte[]> packets) {
        return write(packets, defaultTimeoutMs());
    }

    @Override
    public UsbTransferFuture<UsbIsoResult> write(List<byte[]> packets, Duration timeout) {
        return write(packets, timeoutMillis(timeout));
    }

    private UsbTransferFuture<UsbIsoResult> write(List<byte[]> packets, long timeoutMs) {
        Objects.requireNonNull(packets, "packets");
        byte[][] copy = packets.toArray(new byte[0][]); // one snapshot: a list changed meanwhile cannot split its checks
        int[] lengths = new int[copy.length];
        for (int i = 0; i < copy.length; i++) {
            lengths[i] = Objects.requireNonNull(copy[i], "packet " + i).length;
        }
        int total = Iso.checkPackets(lengths, maxPacketBytes, true, label());
        MemorySegment buf = itf.handle.engine().buffers.acquire(total);
        long at = 0;
        for (byte[] p : copy) {
            MemorySegment.copy(p, 0, buf, JAVA_BYTE, at, p.length);
            at += p.length;
        }
        return submit(buf, null, total, 0, timeoutMs, lengths, RESULT);
    }

    @Override
    public UsbTransferFuture<UsbIsoResult> write(byte[] data, int[] packetLengths) {
        Objects.requireNonNull(data, "data");
        int[] lengths = packetLengths.clone();
        int total = Iso.checkPackets(lengths, maxPacketBytes, true, label());
        if (total != data.length) {
            throw new IllegalArgumentException("the packet lengths add up to " + total + " bytes, but the data has "
                    + data.length);
        }
        MemorySegment buf = itf.handle.engine().buffers.acquire(total);
        MemorySegment.copy(data, 0, buf, JAVA_BYTE, 0, total);
        return submit(buf, null, total, 0, defaultTimeoutMs(), lengths, RESULT);
    }

    @Override
    public dev.ausb.UsbIsoOutStream stream(dev.ausb.UsbIsoStreamOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.packetLength() > maxPacketBytes) {
            throw new IllegalArgumentException(String.format("a packet length of %d bytes: %s carries 0..%d bytes per"
                    + " packet (one service interval)", options.packetLength(), label(), maxPacketBytes));
        }
        itf.checkUsable(this);
        return new OutStreamImpl.Iso(this, options.transfers(), options.packets(), options.packetLength(),
                Iso.streamTimeoutMs(descriptor, itf.handle.deviceImpl().speed(), options.transfers(), options.packets()));
    }

    @Override
    public String toString() {
        return "UsbIsoOutEndpoint[" + label() + "]";
    }
}
