package dev.ausb.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ausb.internal.libusb.LibUsb;
import dev.ausb.internal.libusb.Structs;
import java.lang.foreign.MemorySegment;

/**
 * One {@code struct libusb_transfer}, reused from submission to submission, and what the current
 * submission needs: its owner, its buffer and whoever waits for it.
 *
 * <p>Lifecycle: {@link TransferEngine#acquire} hands it out, the submitter fills it and submits it,
 * libusb's callback (on the event thread) reports it to its {@link Listener}, which recycles it.
 * A cancel races the callback and the next reuse; {@link #guard} orders a cancel against reuse, and
 * {@link #generation} makes a late cancel of an earlier submission a no-op.
 */
final class Transfer {
    /** Told when libusb hands the transfer back; runs on the event thread and must not throw. */
    interface Listener {
        void onReaped(Transfer t, int status, int actualLength);
    }

    final int id;
    final MemorySegment struct;
    final Object guard = new Object();
    volatile int generation;
    volatile boolean inFlight;
    /** On the engine's free list (guarded by the engine). */
    boolean onFreeList;
    /**
     * The generation a cancel was asked for while it was not in flight (not yet submitted, or
     * between a callback and a stream's resubmit): {@link TransferEngine#submit} then refuses to
     * submit it. Guarded by {@link #guard}; a new {@link #generation} clears it implicitly.
     */
    int cancelledGeneration = -1;

    // the current submission (written before submit, read in the callback: ordered by libusb's locks)
    HandleImpl owner;
    InterfaceImpl itf;
    EndpointImpl endpoint;
    Listener listener;
    MemorySegment buffer;
    boolean pooledBuffer;
    Object lent;
    int slot; // a stream's index of this transfer

    /** Isochronous packet descriptors the struct has room for (0: not an isochronous struct). */
    final int isoRoom;
    /** The USB 3 bulk stream of the next submission (0: none). */
    private int streamId;

    /** The packet lengths of the next isochronous submission (the first {@link #isoCount}), or null. */
    private int[] isoLengths;
    private int isoCount;

    Transfer(int id, MemorySegment struct) {
        this(id, struct, 0);
    }

    Transfer(int id, MemorySegment struct, int isoRoom) {
        this.id = id;
        this.struct = struct;
        this.isoRoom = isoRoom;
    }

    /** Sets the packets of the next (isochronous) submission; their lengths add up to its length. */
    void prepareIso(int[] lengths) {
        prepareIso(lengths, lengths.length);
    }

    /** As {@link #prepareIso(int[])} with the first {@code count} lengths (an OUT stream's transfer flushed early). */
    void prepareIso(int[] lengths, int count) {
        if (count > isoRoom || count > lengths.length) {
            throw new IllegalStateException("transfer " + id + " has room for " + isoRoom + " packets, not " + count);
        }
        this.isoLengths = lengths;
        this.isoCount = count;
    }

    /** Makes the next submission a bulk-stream transfer on stream {@code id} (1..65533). */
    void prepareStream(int id) {
        this.streamId = id;
    }

    /** Packets of the current isochronous submission (0 for other transfers). */
    int isoPackets() {
        return isoLengths == null ? 0 : isoCount;
    }

    /** Packet {@code i}'s length as this submission asked (the Java side's, not the struct's). */
    int isoRequested(int i) {
        return isoLengths[i];
    }

    /** The bytes packet {@code i} carried: its actual length from the struct, never beyond what it asked for. */
    int isoCarried(int i) {
        return Math.max(0, Math.min(isoActualLength(i), isoLengths[i]));
    }

    /** Packet {@code i}'s length, actual length and libusb status, from the struct (after the callback). */
    int isoLength(int i) {
        return struct.get(JAVA_INT, isoDesc(i));
    }

    int isoActualLength(int i) {
        return struct.get(JAVA_INT, isoDesc(i) + 4);
    }

    int isoStatus(int i) {
        return struct.get(JAVA_INT, isoDesc(i) + 8);
    }

    private static long isoDesc(int i) {
        return Structs.TRANSFER_ISO_PACKET_DESC + (long) i * Structs.ISO_PACKET_DESCRIPTOR.byteSize();
    }

    // what the next submission writes into the struct (set by prepare, written by writeStruct)
    private int endpointAddress;
    private int type;
    private long timeoutMs;
    private int length;
    private int flags;

