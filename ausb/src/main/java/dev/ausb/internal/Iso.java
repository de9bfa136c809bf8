package dev.ausb.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.ausb.UsbDirection;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbIsoInEndpoint;
import dev.ausb.UsbIsoPacket;
import dev.ausb.UsbIsoResult;
import dev.ausb.UsbSpeed;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** What isochronous transfers need besides the common lifecycle: packet sizes, and their results. */
final class Iso {
    private Iso() {}

    /**
     * The largest packet {@code ep} moves per service interval at {@code speed}, as
     * {@code libusb_get_max_iso_packet_size} computes it: at SuperSpeed and faster the companion's
     * {@code wBytesPerInterval}; otherwise (or without a companion) {@code wMaxPacketSize} bits
     * 10..0 times the transactions per microframe of bits 12..11 (which only high-speed endpoints set).
     */
    static int maxPacketBytes(UsbEndpoint ep, UsbSpeed speed) {
        if (superSpeed(speed) && ep.superSpeedCompanion().isPresent()) {
            return ep.superSpeedCompanion().get().bytesPerInterval();
        }
        return ep.maxPacketSize() * ep.transactionsPerMicroframe();
    }

    /** What a stream's transfer may take beyond its intervals before it counts as lost (a device that never answers). */
    static final long STREAM_MARGIN_MS = 5_000;

    /**
     * The timeout of an isochronous stream's transfers: the time that all {@code transfers} x
     * {@code packets} service intervals in flight take (a transfer queued behind the others starts
     * its intervals when they are done, and libusb counts its timeout from its submission), at
     * 2^(bInterval-1) frames of 1 ms at low, full or unknown speed and 2^(bInterval-1) microframes
     * of 125 us above, plus {@link #STREAM_MARGIN_MS}; at most 2^31-1 ms. A host controller
     * completes an isochronous transfer once its intervals have passed; one that is never handed
     * back (a broken controller, a virtual device that stopped answering) then ends the stream
     * instead of leaving its writer, drain or close waiting forever.
     */
    static long streamTimeoutMs(UsbEndpoint ep, UsbSpeed speed, int transfers, int packets) {
        int exp = Math.max(0, Math.min(15, ep.interval() - 1));
        double intervalMs = (speed == UsbSpeed.HIGH || superSpeed(speed) ? 0.125 : 1.0) * (1 << exp);
        double ms = Math.ceil((double) transfers * packets * intervalMs) + STREAM_MARGIN_MS;
        return (long) Math.min(ms, Integer.MAX_VALUE);
    }

    /** SuperSpeed or faster: the companion descriptor says what a service interval carries. */
    private static boolean superSpeed(UsbSpeed speed) {
        return speed == UsbSpeed.SUPER || speed == UsbSpeed.SUPER_PLUS || speed == UsbSpeed.SUPER_PLUS_X2;
    }

    /** Checks a transfer's packet lengths and returns their sum. */
    static int checkPackets(int[] lengths, int max, boolean zeroAllowed, String label) {
        java.util.Objects.requireNonNull(lengths, "packet lengths");
        if (lengths.length < 1 || lengths.length > UsbIsoInEndpoint.MAX_PACKETS) {
            throw new IllegalArgumentException("an isochronous transfer has 1.." + UsbIsoInEndpoint.MAX_PACKETS
                    + " packets, not " + lengths.length);
        }
        long total = 0;
        for (int i = 0; i < lengths.length; i++) {
            int n = lengths[i];
            if (n < (zeroAllowed ? 0 : 1) || n > max) {
                throw new IllegalArgumentException(String.format("packet %d of %d bytes: %s carries %s..%d bytes per"
                        + " packet (one service interval)", i, n, label, zeroAllowed ? "0" : "1", max));
            }
            total += n;
        }
        if (total > EndpointImpl.MAX_LENGTH) {
            throw new IllegalArgumentException("the packets add up to " + total + " bytes, above 2^31-1 minus headroom");
        }
        return (int) total;
    }

    /** Reads the packets from the struct (on the event thread, before it is reused) into a {@link UsbIsoResult}. */
    record Result(UsbDirection direction) implements TransferFutureImpl.Result<UsbIsoResult> {
        @Override
        public UsbIsoResult convert(MemorySegment buffer, int actualLength) {
            throw new IllegalStateException("an isochronous result needs its transfer");
        }

        @Override
        public UsbIsoResult convert(Transfer t, MemorySegment buffer, int actualLength) {
            int n = t.isoPackets();
            List<UsbIsoPacket> packets = new ArrayList<>(n);
            int offset = 0;
            for (int i = 0; i < n; i++) {
                int length = t.isoRequested(i); // the lengths asked for, not what the struct says now
                packets.add(new UsbIsoPacket(offset, length, t.isoCarried(i), TransferFutureImpl.status(t.isoStatus(i))));
                offset += length;
            }
            byte[] data = direction == UsbDirection.IN ? new byte[offset] : new byte[0];
            for (UsbIsoPacket p : direction == UsbDirection.IN ? packets : List.<UsbIsoPacket>of()) {
                // only what each packet carried: the rest of a pooled buffer may hold older data
                MemorySegment.copy(buffer, JAVA_BYTE, p.offset(), data, p.offset(), p.actualLength());
            }
            return new UsbIsoResult(direction, packets, data);
        }
    }
}
