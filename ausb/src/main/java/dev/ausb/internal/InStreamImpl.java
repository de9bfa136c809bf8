package dev.ausb.internal;

import dev.ausb.UsbBuffer;
import dev.ausb.UsbInStream;
import dev.ausb.internal.libusb.LibUsb;
import java.lang.foreign.Arena;
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

    private final EndpointImpl ep;
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
    /** Packet lengths of each transfer of an isochronous stream (null for bulk and interrupt), their offsets. */
    private final int[] iso;
    private final int[] isoOffsets;
    /** Per slot, what its packets carried and their statuses, copied at the reap (the struct is rewritten at the resubmit). */
    private final int[][] isoActual;
    private final int[][] isoStatus;
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
    /**
     * The lifetime of every view handed out: closed once the stream has ended and no subscriber
     * holds a buffer, before the memory is freed. A view kept past that throws instead of reading
     * freed (or unmapped) memory.
     */
    private final Arena views = Arena.ofShared();
    private final java.util.concurrent.atomic.AtomicBoolean memoryFreed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * What a slot's views say about its isochronous packets: only while the view may be read
     * ({@link #segment()} throws otherwise), and without a record for the per-packet accessors.
     */
    private abstract class PacketView implements UsbBuffer {
        /** The slot whose transfer this view shows. */
        abstract int slot();

        @Override
        public int packetCount() {
            return iso == null ? 0 : iso.length;
        }

        @Override
        public dev.ausb.UsbIsoPacket packet(int k) {
            segment(); // only while it may be read
            return isoPacket(slot(), k);
        }

        @Override
        public int packetOffset(int k) {
            segment();
            return isoOffsets[checkPacket(k)];
        }

        @Override
        public int packetActualLength(int k) {
            segment();
            return isoActual[slot()][checkPacket(k)];
        }

        @Override
        public boolean packetCompleted(int k) {
            segment();
            return isoStatus[slot()][checkPacket(k)] == Errors.TRANSFER_COMPLETED;
        }
    }

    /** The reusable view of one slot's buffer, lent to the handler while it runs. */
    private final class Slot extends PacketView {
        final int index;
        MemorySegment view;
        int length;
        long sequence;
        /** True while the handler runs with it. */
        volatile boolean lent;

        Slot(int index) {
            this.index = index;
        }

        @Override
        int slot() {
            return index;
        }

        @Override
        public MemorySegment segment() {
            if (!lent) {
                throw new IllegalStateException("this UsbBuffer (#" + sequence + ") was used after its handler returned");
            }
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
            // a handler's buffer goes back when the handler returns
        }

        @Override
        public String toString() {
            return "UsbBuffer[#" + sequence + ", " + length + " bytes]";
        }
    }

    /**
     * One delivery to a subscriber: its own object, so a stale close() of an earlier delivery of
     * the same slot cannot give back a later one, and a closed one refuses to hand out its data.
     */
    private final class Lease extends PacketView {
        private final int index;
        private final MemorySegment view;
        private final int length;
        private final long sequence;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        Lease(Slot s) {
            this.index = s.index;
            this.view = s.view;
            this.length = s.length;
            this.sequence = s.sequence;
        }

        @Override
        int slot() {
            return index;
        }

        @Override
        public MemorySegment segment() {
            if (closed.get()) {
                throw new IllegalStateException("this UsbBuffer (#" + sequence + ") is closed");
            }
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
            if (closed.compareAndSet(false, true)) {
                giveBack(index);
            }
        }

        @Override
        public String toString() {
            return "UsbBuffer[#" + sequence + ", " + length + " bytes" + (closed.get() ? ", closed]" : "]");
        }
    }

    /** Packet {@code k} of slot {@code i}'s latest transfer. */
    private dev.ausb.UsbIsoPacket isoPacket(int i, int k) {
        checkPacket(k);
        return new dev.ausb.UsbIsoPacket(isoOffsets[k], iso[k], isoActual[i][k],
                TransferFutureImpl.status(isoStatus[i][k]));
    }

    private int checkPacket(int k) {
        if (iso == null || k < 0 || k >= iso.length) {
            throw new IndexOutOfBoundsException("packet " + k + " of " + (iso == null ? 0 : iso.length));
        }
        return k;
    }

    private InStreamImpl(EndpointImpl ep, int transfers, int size, int[] iso, Consumer<? super UsbBuffer> handler,
            Flow.Subscriber<? super UsbBuffer> subscriber) {
        this.ep = ep;
        this.iso = iso;
        this.isoOffsets = iso == null ? null : new int[iso.length];
        this.isoActual = iso == null ? null : new int[transfers][iso.length];
        this.isoStatus = iso == null ? null : new int[transfers][iso.length];
        for (int k = 1; iso != null && k < iso.length; k++) {
            isoOffsets[k] = isoOffsets[k - 1] + iso[k - 1];
        }
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
    static InStreamImpl withHandler(EndpointImpl ep, int transfers, int size, int[] iso,
            Consumer<? super UsbBuffer> handler) {
        InStreamImpl s = new InStreamImpl(ep, transfers, size, iso, Objects.requireNonNull(handler, "handler"), null);
        s.demand.set(Long.MAX_VALUE);
        s.start();
        s.begin();
        return s;
    }

    /**
     * Prepares a stream for a subscriber; it submits only against the subscriber's demand, from
     * {@link #begin()}, which the publisher calls after {@code onSubscribe} returned.
     */
    static InStreamImpl forSubscriber(EndpointImpl ep, int transfers, int size, int[] iso,
            Flow.Subscriber<? super UsbBuffer> subscriber) {
        InStreamImpl s = new InStreamImpl(ep, transfers, size, iso, null, subscriber);
        s.start();
        return s;
    }

    /**
     * A publisher whose each subscription starts a stream on {@code ep}: a failure to start is
     * signalled as {@code onError} after an inert {@code onSubscribe}.
     */
    static Flow.Publisher<UsbBuffer> publisher(EndpointImpl ep, int transfers, int size, int[] iso) {
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            InStreamImpl stream;
            try {
                ep.itf.checkUsable(ep);
                stream = forSubscriber(ep, transfers, size, iso, subscriber);
            } catch (RuntimeException e) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                });
                subscriber.onError(e);
                return;
            }
            try {
                subscriber.onSubscribe(stream);
            } finally {
                stream.begin(); // only now: no signal may reach the subscriber before onSubscribe (rule 1.9)
            }
        };
    }

    private void start() {
        ep.claimForStream(this);
        try {
            handle.withOpen(() -> {
                for (int i = 0; i < n; i++) {
                    // device memory (usbfs mmap) spares the kernel a copy, when the context asks for it (I/O
                    // that pins pages, such as O_DIRECT or a 9p write, fails on it with EFAULT); borrowed
                    // buffers only, since a subscriber may hold one past the handle's life
                    boolean small = (long) n * size <= DEVICE_MEMORY_BUDGET; // usbfs allows 16 MB in all by default
                    MemorySegment m = handler != null && small && handle.context().deviceMemory()
                            ? LibUsb.devMemAlloc(handle.handle(), size)
                            : MemorySegment.NULL;
                    if (!m.equals(MemorySegment.NULL)) {
                        buffers[i] = m.reinterpret(size);
                        deviceMemory[i] = true;
                    } else {
                        buffers[i] = engine.buffers.acquire(size);
                    }
                    fullViews[i] = buffers[i].reinterpret(size, views, null).asReadOnly();
                    transfers[i] = engine.acquireFor(handle, ep, this, i, iso == null ? 0 : iso.length);
                    // an isochronous transfer ends when its intervals have passed, and queued behind the
                    // others when theirs have too: its timeout covers them all, plus a margin (Iso)
                    transfers[i].prepare(ep.descriptor.address(), ep.libusbType, iso != null
                            ? Iso.streamTimeoutMs(ep.descriptor, handle.deviceImpl().speed(), n, iso.length) : ep.defaultTimeoutMs(),
                            buffers[i], size, 0);
                    if (iso != null) {
                        transfers[i].prepareIso(iso);
                    }
                }
                handle.register(this);
                return null;
            });
        } catch (RuntimeException | Error e) {
            // nothing was submitted: give back what was taken (a partial allocation, say)
            handle.unregister(this);
            for (int i = 0; i < n; i++) {
                state.set(i, IDLE);
            }
            freeMemory();
            ep.releaseStream(this);
            throw e;
        }
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
                        failure = s != Errors.TRANSFER_CANCELLED ? Errors.ofStatus(s, actual[head], ep.label())
                                : stopRequested ? stopCause : foreignCancel();
                        break;
                    }
                    deliver(head);
                    head = (head + 1) % n;
                    continue;
                }
                park();
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
                park();
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

    /** Parks the delivery thread a while; a stray interrupt is cleared (kept for later) instead of spinning. */
    private void park() {
        LockSupport.parkNanos(this, PARK_NANOS);
        if (Thread.interrupted()) {
            interrupted = true;
        }
    }

    private boolean interrupted;

    /** Set once: by begin() (the thread starts), or by an end that came first (the thread never starts). */
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

    /** Starts delivering (a subscriber's stream, after its onSubscribe). */
    void begin() {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    /** A CANCELLED status nobody asked for (not a stop of this stream): say so rather than end silently. */
    private Throwable foreignCancel() {
        return new IllegalStateException("a transfer of " + ep.label() + "'s stream was cancelled outside the stream");
    }

    /**
     * Inline mode, on the event thread: deliver and resubmit in the callback, as C programs do. The
     * resubmit and finish()'s cancel meet under the transfer's guard: whichever comes second sees the
     * other (a cancel before the resubmit makes the resubmit refuse).
     */
    private void onReapedInline(Transfer t, int i, int s, int got) {
        boolean counted = false;
        try {
            if (s == Errors.TRANSFER_COMPLETED && !stopRequested && inlineFailure == null) {
                Slot slot = fillSlot(i, got);
                handle.transferDone();
                counted = true;
                slot.lent = true;
                try {
                    handler.accept(slot);
                } finally {
                    slot.lent = false;
                }
                if (!stopRequested) {
                    int rc = submit(i);
                    if (rc >= 0 || rc == TransferEngine.CANCELLED_BEFORE_SUBMIT) {
                        return; // in flight again, or cancelled by finish(): submit() set the slot IDLE
                    }
                    inlineFailure = HandleImpl.submitFailure(rc, ep.label());
                }
            } else if (s != Errors.TRANSFER_COMPLETED && inlineFailure == null) {
                if (s != Errors.TRANSFER_CANCELLED) {
                    inlineFailure = Errors.ofStatus(s, got, ep.label());
                } else if (!stopRequested) {
                    inlineFailure = foreignCancel();
                }
            }
        } catch (Throwable e) {
            if (inlineFailure == null) {
                inlineFailure = e;
            }
        } finally {
            if (state.get(i) == SUBMITTED && !transfers[i].inFlight) {
                state.set(i, IDLE);
            }
            if (!counted) {
                handle.transferDone();
            }
            LockSupport.unpark(thread);
        }
    }

    private int submit(int i) {
        Transfer t = transfers[i];
        t.prepare(size, 0);
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
        if (iso != null) {
            // an isochronous buffer spans every packet at its offset (packet(k) says what each
            // carried); the gap after a short packet is zeroed, not left with an older transfer's bytes
            for (int k = 0; k < iso.length; k++) {
                int carried = isoActual[i][k];
                if (carried < iso[k]) {
                    buffers[i].asSlice(isoOffsets[k] + carried, iso[k] - carried).fill((byte) 0);
                }
            }
        }
        s.view = got == size || iso != null ? fullViews[i] : fullViews[i].asSlice(0, got);
        s.length = iso != null ? size : got;
        s.sequence = delivered;
        bytes += got;
        delivered++;
        return s;
    }

    private void deliver(int i) {
        Slot s = fillSlot(i, actual[i]);
        if (handler != null) {
            s.lent = true;
            try {
                handler.accept(s);
            } finally {
                s.lent = false;
                state.set(i, IDLE);
            }
        } else {
            state.set(i, LENT);
            demand.decrementAndGet();
            subscriber.onNext(new Lease(s));
        }
    }

    /** A subscriber closed a buffer: its slot may be submitted again (or freed, after the end). */
    private void giveBack(int i) {
        if (state.compareAndSet(i, LENT, IDLE)) {
            if (finished) {
                freeIfUnused();
            } else {
                LockSupport.unpark(thread);
            }
        }
    }

    /** Called by libusb's callback on the event thread. */
    @Override
    public void onReaped(Transfer t, int s, int got) {
        int i = t.slot;
        if (iso != null) {
            for (int k = 0; k < iso.length; k++) {
                isoActual[i][k] = t.isoCarried(k);
                isoStatus[i][k] = t.isoStatus(k);
            }
        }
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
        try {
            failure = handle.confirmGone(failure, ep.label());
        } catch (Throwable ignored) {
            // keep the failure as it is
        }
        for (int i = 0; i < n; i++) {
            // every slot, not only SUBMITTED ones: an inline callback between its handler and its
            // resubmit is cancelled through the guard, and its resubmit refuses
            transfers[i].cancel(transfers[i].generation);
        }
        for (int i = 0; i < n; i++) {
            while (state.get(i) == SUBMITTED) {
                park();
            }
        }
        finished = true;
        for (int i = 0; i < n; i++) {
            state.compareAndSet(i, COMPLETED, IDLE);
        }
        for (Transfer t : transfers) {
            t.pooledBuffer = false;
            engine.recycle(t);
        }
        handle.unregister(this);
        ep.releaseStream(this);
        freeIfUnused();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
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

    /**
     * After the end, once no subscriber holds a buffer: closes the views' arena (a kept view now
     * throws), then frees the memory, exactly once.
     */
    private void freeIfUnused() {
        for (int i = 0; i < n; i++) {
            if (state.get(i) == LENT) {
                return; // the last giveBack frees
            }
        }
        freeMemory();
    }

    private void freeMemory() {
        if (!memoryFreed.compareAndSet(false, true)) {
            return;
        }
        views.close();
        for (int i = 0; i < n; i++) {
            state.set(i, FREED);
            if (buffers[i] == null) {
                continue;
            }
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
        if (started.compareAndSet(false, true)) {
            finish(stopCause); // stopped before its thread started: nothing was submitted, end it here
            return;
        }
        if (onOwnThread() || handle.context().onEventThread()) {
            return; // the delivery thread ends after the handler returns; the event thread must not wait
        }
        TransferEngine.joinUninterruptibly(thread);
    }

    /** Waits for the end of a stream that was asked to stop (for its InputStream's close). */
    void awaitStopped() {
        awaitEnd();
    }

    @Override
    public boolean onOwnThread() {
        return Thread.currentThread() == thread;
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