    /** Sets what the next submission carries; {@code buffer} holds the setup packet first for control transfers. */
    void prepare(int endpointAddress, int type, long timeoutMs, MemorySegment buffer, int length, int flags) {
        this.endpointAddress = endpointAddress;
        this.type = type;
        this.timeoutMs = timeoutMs;
        this.buffer = buffer;
        this.length = length;
        this.flags = flags;
    }

    /** Sets the length and flags of the next submission (an OUT stream's buffer, filled or not). */
    void prepare(int length, int flags) {
        this.length = length;
        this.flags = flags;
    }

    /**
     * Writes the prepared submission into the struct. Only under the owner handle's read lock,
     * with the handle open: then the context has not freed the struct.
     */
    void writeStruct(MemorySegment devHandle, MemorySegment callback) {
        struct.set(ADDRESS, Structs.TRANSFER_DEV_HANDLE, devHandle);
        struct.set(JAVA_BYTE, Structs.TRANSFER_FLAGS, (byte) flags);
        struct.set(JAVA_BYTE, Structs.TRANSFER_ENDPOINT, (byte) endpointAddress);
        struct.set(JAVA_BYTE, Structs.TRANSFER_TYPE, (byte) (streamId != 0 ? Structs.TRANSFER_TYPE_BULK_STREAM : type));
        struct.set(JAVA_INT, Structs.TRANSFER_TIMEOUT, (int) timeoutMs);
        struct.set(JAVA_INT, Structs.TRANSFER_STATUS, 0);
        struct.set(JAVA_INT, Structs.TRANSFER_LENGTH, length);
        struct.set(JAVA_INT, Structs.TRANSFER_ACTUAL_LENGTH, 0);
        struct.set(ADDRESS, Structs.TRANSFER_CALLBACK, callback);
        struct.set(JAVA_LONG, Structs.TRANSFER_USER_DATA, id);
        struct.set(ADDRESS, Structs.TRANSFER_BUFFER, buffer);
        if (streamId != 0) {
            LibUsb.transferSetStreamId(struct, streamId); // beside the struct, where libusb keeps it
        }
        int[] iso = isoLengths;
        int count = isoPackets();
        struct.set(JAVA_INT, Structs.TRANSFER_NUM_ISO_PACKETS, count);
        if (iso != null) {
            for (int i = 0; i < count; i++) {
                long d = isoDesc(i);
                struct.set(JAVA_INT, d, iso[i]);
                struct.set(JAVA_INT, d + 4, 0);
                struct.set(JAVA_INT, d + 8, 0);
            }
        }
    }

    /**
     * Cancels submission {@code gen} in whatever state it is: in flight, libusb is asked to cancel
     * it; not yet submitted (or between a stream's callback and its resubmit), the submit that
     * follows is refused. A cancel of an older generation does nothing.
     *
     * <p>libusb is called under the owner handle's read lock (taken without waiting), so the
     * {@code libusb_device_handle} that libusb &le; 1.0.25 reads first is never a closed one.
     */
    void cancel(int gen) {
        HandleImpl h;
        synchronized (guard) {
            if (generation != gen) {
                return;
            }
            if (!inFlight) {
                cancelledGeneration = gen;
                return;
            }
            h = owner;
            if (h == null || h.cancelNative(struct) != HandleImpl.CANCEL_BUSY) {
                return;
            }
        }
        // the handle's write lock was held for an instant (a close or an interface release
        // flipping its flags): try again once it is free, in the submit path's lock order
        h.cancelWhenUnlocked(this, gen);
    }

    /** The retry of {@link #cancel}, under the owner's read lock (held by the caller). */
    void cancelLocked(int gen) {
        synchronized (guard) {
            if (generation != gen) {
                return;
            }
            if (!inFlight) {
                cancelledGeneration = gen;
                return;
            }
            HandleImpl h = owner;
            if (h != null) {
                h.cancelNativeLocked(struct);
            }
        }
    }

    /** True when a cancel of the current generation came before its submission. */
    boolean cancelRequested() {
        return cancelledGeneration == generation;
    }

    /** Clears the per-submission references after the transfer came back. */
    void clear() {
        owner = null;
        itf = null;
        endpoint = null;
        listener = null;
        buffer = null;
        lent = null;
        pooledBuffer = false;
        isoLengths = null;
        isoCount = 0;
        streamId = 0;
    }
}
