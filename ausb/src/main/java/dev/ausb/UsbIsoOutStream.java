package dev.ausb;

import java.nio.ByteBuffer;

/**
 * A writer that keeps up to N isochronous transfers in flight on an isochronous OUT endpoint, each
 * of up to {@link UsbIsoStreamOptions#packets()} packets of up to
 * {@link UsbIsoStreamOptions#packetLength()} bytes, one packet per service interval.
 *
 * <p>Obtained from {@link UsbIsoOutEndpoint#stream(UsbIsoStreamOptions)}. Two ways to fill it, which
 * may be mixed: {@link #writePacket} gives one packet of its own length (an audio frame of 176 or
 * 180 bytes, an interval with nothing to send as a packet of 0 bytes); {@link #write(byte[], int, int)}
 * cuts a byte stream into packets of {@code packetLength}. A transfer is submitted when its last
 * packet is written, or early by {@link #flush()} with the packets it has; a write blocks while all N
 * transfers are in flight (backpressure), so a writer that keeps ahead of the device keeps every
 * interval served. A writer that falls behind leaves intervals empty: the host controller schedules
 * the next transfer as soon as it can, and nothing is retried.
 *
 * <p>A packet that failed (the host controller or device reported an error for that interval) does
 * not end the stream: {@link #packetsFailed()} counts it. A transfer that failed as a whole (the
 * device gone, the interface released...) ends it; the next call throws that {@link UsbException}.
 * A transfer may take the time of its intervals plus 5 s; one never handed back ends the stream with
 * {@link UsbTimeoutException}, so no write, drain or close waits forever. Meant for one writer thread;
 * the methods are synchronized.
 * {@snippet :
 * try (UsbIsoOutStream s = out.stream(new UsbIsoStreamOptions(8, 8, 192))) {
 *     while (playing) {
 *         s.writePacket(nextFrame()); // 48 kHz, 16-bit stereo: 192 bytes per 1 ms interval
 *     }
 * } // close() sends what is buffered and waits for it
 * }
 */
public interface UsbIsoOutStream extends UsbOutStream {
    /**
     * Writes one packet of {@code length} bytes (0..{@code packetLength}), after ending the packet
     * that {@link #write(byte[], int, int)} left partly filled, if any. Blocks while every transfer
     * is in flight.
     *
     * @param data   the array holding the packet
     * @param offset where it starts in {@code data}
     * @param length its length, 0..{@link UsbIsoStreamOptions#packetLength()}
     * @throws IllegalArgumentException if {@code length} is above the stream's packet length (nothing is written)
     * @throws UsbException             if an earlier transfer failed
     * @throws IllegalStateException    if the stream is closed
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code data}
     */
    void writePacket(byte[] data, int offset, int length);

    /**
     * As {@link #writePacket(byte[], int, int)} for the whole array.
     *
     * @param data the packet, 0..{@link UsbIsoStreamOptions#packetLength()} bytes
     */
    default void writePacket(byte[] data) {
        writePacket(data, 0, data.length);
    }

    /**
     * As {@link #writePacket(byte[], int, int)} for the bytes between {@code src}'s position and limit, which it consumes.
     *
     * @param src the packet, its remaining bytes; its position advances to its limit
     */
    void writePacket(ByteBuffer src);

    /**
     * Cuts the bytes into packets of {@code packetLength}, continuing a packet an earlier call left
     * partly filled.
     */
    @Override
    void write(byte[] data, int offset, int length);

    /** Submits the transfer being filled with the packets it has (a partly filled packet ends short). Does not wait. */
    @Override
    void flush();

    /**
     * Packets handed back by the host controller so far, sent or failed.
     *
     * @return the number of packets handed back, sent or failed
     */
    long packetsWritten();

    /**
     * Packets of {@link #packetsWritten()} whose status was not {@link UsbTransferResult.Status#COMPLETED}.
     *
     * @return the number of packets that failed
     */
    long packetsFailed();

    /** Bytes the packets carried, as the host controller reported per packet. */
    @Override
    long bytesWritten();
}
