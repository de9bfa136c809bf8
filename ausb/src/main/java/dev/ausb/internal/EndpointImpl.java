package dev.ausb.internal;

import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferType;
import dev.ausb.internal.libusb.Structs;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import dev.ausb.UsbDirection;
import dev.ausb.UsbTransferResult;

/**
 * What the IN and OUT endpoint handles share: validation, the default timeout, the ordering barrier
 * after a cancel, and the way a transfer is built and submitted.
 */
abstract sealed class EndpointImpl permits InEndpointImpl, OutEndpointImpl, IsoInEndpointImpl, IsoOutEndpointImpl {
    /** Headroom below Integer.MAX_VALUE kept for libusb's int lengths. */
    static final int MAX_LENGTH = Integer.MAX_VALUE - 64;

    final InterfaceImpl itf;
    final UsbEndpoint descriptor;
    final int alternateSetting;
    final int libusbType;
    private volatile long timeoutMs;

    EndpointImpl(InterfaceImpl itf, UsbEndpoint descriptor, int alternateSetting) {
        this.itf = itf;
        this.descriptor = descriptor;
        this.alternateSetting = alternateSetting;
        this.libusbType = switch (descriptor.transferType()) {
            case BULK -> Structs.TRANSFER_TYPE_BULK;
            case ISOCHRONOUS -> Structs.TRANSFER_TYPE_ISOCHRONOUS;
            default -> Structs.TRANSFER_TYPE_INTERRUPT;
        };
    }

    public UsbEndpoint descriptor() {
        return descriptor;
    }

    public UsbInterfaceHandle interfaceHandle() {
        return itf;
    }

