package dev.ausb;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The result of an isochronous transfer: each packet with its length asked for, its actual length
 * and its status, and (for IN) the data that arrived.
 *
 * <p>A transfer completes even when some of its packets failed: check each packet's
 * {@link UsbIsoPacket#status() status}; the data of the good ones is kept. Packets lie in the data
 * one after the other at the lengths asked for, so a short packet leaves a gap after its bytes:
 * {@link #packetData(int)} returns exactly the bytes a packet carried. Immutable.
 */
public final class UsbIsoResult {
    private final UsbDirection direction;
    private final List<UsbIsoPacket> packets;
    private final byte[] data;

    /**
     * Makes one; ausb itself makes these.
     *
     * @param direction IN or OUT
     * @param packets   the packets, in order
     * @param data      for IN, the transfer's buffer as libusb left it (every packet's bytes at its
     *                  {@link UsbIsoPacket#offset() offset}); for OUT, empty
     */
    public UsbIsoResult(UsbDirection direction, List<UsbIsoPacket> packets, byte[] data) {
        this.direction = Objects.requireNonNull(direction, "direction");
        this.packets = List.copyOf(packets);
        this.data = data.clone();
        for (UsbIsoPacket p : this.packets) {
            if (direction == UsbDirection.IN && p.offset() + (long) p.actualLength() > this.data.length) {
                throw new IllegalArgumentException("packet at " + p.offset() + " with " + p.actualLength()
                        + " bytes lies beyond the " + this.data.length + " bytes of data");
            }
        }
    }

    /**
     * The transfer's direction.
     *
     * @return {@link UsbDirection#IN} for a read, {@link UsbDirection#OUT} for a write
     */
    public UsbDirection direction() {
        return direction;
    }

    /**
     * The packets, in order.
     *
     * @return the packets, an immutable list in service-interval order
     */
    public List<UsbIsoPacket> packets() {
        return packets;
    }

    /**
     * The number of packets.
     *
     * @return how many packets the transfer had
     */
    public int packetCount() {
        return packets.size();
    }

    /**
     * Packet {@code i}.
     *
     * @param i the packet's index, 0..{@link #packetCount()}-1
     * @return that packet's lengths and status
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public UsbIsoPacket packet(int i) {
        return packets.get(i);
    }

    /**
     * The bytes packet {@code i} carried ({@link UsbIsoPacket#actualLength()} of them; none for a
     * packet that failed without data).
     *
     * @param i the packet's index, 0..{@link #packetCount()}-1
     * @return a new array of the packet's bytes
     * @throws IllegalStateException for an OUT transfer, whose result holds no data
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public byte[] packetData(int i) {
        if (direction != UsbDirection.IN) {
            throw new IllegalStateException("an OUT transfer's result holds no data: the packets say what was sent");
        }
        UsbIsoPacket p = packets.get(i);
        return Arrays.copyOfRange(data, p.offset(), p.offset() + p.actualLength());
    }

    /**
     * The bytes all packets moved.
     *
     * @return the sum of the packets' {@link UsbIsoPacket#actualLength()}
     */
    public int bytesTransferred() {
        int n = 0;
        for (UsbIsoPacket p : packets) {
            n += p.actualLength();
        }
        return n;
    }

    /**
     * The packets whose status is not {@code COMPLETED}.
     *
     * @return how many packets failed
     */
    public int failedPackets() {
        int n = 0;
        for (UsbIsoPacket p : packets) {
            if (!p.completed()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "UsbIsoResult[" + direction + ", " + packets.size() + " packets, " + bytesTransferred() + " bytes, "
                + failedPackets() + " failed]";
    }
}
