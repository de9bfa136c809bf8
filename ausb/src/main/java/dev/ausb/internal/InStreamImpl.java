package dev.ausb.internal;

import dev.ausb.UsbBuffer;
import dev.ausb.UsbInStream;
import dev.ausb.internal.libusb.LibUsb;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * An IN stream: N transfers with N buffers, owned by one delivery thread that submits them in ring
 * order (so data arrives in order) and delivers each completed one to a handler or a subscriber.
 *
 * <p>Slot states: IDLE (free to submit), SUBMITTED (with libusb), COMPLETED (handed back, not yet
 * delivered), LENT (a subscriber holds the buffer), FREED (memory released at the end). The
 * event thread only moves SUBMITTED to COMPLETED and unparks the delivery thread; nothing on the
 * steady-state path allocates.
 */
final class InStreamImpl implements UsbInStream, Transfer.Listener, Flow.Subscription, HandleImpl.Stream {
    private static final int IDLE = 0;
    private static final int SUBMITTED = 1;
    private static final int COMPLETED = 2;
    private static final int LENT = 3;
    private static final int FREED = 4;
    private static final long PARK_NANOS = 50_000_000L;
    /** Streams up to this many bytes in flight use usbfs device memory; larger ones ordinary memory. */
    static final long DEVICE_MEMORY_BUDGET = 4L << 20;

    private final InEndpointImpl ep;
    private final HandleImpl handle;
    private final TransferEngine engine;
    private final int n;
    private final int size;
    private final Transfer[] transfers;
    private final MemorySegment[] buffers;
    private final MemorySegment[] fullViews; // read-only, whole buffer: a full transfer allocates no view
    private final boolean[] deviceMemory;
    private final Slot[] slots;
    private final int[] status;
    private final int[] actual;
    private final AtomicIntegerArray state;
    private final Consumer<? super UsbBuffer> handler;
    private final Flow.Subscriber<? super UsbBuffer> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean stopRequested;
    private volatile Throwable stopCause;
    private volatile boolean finished;
    private volatile long bytes;
    private volatile long delivered;
    /** The context completes on the event thread: the handler runs in libusb's callback, which resubmits. */
    private final boolean inline;
    private volatile Throwable inlineFailure;

    /** The reusable view of one slot's buffer. */
    private final class Slot implements UsbBuffer {
        final int index;
        MemorySegment view;
        int length;
        long sequence;

        Slot(int index) {
            this.index = index;
        }

        @Override
        public MemorySegment segment() {
            return view;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public long sequence() {
            return sequence;
        }

        @Override
        public void close() {
            if (handler == null) {
                giveBack(index);
            }
        }

        @Override
        public String toString() {
            return "UsbBuffer[#" + sequence + ", " + length + " bytes]";
        }
    }

    private InStreamImpl(InEndpointImpl ep, int transfers, int size, Consumer<? super UsbBuffer> handler,
            Flow.Subscriber<? super UsbBuffer> subscriber) {
        this.ep = ep;
        this.handle = ep.itf.handle;
        this.engine = handle.engine();
        this.n = transfers;
        this.size = size;
        this.handler = handler;
        this.subscriber = subscriber;
        this.transfers = new Transfer[n];
        this.buffers = new MemorySegment[n];
        this.fullViews = new MemorySegment[n];
        this.deviceMemory = new boolean[n];
        this.slots = new Slot[n];
        this.status = new int[n];
        this.actual = new int[n];
        this.state = new AtomicIntegerArray(n);
        for (int i = 0; i < n; i++) {
            slots[i] = new Slot(i);
        }
        this.inline = handler != null && handle.context().completionExecutor() == null;
        this.thread = Thread.ofPlatform().daemon(true).name(String.format("ausb-stream-0x%02x", ep.descriptor.address()))
                .unstarted(this::run);
    }

    /** Starts a handler stream. */
    static InStreamImpl withHandler(InEndpointImpl ep, int transfers, int size, Consumer<? super UsbBuffer> handler) {
        InStreamImpl s = new InStreamImpl(ep, transfers, size, Objects.requireNonNull(handler, "handler"), null);
        s.demand.set(Long.MAX_VALUE);
        s.start();
        return s;
    }

    /** Starts a stream for a subscriber; it submits only against the subscriber's demand. */
    static InStreamImpl forSubscriber(InEndpointImpl ep, int transfers, int size,
            Flow.Subscriber<? super UsbBuffer> subscriber) {
        InStreamImpl s = new InStreamImpl(ep, transfers, size, null, subscriber);
        s.start();
        return s;
    }

