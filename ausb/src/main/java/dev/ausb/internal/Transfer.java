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

    // the current submission (written before submit, read in the callback: ordered by libusb's locks)
    HandleImpl owner;
    InterfaceImpl itf;
    EndpointImpl endpoint;
    Listener listener;
    MemorySegment buffer;
    boolean pooledBuffer;
    Object lent;
    int slot; // a stream's index of this transfer

    Transfer(int id, MemorySegment struct) {
        this.id = id;
        this.struct = struct;
    }

    /** Fills the struct for a submission; {@code buffer} holds the setup packet first for control transfers. */
    void fill(MemorySegment devHandle, int endpointAddress, int type, long timeoutMs, MemorySegment buffer, int length,
            int flags, MemorySegment callback) {
        struct.set(ADDRESS, Structs.TRANSFER_DEV_HANDLE, devHandle);
        struct.set(JAVA_BYTE, Structs.TRANSFER_FLAGS, (byte) flags);
        struct.set(JAVA_BYTE, Structs.TRANSFER_ENDPOINT, (byte) endpointAddress);
        struct.set(JAVA_BYTE, Structs.TRANSFER_TYPE, (byte) type);
        struct.set(JAVA_INT, Structs.TRANSFER_TIMEOUT, (int) timeoutMs);
        struct.set(JAVA_INT, Structs.TRANSFER_STATUS, 0);
        struct.set(JAVA_INT, Structs.TRANSFER_LENGTH, length);
        struct.set(JAVA_INT, Structs.TRANSFER_ACTUAL_LENGTH, 0);
        struct.set(ADDRESS, Structs.TRANSFER_CALLBACK, callback);
        struct.set(JAVA_LONG, Structs.TRANSFER_USER_DATA, id);
        struct.set(ADDRESS, Structs.TRANSFER_BUFFER, buffer);
        struct.set(JAVA_INT, Structs.TRANSFER_NUM_ISO_PACKETS, 0);
    }

    /** Asks libusb to cancel submission {@code gen}, if that is still the one in flight. */
    void cancel(int gen) {
        synchronized (guard) {
            if (inFlight && generation == gen) {
                LibUsb.cancelTransfer(struct); // NOT_FOUND when it completed meanwhile: fine
            }
        }
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
    }
}
