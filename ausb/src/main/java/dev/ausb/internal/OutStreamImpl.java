package dev.ausb.internal;

import dev.ausb.UsbException;
import dev.ausb.UsbIsoOutStream;
import dev.ausb.UsbOutStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * An OUT stream: N transfers with N buffers used in ring order. A write fills the current buffer
 * and submits it when full; a write that finds the buffer it is to fill still in flight parks until
 * the event thread hands it back (backpressure), before it touches it. Nothing on the
 * steady-state path allocates.
 *
 * <p>An isochronous stream is the same ring ({@link Iso}); its buffer is cut into packets
 * ({@link #isoLengths} of the slot being filled), and it is full when its last packet is written.
 */
class OutStreamImpl implements UsbOutStream, Transfer.Listener, HandleImpl.Stream {
    /** The isochronous stream: the same ring, handed out as a {@link UsbIsoOutStream}. */
    static final class Iso extends OutStreamImpl implements UsbIsoOutStream {
        Iso(IsoOutEndpointImpl ep, int transfers, int packets, int packetLength, long timeoutMs) {
            super(ep, null, transfers, Math.multiplyExact(packets, packetLength), packets, packetLength, timeoutMs);
        }
    }

    private static final int IDLE = 0;
    private static final int SUBMITTED = 1;

    private final EndpointImpl ep;
    /** The bulk or interrupt endpoint (its zero-length-packet setting), or null for an isochronous stream. */
    private final OutEndpointImpl bulk;
    /** Packets per transfer of an isochronous stream (0 for bulk and interrupt), and the most each carries. */
    private final int isoPackets;
    private final int isoPacketLength;
    /** Per slot, the lengths of its packets so far (isochronous only). */
    private final int[][] isoLengths;
    private int packet;      // packets ended in the slot being filled
    private int packetStart; // where its current packet starts
    private volatile long packetsWritten;
    private volatile long packetsFailed;
    private final HandleImpl handle;
    private final TransferEngine engine;
    private final int n;
    private final int size;
    private final Transfer[] transfers;
    private final MemorySegment[] buffers;
    private final AtomicIntegerArray state;
    private int current;     // the slot being filled (writer side)
    private int filled;      // bytes in it
    private volatile Thread waiter;
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile long written;
    private volatile boolean failureReported;
    /** abort() was called: a writer cancels what it submits itself (abort's own pass may have missed it). */
    private volatile boolean aborted;
    /** The last buffer submitted was full and not the end of a flush: a flush owes the endpoint its ZLP. */
    private boolean endedFull;

    /** A bulk or interrupt stream of {@code transfers} buffers of {@code size} bytes. */
    OutStreamImpl(OutEndpointImpl ep, int transfers, int size) {
        this(ep, ep, transfers, size, 0, 0, ep.defaultTimeoutMs());
    }

    private OutStreamImpl(EndpointImpl ep, OutEndpointImpl bulk, int transfers, int size, int isoPackets,
            int isoPacketLength, long timeoutMs) {
        this.ep = ep;
        this.bulk = bulk;
        this.isoPackets = isoPackets;
        this.isoPacketLength = isoPacketLength;
        this.isoLengths = isoPackets == 0 ? null : new int[transfers][isoPackets];
        this.handle = ep.itf.handle;
        this.engine = handle.engine();
        this.n = transfers;
        this.size = size;
        this.transfers = new Transfer[n];
        this.buffers = new MemorySegment[n];
        this.state = new AtomicIntegerArray(n);
        ep.claimForStream(this);
        try {
            handle.withOpen(() -> {
                for (int i = 0; i < n; i++) {
                    buffers[i] = engine.buffers.acquire(size);
                    this.transfers[i] = engine.acquireFor(handle, ep, this, i, isoPackets);
                    this.transfers[i].prepare(ep.descriptor.address(), ep.libusbType, timeoutMs, buffers[i], size, 0);
                }
                handle.register(this);
                return null;
            });
        } catch (RuntimeException | Error e) {
            handle.unregister(this);
            for (int i = 0; i < n; i++) {
                if (buffers[i] != null) {
                    engine.buffers.release(buffers[i]);
                }
                if (this.transfers[i] != null) {
                    this.transfers[i].pooledBuffer = false;
                    engine.recycle(this.transfers[i]);
                }
            }
            ep.releaseStream(this);
            throw e;
        }
    }

    private void check() {
        Throwable f = confirmedFailure();
        if (f instanceof RuntimeException r) {
            failureReported = true;
            throw r;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
        if (closed) {
            throw new IllegalStateException("this UsbOutStream of " + ep.label() + " is closed");
        }
    }

    /** The failure, once a generic error not yet reported has been checked for an unplug in progress. */
    private Throwable confirmedFailure() {
        Throwable f = failure;
        if (f != null && !failureReported) {
            f = failure = handle.confirmGone(f, ep.label());
        }
        return f;
    }

    /**
     * Waits until slot {@code i} is free (its transfer handed back). Not on the event thread,
     * which hands it back; an interrupt is kept for the caller instead of turning the wait into a spin.
     */
    private void awaitIdle(int i) {
        if (state.get(i) == IDLE) {
            return;
        }
        engine.checkMayBlock("a UsbOutStream write");
        waiter = Thread.currentThread();
        boolean interrupted = false;
        try {
            while (state.get(i) != IDLE) {
                if (aborted) {
                    transfers[i].cancel(transfers[i].generation); // idempotent: a no-op once reaped
                }
                LockSupport.parkNanos(this, 50_000_000L);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        } finally {
            waiter = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized void write(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        check();
        while (length > 0) {
            ownCurrent(); // the buffer to fill is ours before anything is copied into it
            int k = Math.min(length, room());
            MemorySegment.copy(data, offset, buffers[current], ValueLayout.JAVA_BYTE, filled, k);
            filled += k;
            offset += k;
            length -= k;
            filledSome();
        }
    }

    @Override
    public synchronized void write(ByteBuffer src) {
        check();
        while (src.hasRemaining()) {
            ownCurrent();
            int k = Math.min(src.remaining(), room());
            MemorySegment.copy(MemorySegment.ofBuffer(src), 0, buffers[current], filled, k);
            src.position(src.position() + k);
            filled += k;
            filledSome();
        }
    }

    /**
     * Waits until the slot to fill is handed back, then checks for a failure that came meanwhile
     * (a transfer that failed, the stream aborted): a write never goes on into a dead stream.
     */
    private void ownCurrent() {
        if (state.get(current) != IDLE) {
            awaitIdle(current);
        }
        check(); // also when it had not to wait: a transfer that failed meanwhile ends the stream here
    }

    /** Bytes the next copy may take: to the end of the buffer, or of an isochronous stream's packet. */
    private int room() {
        return isoPackets == 0 ? size - filled : isoPacketLength - (filled - packetStart);
    }

    /** After a copy: submits the buffer when it is full (an isochronous one when its last packet ended). */
    private void filledSome() {
        if (isoPackets == 0) {
            if (filled == size) {
                submitCurrent(false);
            }
        } else if (filled - packetStart == isoPacketLength) {
            endPacket();
        }
    }

    /** Ends the isochronous packet being filled; submits the transfer if that was its last. */
    private void endPacket() {
        isoLengths[current][packet++] = filled - packetStart;
        packetStart = filled;
        if (packet == isoPackets) {
            submitCurrent(false);
        }
    }

    /** One packet of its own length (an isochronous stream; see {@link UsbIsoOutStream#writePacket}). */
    public synchronized void writePacket(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        startPacket(length);
        // straight from the array: no segment objects on a path taken once per packet
        MemorySegment.copy(data, offset, buffers[current], ValueLayout.JAVA_BYTE, filled, length);
        filled += length;
        endPacket();
    }

    /** As {@link #writePacket(byte[], int, int)} for the bytes between {@code src}'s position and limit. */
    public synchronized void writePacket(ByteBuffer src) {
        int length = src.remaining();
        startPacket(length);
        MemorySegment.copy(MemorySegment.ofBuffer(src), 0, buffers[current], filled, length);
        src.position(src.limit());
        filled += length;
        endPacket();
    }

    /** Checks a packet of {@code length} bytes before anything is copied, and ends a packet write() left open. */
    private void startPacket(int length) {
        if (isoPackets == 0) {
            throw new UnsupportedOperationException("writePacket is for isochronous streams; " + this + " is not one");
        }
        if (length > isoPacketLength) {
            throw new IllegalArgumentException("a packet of " + length + " bytes: this stream's packets carry 0.."
                    + isoPacketLength);
        }
        check();
        if (filled > packetStart) {
            endPacket(); // the packet write() left partly filled ends short
        }
        ownCurrent();
    }

    /**
     * Submits the slot being filled and moves to the next, waiting for it to be free. A full
     * buffer mid-stream never ends in a zero-length packet (the bytes go on); only the last one,
     * from flush, drain or close, gets one when the endpoint asks for it.
     */
    private void submitCurrent(boolean last) {
        ownCurrent(); // a flush of nothing (the ZLP) has not waited for its slot yet
        endedFull = !last;
        Transfer t = transfers[current];
        if (isoPackets > 0) {
            t.prepare(filled, 0);
            t.prepareIso(isoLengths[current], packet);
            packet = 0;
            packetStart = 0;
        } else {
            t.prepare(filled, last && bulk.zeroLengthPacket() ? dev.ausb.internal.libusb.Structs.TRANSFER_ADD_ZERO_PACKET : 0);
        }
        state.set(current, SUBMITTED);
        int rc = handle.submitRaw(t);
        if (rc < 0) {
            state.set(current, IDLE);
            failure = HandleImpl.submitFailure(rc, ep.label());
            check();
        }
        current = (current + 1) % n;
        filled = 0;
        // the next slot is waited for by the write that fills it: this one returns at once, and
        // a writer on the event thread fails only where it would really have to wait
    }

    @Override
    public synchronized void flush() {
        check();
        if (isoPackets > 0) {
            if (filled > packetStart) {
                endPacket(); // may submit, if that was the transfer's last packet
            }
            if (packet > 0) {
                submitCurrent(true);
            }
            return;
        }
        if (filled > 0 || (endedFull && bulk.zeroLengthPacket())) {
            submitCurrent(true); // with nothing filled: the zero-length packet that ends a run of full buffers
        }
    }

    @Override
    public synchronized void drain() {
        flush();
        for (int i = 0; i < n; i++) {
            awaitIdle(i);
        }
        check();
    }

    @Override
    public long bytesWritten() {
        return written;
    }

    /** Packets handed back (isochronous streams; 0 for bulk and interrupt). */
    public long packetsWritten() {
        return packetsWritten;
    }

    /** Packets handed back with a status other than completed (isochronous streams). */
    public long packetsFailed() {
        return packetsFailed;
    }

    @Override
    public void onReaped(Transfer t, int s, int got) {
        try {
            if (s == Errors.TRANSFER_COMPLETED) {
                written += got;
                int packets = t.isoPackets();
                if (packets > 0) {
                    int failed = 0;
                    for (int k = 0; k < packets; k++) {
                        if (t.isoStatus(k) != Errors.TRANSFER_COMPLETED) {
                            failed++;
                        }
                    }
                    packetsFailed += failed;   // written by the event thread alone
                    packetsWritten += packets;
                }
            } else if (failure == null) {
                failure = s == Errors.TRANSFER_CANCELLED
                        ? new IllegalStateException("the transfers of " + ep.label() + " were cancelled")
                        : Errors.ofStatus(s, got, ep.label());
            }
        } catch (Throwable e) {
            if (failure == null) {
                failure = e;
            }
        } finally {
            state.set(t.slot, IDLE);
            handle.transferDone();
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    @Override
    public void close() {
        if (engine.onEventThread() && !closed) {
            // draining waits for the device, which the event thread itself must hand back: the
            // close (drain, then end) goes on on a helper thread, and this returns at once
            Thread.ofPlatform().daemon(true).name("ausb-out-close").start(this::close);
            return;
        }
        UsbException pending = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                if (failure == null) {
                    drain();
                }
            } catch (UsbException e) {
                pending = failureReported && e == failure ? null : e;
            } finally {
                end(null);
            }
        }
        if (pending != null) {
            throw pending;
        }
        check0();
    }

    /** close() reports a failure only if no earlier call did (try-with-resources must not see it twice). */
    private void check0() {
        if (confirmedFailure() instanceof UsbException e && !failureReported) {
            failureReported = true;
            throw e;
        }
    }

    /** Cancels what is in flight, waits for it and frees the buffers. */
    private void end(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        if (cause != null && failure == null) {
            failure = cause;
        }
        for (int i = 0; i < n; i++) {
            if (state.get(i) == SUBMITTED) {
                transfers[i].cancel(transfers[i].generation);
            }
        }
        for (int i = 0; i < n; i++) {
            awaitIdle(i);
            engine.buffers.release(buffers[i]);
            transfers[i].pooledBuffer = false;
            engine.recycle(transfers[i]);
        }
        handle.unregister(this);
        ep.releaseStream(this);
    }

    @Override
    public void abort(Throwable cause) {
        // first, without the monitor: a writer parked for a free buffer wakes when these come back
        if (failure == null) {
            failure = cause;
        }
        aborted = true; // before the pass: a writer that submits after it sees this and cancels its own
        for (int i = 0; i < n; i++) {
            if (state.get(i) == SUBMITTED) {
                transfers[i].cancel(transfers[i].generation);
            }
        }
        synchronized (this) {
            end(cause);
        }
    }

    @Override
    public InterfaceImpl itf() {
        return ep.itf;
    }

    @Override
    public boolean onOwnThread() {
        return false; // writers are the caller's threads
    }

    @Override
    public String toString() {
        return isoPackets > 0
                ? "UsbIsoOutStream[" + ep.label() + ", " + n + " x " + isoPackets + " x " + isoPacketLength + " bytes]"
                : "UsbOutStream[" + ep.label() + ", " + n + " x " + size + " bytes]";
    }
}
