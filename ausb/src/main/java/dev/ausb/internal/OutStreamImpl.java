package dev.ausb.internal;

import dev.ausb.UsbException;
import dev.ausb.UsbOutStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * An OUT stream: N transfers with N buffers used in ring order. A write fills the current buffer
 * and submits it when full; when the next buffer is still in flight the writer parks until the
 * event thread hands it back (backpressure). Nothing on the steady-state path allocates.
 */
final class OutStreamImpl implements UsbOutStream, Transfer.Listener, HandleImpl.Stream {
    private static final int IDLE = 0;
    private static final int SUBMITTED = 1;

    private final OutEndpointImpl ep;
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

    OutStreamImpl(OutEndpointImpl ep, int transfers, int size) {
        this.ep = ep;
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
                    this.transfers[i] = engine.acquireFor(handle, ep, this, i, 0);
                    this.transfers[i].prepare(ep.descriptor.address(), ep.libusbType, ep.defaultTimeoutMs(),
                            buffers[i], size, 0);
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
            int k = Math.min(length, size - filled);
            MemorySegment.copy(data, offset, buffers[current], ValueLayout.JAVA_BYTE, filled, k);
            filled += k;
            offset += k;
            length -= k;
            if (filled == size) {
                submitCurrent(false);
            }
        }
    }

    @Override
    public synchronized void write(ByteBuffer src) {
        check();
        while (src.hasRemaining()) {
            int k = Math.min(src.remaining(), size - filled);
            MemorySegment.copy(MemorySegment.ofBuffer(src), 0, buffers[current], filled, k);
            src.position(src.position() + k);
            filled += k;
            if (filled == size) {
                submitCurrent(false);
            }
        }
    }

    /**
     * Submits the slot being filled and moves to the next, waiting for it to be free. A full
     * buffer mid-stream never ends in a zero-length packet (the bytes go on); only the last one,
     * from flush, drain or close, gets one when the endpoint asks for it.
     */
    private void submitCurrent(boolean last) {
        endedFull = !last;
        Transfer t = transfers[current];
        t.prepare(filled, last && ep.zeroLengthPacket() ? dev.ausb.internal.libusb.Structs.TRANSFER_ADD_ZERO_PACKET : 0);
        state.set(current, SUBMITTED);
        int rc = handle.submitRaw(t);
        if (rc < 0) {
            state.set(current, IDLE);
            failure = HandleImpl.submitFailure(rc, ep.label());
            check();
        }
        current = (current + 1) % n;
        filled = 0;
        awaitIdle(current);
        check();
    }

    @Override
    public synchronized void flush() {
        check();
        if (filled > 0 || (endedFull && ep.zeroLengthPacket())) {
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

    @Override
    public void onReaped(Transfer t, int s, int got) {
        try {
            if (s == Errors.TRANSFER_COMPLETED) {
                written += got;
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
        return "UsbOutStream[" + ep.label() + ", " + n + " x " + size + " bytes]";
    }
}