    private void start() {
        handle.withOpen(() -> {
            for (int i = 0; i < n; i++) {
                // device memory (usbfs mmap) spares the kernel a copy; borrowed buffers only, since a
                // subscriber may hold one past the handle's life
                boolean small = (long) n * size <= DEVICE_MEMORY_BUDGET; // usbfs allows 16 MB in all by default
                MemorySegment m = handler != null && small ? LibUsb.devMemAlloc(handle.handle(), size) : MemorySegment.NULL;
                if (!m.equals(MemorySegment.NULL)) {
                    buffers[i] = m.reinterpret(size);
                    deviceMemory[i] = true;
                } else {
                    buffers[i] = engine.buffers.acquire(size);
                }
                fullViews[i] = buffers[i].asSlice(0, size).asReadOnly();
                transfers[i] = engine.acquireFor(handle, ep, this, i);
            }
            handle.register(this);
            return null;
        });
        thread.start();
    }

    // ---- the delivery thread -----------------------------------------------------------------

    private void run() {
        Throwable failure = null;
        int head = 0;
        int tail = 0;
        int outstanding = 0; // submitted or completed, not yet delivered
        try {
            if (inline) {
                runInline();
                return;
            }
            loop:
            while (!stopRequested) {
                while (outstanding < Math.min(n, demand.get()) && state.get(tail) == IDLE && !stopRequested) {
                    int rc = submit(tail);
                    if (rc < 0) {
                        failure = HandleImpl.submitFailure(rc, ep.label());
                        break loop;
                    }
                    tail = (tail + 1) % n;
                    outstanding++;
                }
                if (state.get(head) == COMPLETED && (handler != null || demand.get() > 0)) {
                    outstanding--;
                    int s = status[head];
                    if (s != Errors.TRANSFER_COMPLETED) {
                        state.set(head, IDLE);
                        failure = s == Errors.TRANSFER_CANCELLED ? stopCause
                                : Errors.ofStatus(s, actual[head], ep.label());
                        break;
                    }
                    deliver(head);
                    head = (head + 1) % n;
                    continue;
                }
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            if (stopRequested && failure == null) {
                failure = stopCause;
            }
        } catch (Throwable t) {
            failure = t;
        }
        finish(failure);
    }

    /** Inline mode: submit all, then wait for a stop or a failure reported by the callback. */
    private void runInline() {
        Throwable failure = null;
        try {
            for (int i = 0; i < n && failure == null; i++) {
                int rc = submit(i);
                if (rc < 0) {
                    failure = HandleImpl.submitFailure(rc, ep.label());
                }
            }
            while (failure == null && !stopRequested && inlineFailure == null) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            if (failure == null) {
                failure = inlineFailure != null ? inlineFailure : stopCause;
            }
        } catch (Throwable t) {
            failure = t;
        }
        stopRequested = true;
        finish(failure);
    }

    /** Inline mode, on the event thread: deliver and resubmit in the callback, as C programs do. */
    private void onReapedInline(Transfer t, int i, int s, int got) {
        if (s == Errors.TRANSFER_COMPLETED && !stopRequested && inlineFailure == null) {
            try {
                Slot slot = fillSlot(i, got);
                handle.transferDone();
                handler.accept(slot);
                if (submit(i) >= 0) {
                    return;
                }
                inlineFailure = Errors.of(Errors.ERROR_IO, "resubmit " + ep.label(), null);
            } catch (Throwable e) {
                state.set(i, IDLE);
                inlineFailure = e;
            }
        } else {
            if (s != Errors.TRANSFER_COMPLETED && s != Errors.TRANSFER_CANCELLED && inlineFailure == null) {
                inlineFailure = Errors.ofStatus(s, got, ep.label());
            }
            state.set(i, IDLE);
            handle.transferDone();
        }
        LockSupport.unpark(thread);
    }

    private int submit(int i) {
        Transfer t = transfers[i];
        t.fill(handle.handle(), ep.descriptor.address(), ep.libusbType, ep.defaultTimeoutMs(), buffers[i], size, 0,
                engine.callbackStub);
        state.set(i, SUBMITTED);
        int rc = handle.submitRaw(t);
        if (rc < 0) {
            state.set(i, IDLE);
        }
        return rc;
    }

    /** Points slot {@code i}'s view at the {@code got} bytes received and counts them. */
    private Slot fillSlot(int i, int got) {
        Slot s = slots[i];
        s.view = got == size ? fullViews[i] : buffers[i].asSlice(0, got).asReadOnly();
        s.length = got;
        s.sequence = delivered;
        bytes += got;
        delivered++;
        return s;
    }

    private void deliver(int i) {
        Slot s = fillSlot(i, actual[i]);
        if (handler != null) {
            try {
                handler.accept(s);
            } finally {
                state.set(i, IDLE);
            }
        } else {
            state.set(i, LENT);
            demand.decrementAndGet();
            subscriber.onNext(s);
        }
    }

    /** A subscriber closed a buffer: its slot may be submitted again (or freed, after the end). */
    private void giveBack(int i) {
        if (state.compareAndSet(i, LENT, IDLE)) {
            if (finished) {
                release(i);
            } else {
                LockSupport.unpark(thread);
            }
        }
    }

    /** Called by libusb's callback on the event thread. */
    @Override
    public void onReaped(Transfer t, int s, int got) {
        int i = t.slot;
        if (inline) {
            onReapedInline(t, i, s, got);
            return;
        }
        status[i] = s;
        actual[i] = got;
        state.set(i, COMPLETED);
        handle.transferDone();
        LockSupport.unpark(thread);
    }

    /** Cancels what is in flight, waits for it, frees what nobody holds, and signals the end. */
    private void finish(Throwable failure) {
        failure = handle.confirmGone(failure, ep.label());
        for (int i = 0; i < n; i++) {
            if (state.get(i) == SUBMITTED) {
                transfers[i].cancel(transfers[i].generation);
            }
        }
        for (int i = 0; i < n; i++) {
            while (state.get(i) == SUBMITTED) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
        }
        finished = true;
        for (int i = 0; i < n; i++) {
            if (state.compareAndSet(i, COMPLETED, IDLE) || state.get(i) == IDLE) {
                release(i);
            }
        }
        for (Transfer t : transfers) {
            t.pooledBuffer = false;
            engine.recycle(t);
        }
        handle.unregister(this);
        if (subscriber != null && failure != null && failure != CANCELLED) {
            try {
                subscriber.onError(failure);
            } catch (Throwable ignored) {
                // a subscriber must not throw from onError (rule 2.13); nothing more to do
            }
        }
        if (failure == null || failure == CANCELLED) {
            done.complete(null);
        } else {
            done.completeExceptionally(failure);
        }
    }

    /** Frees slot {@code i}'s memory exactly once. */
    private void release(int i) {
        if (state.compareAndSet(i, IDLE, FREED)) {
            if (deviceMemory[i]) {
                handle.freeDeviceMemory(buffers[i], size);
            } else {
                engine.buffers.release(buffers[i]);
            }
        }
    }

    /** Marks a stop by the subscriber: no onError follows. */
    private static final Throwable CANCELLED = new Throwable("cancelled by the subscriber", null, false, false) {
        private static final long serialVersionUID = 1L;
    };

    private void stop(Throwable cause) {
        if (!stopRequested) {
            stopCause = cause;
            stopRequested = true;
        }
        LockSupport.unpark(thread);
    }

    /** Ends the stream because its handle or interface is closing, and waits for the end. */
    @Override
    public void abort(Throwable cause) {
        stop(cause);
        awaitEnd();
    }

    @Override
    public InterfaceImpl itf() {
        return ep.itf;
    }

    private void awaitEnd() {
        if (Thread.currentThread() == thread || handle.context().onEventThread()) {
            return; // the delivery thread ends after the handler returns; the event thread must not wait
        }
        TransferEngine.joinUninterruptibly(thread);
    }

    // ---- UsbInStream and Flow.Subscription ---------------------------------------------------

    @Override
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public long bytesDelivered() {
        return bytes;
    }

    @Override
    public long transfersDelivered() {
        return delivered;
    }

    @Override
    public void close() {
        stop(null);
        awaitEnd();
    }

    @Override
    public void request(long more) {
        if (more <= 0) {
            stop(new IllegalArgumentException("Flow.Subscription.request(" + more + "): demand must be positive"));
            return;
        }
        demand.accumulateAndGet(more, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        LockSupport.unpark(thread);
    }

    @Override
    public void cancel() {
        stop(CANCELLED);
    }

    @Override
    public String toString() {
        return "UsbInStream[" + ep.label() + ", " + n + " x " + size + " bytes]";
    }
}