    public void setTimeout(Duration timeout) {
        this.timeoutMs = timeoutMillis(timeout);
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMs);
    }

    long defaultTimeoutMs() {
        return timeoutMs;
    }

    static long timeoutMillis(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout is not negative: " + timeout);
        }
        if (timeout.compareTo(Duration.ofMillis(0xffff_ffffL)) > 0) {
            throw new IllegalArgumentException("libusb timeouts are at most 2^32-1 ms: " + timeout);
        }
        long ms = timeout.toMillis();
        return ms == 0 && !timeout.isZero() ? 1 : ms;
    }

    public void clearHalt() {
        itf.handle.clearHalt(descriptor.address());
    }

    /** "bulk IN 0x81 of 1a0a:badd (bus 3, device 2)". */
    String label() {
        return String.format("%s %s 0x%02x of %s", descriptor.transferType().name().toLowerCase(java.util.Locale.ROOT),
                descriptor.direction(), descriptor.address(), itf.handle.deviceImpl().label());
    }

    // ---- the endpoint's queue: every one-shot transfer not yet reaped, in submission order ----
    // Guarded by this. A cancel of an in-flight transfer raises a hold; while any hold is up, new
    // submissions queue behind it and go out in order, from whichever thread releases the last hold.
    // One thread at a time sends transfers to libusb (the drainer), outside the monitor, so a
    // cancel or a reap never waits for a submission's ioctl; whoever comes while it drains queues.

    private TransferFutureImpl<?> head;
    private TransferFutureImpl<?> tail;
    private TransferFutureImpl<?> firstQueued; // the queued ones are the list's suffix from here
    private int live;
    private int holds;
    private boolean draining; // a thread is sending transfers to libusb
    private Object stream; // a stream that owns the endpoint, or null

    /** Builds and submits one transfer on this endpoint; {@code buffer} is pooled when {@code lent} is null. */
    <T> UsbTransferFuture<T> submit(MemorySegment buffer, Object lent, int length, int flags, long timeoutMs,
            TransferFutureImpl.Result<T> result) {
        return submit(buffer, lent, length, flags, timeoutMs, null, result);
    }

    /** As above; {@code isoLengths} are the packets of an isochronous transfer (null for others). */
    <T> UsbTransferFuture<T> submit(MemorySegment buffer, Object lent, int length, int flags, long timeoutMs,
            int[] isoLengths, TransferFutureImpl.Result<T> result) {
        return submit(buffer, lent, length, flags, timeoutMs, isoLengths, 0, result);
    }

    /** As above, on USB 3 bulk stream {@code streamId} if it is not 0 (checked by the caller). */
    <T> UsbTransferFuture<T> submit(MemorySegment buffer, Object lent, int length, int flags, long timeoutMs,
            int[] isoLengths, int streamId, TransferFutureImpl.Result<T> result) {
        HandleImpl handle = itf.handle;
        TransferEngine engine = handle.engine();
        Transfer t;
        try {
            itf.checkUsable(this);
            t = engine.acquire(isoLengths == null ? 0 : isoLengths.length);
        } catch (RuntimeException e) {
            if (lent == null) {
                engine.buffers.release(buffer);
            }
            throw e;
        }
        t.owner = handle;
        t.itf = itf;
        t.endpoint = this;
        t.pooledBuffer = lent == null;
        t.lent = lent;
        t.prepare(descriptor.address(), libusbType, timeoutMs, buffer, length, flags);
        if (isoLengths != null) {
            t.prepareIso(isoLengths);
        }
        if (streamId != 0) {
            t.prepareStream(streamId);
        }
        // what arrived before a failure goes to reaped(); an isochronous transfer's packets are not contiguous
        boolean keepPartial = lent == null && descriptor.direction() == UsbDirection.IN && isoLengths == null;
        TransferFutureImpl<T> f = new TransferFutureImpl<>(engine, t, result, this::label,
                handle.context().completionExecutor(), this, keepPartial ? 0 : -1);
        TransferFutureImpl<?> first;
        synchronized (this) {
            if (stream != null) {
                engine.recycle(t); // a programming error: thrown, as for a released interface
                throw new IllegalStateException(label() + " is owned by a stream (" + stream
                        + "): close the stream before transferring on its endpoint yourself");
            }
            link(f);
            if (holds > 0 || firstQueued != null || draining) {
                f.queued = true;
                if (firstQueued == null) {
                    firstQueued = f;
                }
                if (holds > 0 || draining) {
                    return f; // the drainer, or whoever releases the last hold, sends it in order
                }
                // queued, but nobody drains (a drain stopped by an error): this thread takes over
                draining = true;
                first = null;
            } else {
                draining = true; // this thread sends f, then whatever queues meanwhile
                first = f;
            }
        }
        drain(first);
        return f;
    }

    /**
     * As the drainer: sends {@code first} (the caller's own transfer, if not null), then the queued
     * transfers in order while no hold is up, outside the monitor, then stops draining. Transfers
     * libusb refused are failed only after that: their continuations are user code, which may
     * submit again on this endpoint (and must not find it draining for a thread that waits for
     * them). Whatever is thrown here (no memory), the endpoint stops draining, so the next
     * submission or reap takes over.
     */
    private void drain(TransferFutureImpl<?> first) {
        java.util.function.Supplier<String> label = this::label;
        List<TransferFutureImpl<?>> failed = null;
        List<RuntimeException> why = null;
        TransferFutureImpl<?> q = first;
        boolean stopped = false;
        try {
            while (true) {
                if (q != null) {
                    RuntimeException failure;
                    try {
                        failure = itf.handle.submit(q.transfer(), label);
                    } catch (Throwable e) {
                        failure = e instanceof RuntimeException r ? r : new IllegalStateException(label.get()
                                + ": the submission failed", e);
                    }
                    if (failure != null) {
                        synchronized (this) {
                            forget(q); // a cancel may have raised a hold on it before the submit refused it
                        }
                        if (failed == null) {
                            failed = new ArrayList<>();
                            why = new ArrayList<>();
                        }
                        failed.add(q);
                        why.add(failure);
                    }
                    q = null;
                }
                synchronized (this) {
                    if (holds > 0 || firstQueued == null) {
                        draining = false;
                        stopped = true;
                        break;
                    }
                    q = firstQueued;
                    firstQueued = q.next;
                    q.queued = false;
                }
            }
        } finally {
            if (!stopped) {
                synchronized (this) {
                    draining = false;
                }
            }
        }
        if (failed != null) {
            fail(failed, why, first);
        }
    }

    /**
     * Fails transfers libusb refused. The caller's own ({@code own}) fails here, before its
     * submit returns (unless it was refused with a generic I/O error, which is first checked for an
     * unplug off this thread: see {@link TransferFutureImpl#failSubmit}); other callers' go to the
     * completion executor (their continuations are their user code, not this thread's), or stay on
     * the event thread when completions run there.
     */
    private void fail(List<TransferFutureImpl<?>> failed, List<RuntimeException> why, TransferFutureImpl<?> own) {
        java.util.concurrent.Executor ex = itf.handle.context().completionExecutor();
        boolean eventThread = itf.handle.engine().onEventThread();
        for (int i = 0; i < failed.size(); i++) {
            TransferFutureImpl<?> q = failed.get(i);
            RuntimeException e = why.get(i);
            if (q != own && !(ex == null && eventThread) && TransferFutureImpl.runElsewhere(ex, () -> q.failSubmit(e))) {
                continue;
            }
            // its own, completions on the event thread, or refused: fail it here
            q.failSubmit(e);
        }
    }

    private void link(TransferFutureImpl<?> f) {
        f.prev = tail;
        if (tail == null) {
            head = f;
        } else {
            tail.next = f;
        }
        tail = f;
        live++;
    }

    private void unlink(TransferFutureImpl<?> f) {
        f.done = true;
        if (f == firstQueued) {
            firstQueued = f.next;
        }
        if (f.prev == null) {
            head = f.next;
        } else {
            f.prev.next = f.next;
        }
        if (f.next == null) {
            tail = f.prev;
        } else {
            f.next.prev = f.prev;
        }
        f.prev = null;
        f.next = null;
        live--;
    }

    /**
     * A cancel of {@code f} was asked of libusb (or marked, if {@code f} is not in flight). Returns
     * true when {@code f} was still queued (it is dropped; its future's afterCancel() fails it as
     * never submitted) or already reaped. Otherwise it is in flight: later submissions wait until it
     * is reaped. Completes nothing itself.
     */
    boolean cancelling(TransferFutureImpl<?> f) {
        synchronized (this) {
            if (f.done) {
                return true;
            }
            if (!f.queued) {
                if (!f.holding) {
                    f.holding = true;
                    holds++;
                }
                return false;
            }
            f.queued = false;
            unlink(f);
            f.droppedFromQueue = true;
        }
        return true;
    }

    /** libusb handed {@code f} back (on the event thread), or it failed before reaching libusb. */
    void reaped(TransferFutureImpl<?> f) {
        synchronized (this) {
            if (!forget(f)) {
                return;
            }
            if (holds > 0 || firstQueued == null || draining) {
                return; // nothing to send, or the drainer sends it
            }
            draining = true;
        }
        drain(null);
    }

    /**
     * Takes a transfer that libusb handed back (or refused) off this endpoint and releases the
     * hold its cancel raised; false if that was done already. Caller holds this.
     */
    private boolean forget(TransferFutureImpl<?> f) {
        if (f.done) {
            return false;
        }
        unlink(f);
        if (f.holding) {
            f.holding = false;
            holds--;
        }
        return true;
    }

    /** Transfers submitted on this endpoint and not yet reaped (queued or in flight). */
    public int pending() {
        synchronized (this) {
            return live;
        }
    }

    /**
     * Cancels every transfer of this endpoint not yet reaped; completes when libusb has handed
     * them all back, with their results in submission order.
     */
    public CompletableFuture<List<UsbTransferResult>> cancelAll() {
        List<TransferFutureImpl<?>> all = new ArrayList<>();
        List<TransferFutureImpl<?>> dropped = new ArrayList<>();
        synchronized (this) {
            for (TransferFutureImpl<?> f = head; f != null; f = f.next) {
                all.add(f);
            }
            // the queued ones leave the queue at once, so a reap meanwhile cannot submit them
            for (TransferFutureImpl<?> f : all) {
                if (f.queued) {
                    f.queued = false;
                    unlink(f);
                    dropped.add(f);
                }
            }
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<UsbTransferResult>[] reaped = new CompletableFuture[all.size()];
        for (int i = 0; i < reaped.length; i++) {
            TransferFutureImpl<?> f = all.get(i);
            reaped[i] = f.reapedFuture();
            f.cancel(true);
            if (dropped.contains(f)) {
                f.failSubmit(new CancellationException(label() + ": cancelled before it was submitted"));
            }
        }
        CompletableFuture<List<UsbTransferResult>> out = new TransferFutureImpl.Dependent<>(itf.handle.engine());
        CompletableFuture.allOf(reaped).whenComplete((v, e) -> out.complete(
                Arrays.stream(reaped).map(CompletableFuture::join).toList()));
        return out;
    }

    /** True if one-shot transfers of the endpoint are pending (queued or in flight), or a stream has it. */
    synchronized boolean busy() {
        return live > 0 || stream != null;
    }

    /** A stream takes the endpoint for itself; fails if another stream or one-shot transfers have it. */
    void claimForStream(Object s) {
        synchronized (this) {
            if (stream != null) {
                throw new IllegalStateException(label() + " already has a stream (" + stream + ")");
            }
            if (live > 0) {
                throw new IllegalStateException(label() + " has " + live
                        + " transfers pending: wait for them (or cancelAll()) before starting a stream");
            }
            stream = s;
        }
    }

    /** The stream that had the endpoint ended. */
    void releaseStream(Object s) {
        synchronized (this) {
            if (stream == s) {
                stream = null;
            }
        }
    }

    /** Checks a lent or given ByteBuffer's remaining length. */
    static int remaining(ByteBuffer b) {
        Objects.requireNonNull(b, "buffer");
        return b.remaining();
    }

    /** A stream ID of a bulk-stream transfer: 1..65533 (0 would be no stream). */
    static int checkStreamId(int streamId) {
        if (streamId < 1 || streamId > BulkStreams.MAX) {
            throw new IllegalArgumentException("a bulk stream ID is 1.." + BulkStreams.MAX + ", not " + streamId);
        }
        return streamId;
    }

    static void checkLength(long length) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("a transfer length is 0.." + MAX_LENGTH + ", not " + length);
        }
    }

    static void checkNative(MemorySegment s) {
        Objects.requireNonNull(s, "segment");
        if (!s.isNative()) {
            throw new IllegalArgumentException("a heap segment cannot be lent to a transfer; use a byte[] or ByteBuffer");
        }
        checkLength(s.byteSize());
        if (!s.scope().isAlive()) {
            throw new IllegalStateException("the segment's arena is closed");
        }
    }
}
