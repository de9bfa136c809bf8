package dev.ausb.lab.usbip;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One URB the kernel submitted to the virtual device (a USBIP_CMD_SUBMIT): which endpoint, which
 * direction, its SETUP packet (control), its OUT data, its isochronous packets. The device answers
 * it exactly once, by its handler's {@link Reply} or later by {@link #respond}; or the kernel
 * unlinks it first.
 */
@SuppressWarnings("doclint:missing") // test fixture API: one-line summaries, no @param/@return
public final class Urb {
    /** Where a URB stands. */
    public enum State {
        /** Not answered yet. */
        PENDING,
        /** Answered with a USBIP_RET_SUBMIT. */
        COMPLETED,
        /** Unlinked by the kernel (a cancel) while pending: never answered. */
        UNLINKED,
        /** The connection ended while it was pending. */
        DROPPED
    }

    private final VirtualDevice device;
    private final int seqnum;
    private final boolean in;
    private final int endpointNumber;
    private final int transferFlags;
    private final int bufferLength;
    private final int startFrame;
    private final int interval;
    private final Setup setup;
    private final byte[] outData;
    private final List<IsoPacket> isoPackets;
    private final long receivedNanos = System.nanoTime();
    final AtomicReference<State> state = new AtomicReference<>(State.PENDING);
    private volatile Reply answer;

    Urb(VirtualDevice device, int seqnum, boolean in, int endpointNumber, int transferFlags, int bufferLength,
            int startFrame, int interval, Setup setup, byte[] outData, List<IsoPacket> isoPackets) {
        this.device = device;
        this.seqnum = seqnum;
        this.in = in;
        this.endpointNumber = endpointNumber;
        this.transferFlags = transferFlags;
        this.bufferLength = bufferLength;
        this.startFrame = startFrame;
        this.interval = interval;
        this.setup = setup;
        this.outData = outData;
        this.isoPackets = List.copyOf(isoPackets);
    }

    /** The kernel's sequence number of this URB; a CMD_UNLINK names it. */
    public int seqnum() {
        return seqnum;
    }

    /** True for device-to-host. */
    public boolean in() {
        return in;
    }

    /** The endpoint number, 0 to 15. */
    public int endpointNumber() {
        return endpointNumber;
    }

    /** The endpoint address: the number, with bit 7 set for IN (ep0's IN requests are 0x80). */
    public int endpoint() {
        return endpointNumber | (in ? 0x80 : 0);
    }

    /** True for a control URB (endpoint 0). */
    public boolean control() {
        return endpointNumber == 0;
    }

    /** True for an isochronous URB (it carries packet descriptors). */
    public boolean iso() {
        return !isoPackets.isEmpty();
    }

    /** The SETUP packet of a control URB; null for other URBs. */
    public Setup setup() {
        return setup;
    }

    /** The URB's transfer_flags (URB_SHORT_NOT_OK = 0x1, URB_ISO_ASAP = 0x2, URB_ZERO_PACKET = 0x40, ...). */
    public int transferFlags() {
        return transferFlags;
    }

    /** The buffer length: what an IN URB can take, or the OUT data's length. */
    public int bufferLength() {
        return bufferLength;
    }

    /** The start frame the kernel asked for (isochronous). */
    public int startFrame() {
        return startFrame;
    }

    /** The polling interval (interrupt, isochronous). */
    public int interval() {
        return interval;
    }

    /** The OUT data (empty for IN). */
    public byte[] outData() {
        return outData.clone();
    }

    /** The isochronous packets asked for (offset and length each); empty for other URBs. */
    public List<IsoPacket> isoPackets() {
        return isoPackets;
    }

    /** When the device received it, in System.nanoTime(). */
    public long receivedNanos() {
        return receivedNanos;
    }

    /** Where the URB stands now. */
    public State state() {
        return state.get();
    }

    /** The reply it was completed with, or null. */
    public Reply answer() {
        return answer;
    }

    void answered(Reply r) {
        answer = r;
    }

    /**
     * Answers the URB now with a completion ({@link Reply#data}, {@link Reply#status}, {@link Reply#iso},
     * ...), or later ({@link Reply#after}); false if it is no longer pending (answered, unlinked, or the
     * connection ended), in which case nothing is sent.
     */
    public boolean respond(Reply reply) {
        return device.respond(this, reply);
    }

    @Override
    public String toString() {
        return "Urb[#" + seqnum + " ep " + String.format("%02x", endpoint()) + (iso() ? " iso x" + isoPackets.size() : "")
                + (setup != null ? " " + setup : "") + " len " + bufferLength + " " + state.get() + "]";
    }
}
