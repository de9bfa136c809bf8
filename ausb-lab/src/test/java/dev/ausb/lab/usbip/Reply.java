package dev.ausb.lab.usbip;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a virtual device answers a URB: a completion (data, an accepted OUT, an error status,
 * isochronous packet results), a delay before one, a hold until the test answers, or the default.
 */
@SuppressWarnings("doclint:missing") // test fixture API: one-line summaries, no @param/@return
public sealed interface Reply {
    /** Completes an IN URB with {@code data} (cut to the URB's buffer length), status 0. A short packet is simply shorter data. */
    static Reply data(byte[] data) {
        return new Complete(Errno.OK, data.clone(), -1);
    }

    /** Completes an OUT URB, all its bytes taken, status 0. */
    static Reply ok() {
        return new Complete(Errno.OK, new byte[0], -1);
    }

    /** Completes an OUT URB having taken only {@code bytes} of it, status 0. */
    static Reply accepted(int bytes) {
        return new Complete(Errno.OK, new byte[0], bytes);
    }

    /** Completes with a STALL (-EPIPE) and no data. */
    static Reply stall() {
        return status(Errno.EPIPE);
    }

    /** Completes with {@code status} (a negative errno, see {@link Errno}) and no data. */
    static Reply status(int status) {
        return new Complete(status, new byte[0], 0);
    }

    /** Completes with {@code status} and, for an IN URB, {@code data} (e.g. -EOVERFLOW with what fitted). */
    static Reply status(int status, byte[] data) {
        return new Complete(status, data.clone(), -1);
    }

    /**
     * Completes an isochronous URB packet by packet. Each {@link Packet} gives the bytes an IN packet
     * carries (cut to the packet's length) or the count an OUT packet took, and its status; packets
     * beyond the list complete empty with status 0. The URB's status is 0.
     */
    static Reply iso(List<Packet> packets) {
        return new Iso(Errno.OK, List.copyOf(packets));
    }

    /** As {@link #iso(List)}, with the URB's own status (e.g. -EXDEV when some packets failed). */
    static Reply iso(int status, List<Packet> packets) {
        return new Iso(status, List.copyOf(packets));
    }

    /** Answers {@code then} after {@code delay}; an unlink in between drops it. */
    static Reply after(Duration delay, Reply then) {
        return new Delayed(Objects.requireNonNull(delay), Objects.requireNonNull(then));
    }

    /** Leaves the URB pending: the test answers it with {@link Urb#respond}, or the host unlinks it. */
    static Reply hold() {
        return Hold.INSTANCE;
    }

    /**
     * The device's default: standard control requests answered from its descriptors and state,
     * other control requests stalled, IN URBs held (a device with nothing to send), OUT URBs taken whole.
     */
    static Reply standard() {
        return Standard.INSTANCE;
    }

    /** One isochronous packet's result. */
    record Packet(byte[] data, int actualLength, int status) {
        /** An IN packet carrying {@code data}, status 0. */
        public static Packet in(byte[] data) {
            return new Packet(data.clone(), data.length, Errno.OK);
        }

        /** An OUT packet that took {@code actualLength} bytes, status 0. */
        public static Packet out(int actualLength) {
            return new Packet(new byte[0], actualLength, Errno.OK);
        }

        /** A packet that failed with {@code status} and moved no data. */
        public static Packet failed(int status) {
            return new Packet(new byte[0], 0, status);
        }

        /** An IN packet carrying {@code data} with {@code status} (e.g. -EPROTO with damaged data). */
        public static Packet in(byte[] data, int status) {
            return new Packet(data.clone(), data.length, status);
        }
    }

    /** A completion; {@code outAccepted} &lt; 0 means "all of the OUT data". */
    record Complete(int status, byte[] data, int outAccepted) implements Reply {}

    /** Isochronous packet results. */
    record Iso(int status, List<Packet> packets) implements Reply {}

    /** A delayed reply. */
    record Delayed(Duration delay, Reply then) implements Reply {}

    /** No answer (yet). */
    enum Hold implements Reply { INSTANCE }

    /** The device's default behaviour. */
    enum Standard implements Reply { INSTANCE }
}
