package dev.ausb.internal;

import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The future of one submission: it listens for the transfer's callback, turns the outcome into a
 * value or an exception on the event thread (where the buffer is still valid), recycles the
 * transfer, and completes itself on the context's completion executor.
 *
 * <p>Exactly once: {@link #finish} runs once whoever gets there (the executor, a joiner, or the
 * event thread), and every path out of the callback ends in it, even when the executor refuses
 * the task or an allocation fails.
 *
 * @param <T> the result type
 */
final class TransferFutureImpl<T> extends UsbTransferFuture<T> implements Transfer.Listener {
    /** Turns the received bytes into the result; runs on the event thread before the buffer is reused. */
    @FunctionalInterface
    interface Result<T> {
        T convert(MemorySegment buffer, int actualLength);

        /** As above, with the transfer at hand (an isochronous result reads its packets from the struct). */
        default T convert(Transfer t, MemorySegment buffer, int actualLength) {
            return convert(buffer, actualLength);
        }
    }

    private static final VarHandle WAITER;
    private static final VarHandle REAPED_WAITER;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(TransferFutureImpl.class, "waiter", Thread.class);
            REAPED_WAITER = MethodHandles.lookup().findVarHandle(TransferFutureImpl.class, "reapedWaiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }


    private final Transfer transfer;
    private final int generation;
    private final Result<T> result;
    private final Supplier<String> description;
    private final Executor executor;
    private final ReapedFuture reaped;
    private final TransferEngine engine;
    /** The endpoint it was submitted on (null for control transfers): its queue and cancel barrier. */
    final EndpointImpl endpoint;
    /** Where received data starts in a pooled buffer whose partial data a failed read keeps; -1 for none. */
    private final int partialOffset;
    /** A thread blocked in join()/get(), woken by the event thread directly; it then completes the future. */
    @SuppressWarnings("unused") // through WAITER
    private volatile Thread waiter;
    /** A thread blocked in reaped().get()/join(), woken by the event thread as soon as the result is known. */
    @SuppressWarnings("unused") // through REAPED_WAITER
    private volatile Thread reapedWaiter;
    /** The outcome, published by the event thread before it wakes the waiter or dispatches completion. */
    private volatile Outcome<T> outcome;
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

    // the endpoint's bookkeeping, guarded by the endpoint's monitor
    TransferFutureImpl<?> prev;
    TransferFutureImpl<?> next;
    /** Queued behind a cancel barrier, not yet submitted. */
    boolean queued;
    /** Its cancel holds later submissions of its endpoint until it is reaped. */
    boolean holding;
    /** libusb handed it back (or it never reached libusb). */
    boolean done;

    /**
     * What the callback learnt. {@code error} is null for a failure whose exception is still to be
     * made: finish() makes it from {@code status}, off the event thread (an exception's stack trace
     * and message cost more than the rest of the callback).
     */
    private record Outcome<T>(HandleImpl owner, UsbTransferResult result, T value, Throwable error, int status) {
        /** A generic error of a handle's transfer: perhaps the device is being unplugged. */
        boolean mayBeGone() {
            return owner != null && result.status() == UsbTransferResult.Status.ERROR;
        }
    }

    TransferFutureImpl(TransferEngine engine, Transfer transfer, Result<T> result, Supplier<String> description,
            Executor executor, EndpointImpl endpoint, int partialOffset) {
        this.engine = engine;
        this.transfer = transfer;
        this.generation = transfer.generation;
        this.result = result;
        this.description = description;
        this.executor = executor;
        this.endpoint = endpoint;
        this.partialOffset = partialOffset;
        this.reaped = new ReapedFuture(engine);
        transfer.listener = this;
    }

    TransferFutureImpl(TransferEngine engine, Transfer transfer, Result<T> result, Supplier<String> description,
            Executor executor) {
        this(engine, transfer, result, description, executor, null, -1);
    }

    Transfer transfer() {
        return transfer;
    }

    @Override
    public CompletableFuture<UsbTransferResult> reaped() {
        ReapedView v = new ReapedView(this);
        UsbTransferResult known = reaped.isDone() ? reaped.getNow(null) : finalResult;
        if (known != null) {
            v.complete(known); // nothing left to wait for: no stage added to reaped (a polling loop adds none)
        } else {
            reaped.whenComplete((r, e) -> v.complete(r));
        }
        return v;
    }

    /**
     * The result libusb reported, once the event thread published it and it is final (a generic
     * error may still turn into "device gone" in finish()); null before.
     */
    private UsbTransferResult knownResult() {
        UsbTransferResult r = finalResult;
        if (r != null) {
            return r;
        }
        Outcome<T> o = outcome;
        return o != null && !o.mayBeGone() ? o.result() : null;
    }

    /**
     * reaped()'s result as finish() decided it (a generic error perhaps turned into "device gone"),
     * set before the future settles: a dependent of the future that waits on reaped() finds it.
     */
    private volatile UsbTransferResult finalResult;

    /**
     * Waits for the result as the registered reaped() waiter, woken by the event thread directly
     * (one wake-up: no hop through the completion executor). Returns null when it should wait the
     * usual way (another thread is registered, or an interrupt).
     */
    private UsbTransferResult awaitReaped(long deadlineNanos) throws TimeoutException {
        UsbTransferResult r = knownResult();
        if (r != null || reaped.isDone()) {
            return r != null ? r : reaped.getNow(null);
        }
        engine.checkMayBlock("waiting for reaped()");
        Thread me = Thread.currentThread();
        if (!REAPED_WAITER.compareAndSet(this, (Thread) null, me)) {
            return null;
        }
        boolean woken = false;
        try {
            while ((r = knownResult()) == null && !reaped.isDone()) {
                if (deadlineNanos == 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException();
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (me.isInterrupted()) {
                    return null;
                }
            }
            woken = true;
            return r != null ? r : reaped.getNow(null);
        } finally {
            REAPED_WAITER.setVolatile(this, (Thread) null);
            // the event thread publishes the outcome before it looks for this waiter, and leaves
            // reaped() of a cancelled or timed-out future to it when it finds one (see dispatch):
            // whoever leaves here after that completes it, here when woken, else through the hop,
            // so a waiter that timed out runs no user code before it throws
            Outcome<T> published = outcome;
            if (published != null && !published.mayBeGone() && isDone()) {
                if (woken) {
                    finish(published);
                } else {
                    hop(published);
                }
            }
        }
    }

    /** The reaped future itself, for the engine. */
    CompletableFuture<UsbTransferResult> reapedFuture() {
        return reaped;
    }

    @Override
    protected void cancelTransfer() {
        if (reaped.isDone()) {
            return;
        }
        // libusb first, then the endpoint's hold: the cancel reaches the kernel without waiting for
        // the endpoint's monitor. A queued transfer is only marked (its submit would refuse); one
        // reaped meanwhile raises no hold (cancelling() sees it done)
        transfer.cancel(generation);
        if (endpoint != null) {
            endpoint.cancelling(this); // queued: dropped, it never reaches libusb (afterCancel fails it)
        }
    }

    /** Set when a cancel dropped it from its endpoint's queue; afterCancel() then fails it. */
    volatile boolean droppedFromQueue;

    @Override
    protected void afterCancel() {
        if (droppedFromQueue) { // failSubmit runs once, however many cancels end here
            failSubmit(new CancellationException(description.get() + ": cancelled before it was submitted"));
        }
        wakeWaiter(); // the future is complete: a joiner parked for the outcome returns now
    }

    @Override
    protected void checkMayBlock() {
        engine.checkMayBlock("waiting for a transfer");
    }

    /** The submission failed (or was cancelled) before reaching libusb: recycle and fail at once. */
    void failSubmit(RuntimeException e) {
        if (!finished.compareAndSet(false, true)) {
            return; // once: two cancels racing (a timeout and cancel()) both end here; recycle the struct once
        }
        HandleImpl owner = transfer.owner;
        transfer.inFlight = false;
        engine.recycle(transfer);
        if (endpoint != null) {
            endpoint.reaped(this);
        }
        if (owner != null && HandleImpl.mayBeGone(e)) {
            // a generic refusal may be an unplug in progress: learn which off this thread (it may
            // be the event thread, or a caller that should not wait for it), then fail
            Runnable confirm = () -> {
                Throwable f = e;
                try {
                    f = owner.confirmGone(e, description.get());
                } catch (Throwable ignored) {
                    // keep the refusal as it is: the future completes whatever happens here
                }
                settleSubmitFailure(f);
            };
            if (runElsewhere(executor, confirm)) {
                return;
            }
            // refused: fail it here, as it is
        }
        settleSubmitFailure(e);
    }

    /** Fails a transfer that never reached libusb, and completes its reaped(). */
    private void settleSubmitFailure(Throwable e) {
        UsbTransferResult r = new UsbTransferResult(UsbTransferResult.Status.NOT_SUBMITTED, 0); // even if the device left
        finalResult = r;
        wakeReapedWaiter();
        try {
            settleExceptionally(e);
        } finally {
            reaped.done(r);
            wakeWaiter(); // no outcome will be published for it: a parked joiner wakes here
        }
    }

    @Override
    public void onReaped(Transfer t, int status, int actual) {
        Outcome<T> o;
        HandleImpl owner = t.owner;
        try {
            o = outcomeOf(t, status, actual, owner);
        } catch (Throwable e) { // an OutOfMemoryError, say: the future still completes
            o = new Outcome<>(owner, new UsbTransferResult(status(status), actual), null, e, status);
        }
        try {
            engine.recycle(t);
        } catch (Throwable ignored) {
            // the struct is lost to reuse, not to the future
        }
        try {
            if (endpoint != null) {
                // releases a cancel barrier first: a thread that sees reaped() done and submits
                // again finds the endpoint clear, and the queued ones go out from here, in order
                endpoint.reaped(this);
            }
        } catch (Throwable e) {
            // no memory to drain the queue: the future below still completes
        }
        outcome = o;
        Thread rw = (Thread) REAPED_WAITER.getVolatile(this);
        if (rw != null) {
            LockSupport.unpark(rw); // a reaped() waiter returns now, before the completion's hop
        }
        if (owner != null) {
            // libusb handed it back: a close waits for no more than that (not for the completion,
            // which may run the close itself, or wait behind it on a serial executor)
            owner.transferDone();
        }
        dispatch(o, rw != null);
    }

    private Outcome<T> outcomeOf(Transfer t, int status, int actual, HandleImpl owner) {
        T value = null;
        Throwable error = null;
        byte[] partial = null;
        try {
            if (status == Errors.TRANSFER_COMPLETED && !isDone()) {
                value = result.convert(t, t.buffer, actual);
            } else if (actual > 0 && partialOffset >= 0 && t.buffer != null) {
                // failed, or completed after a cancel (or timeout) already completed the future:
                // what arrived is handed back through reaped()
                partial = t.buffer.asSlice(partialOffset, actual).toArray(ValueLayout.JAVA_BYTE);
            }
        } catch (Throwable e) {
            error = e;
        }
        return new Outcome<>(owner, new UsbTransferResult(status(status), actual, partial), value, error, status);
    }

    /** The exception of a failed outcome, made on the completing thread. */
    private Throwable errorOf(Outcome<T> o) {
        if (o.error() != null || o.status() == Errors.TRANSFER_COMPLETED) {
            return o.error();
        }
        int actual = o.result().bytesTransferred();
        return o.status() == Errors.TRANSFER_CANCELLED
                ? new CancellationException(description.get() + ": cancelled after " + actual + " bytes")
                : Errors.ofStatus(o.status(), actual, description.get());
    }

    /** Hands the outcome to whoever completes the future; never throws, never loses it. */
    private void dispatch(Outcome<T> o, boolean reapedWaiterWoken) {
        Thread w = (Thread) WAITER.getVolatile(this);
        try {
            if (executor == null && !o.mayBeGone()) {
                finish(o); // the opt-in: complete here, on the event thread
                if (w != null) {
                    LockSupport.unpark(w);
                }
            } else if (w != null) {
                LockSupport.unpark(w); // the joiner completes the future on its own thread: one wake-up, no hop
            } else if (reapedWaiterWoken && !o.mayBeGone() && isDone()) {
                // cancelled or timed out, and a reaped() waiter was registered when the outcome was
                // published (and woken): it completes reaped() itself when it leaves awaitReaped,
                // so no hop races its wake-up for the CPU (the future itself is already complete)
            } else {
                // the executor; or the opt-in, but a generic error may be an unplug in progress:
                // finish() waits to know, off this thread
                hop(o);
            }
        } catch (Throwable refused) { // no memory, say: a virtual thread, else here on the event thread as the last resort
            Runnable r = () -> finish(o);
            if (!runElsewhere(null, r)) {
                r.run();
            }
        }
    }

    /**
     * Completes both futures once. The handle already counted the transfer done when libusb
     * handed it back, so a close started by the user code that runs here does not wait for it.
     */
    private void finish(Outcome<T> o) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        HandleImpl owner = o.owner();
        if (isDone() && !o.mayBeGone() || o.status() == Errors.TRANSFER_CANCELLED && completingFromOutside()) {
            // cancelled or timed out already, or being so (cancel, complete*, orTimeout cancelled the
            // transfer and completes this stage itself next): only reaped() is left, no exception to build
            finalResult = o.result();
            wakeReapedWaiter();
            reaped.done(o.result());
            return;
        }
        try {
            Throwable error = errorOf(o);
            if (error != o.error()) {
                o = new Outcome<>(owner, o.result(), o.value(), error, o.status());
            }
        } catch (Throwable e) { // no memory for the exception: still complete
            o = new Outcome<>(owner, o.result(), null, e, o.status());
        }
        if (o.mayBeGone()) {
            try {
                Throwable e = owner.confirmGone(o.error(), description.get());
                if (e != o.error()) {
                    o = new Outcome<>(owner, new UsbTransferResult(UsbTransferResult.Status.NO_DEVICE,
                            o.result().bytesTransferred(), o.result().partialData()), null, e, o.status());
                }
            } catch (Throwable ignored) {
                // keep the original failure
            }
        }
        // the future first, then reaped(): a dependent of either that waits for the other finds
        // it done (reaped()'s stages know finalResult at once) instead of waiting for this stack
        finalResult = o.result();
        wakeReapedWaiter();
        try {
            if (o.error() == null) {
                settle(o.value());
            } else {
                settleExceptionally(o.error());
            }
        } finally {
            reaped.done(o.result());
        }
    }

    /**
     * Completes the future through the executor (or a virtual thread): for a waiter that leaves
     * early (timed out, interrupted) after the outcome came, so it runs no user code before it
     * throws, and for a timed waiter whose outcome may turn into "device gone" (that takes up to a
     * second).
     */
    private void hop(Outcome<T> o) {
        if (finished.get()) {
            return;
        }
        Runnable r = () -> finish(o);
        // a rejecting executor, or no memory for a thread: a virtual thread, else here as the last resort
        if (!runElsewhere(executor, r) && !runElsewhere(null, r)) {
            r.run();
        }
    }

    /**
     * Runs {@code r} on {@code executor}, or on a new virtual thread when it is null; false if that
     * was refused (a rejecting executor, no memory for a thread), and {@code r} did not run.
     */
    static boolean runElsewhere(Executor executor, Runnable r) {
        try {
            if (executor != null) {
                executor.execute(r);
            } else {
                Thread.ofVirtual().name("ausb-completion").start(r);
            }
            return true;
        } catch (Throwable refused) {
            return false;
        }
    }

    /** Wakes the registered joiner (see {@link #awaitDirectly}) after a completion no outcome announces. */
    private void wakeWaiter() {
        Thread w = (Thread) WAITER.getVolatile(this);
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    private void wakeReapedWaiter() {
        Thread rw = (Thread) REAPED_WAITER.getVolatile(this);
        if (rw != null) {
            LockSupport.unpark(rw);
        }
    }

    /**
     * Waits for the outcome as the registered waiter. Returns false if another thread already waits
     * this way, or the future was completed from outside, so the caller should wait the usual way.
     */
    private boolean awaitDirectly(long deadlineNanos) throws TimeoutException {
        if (isDone()) {
            return false;
        }
        engine.checkMayBlock("waiting for a transfer");
        Thread me = Thread.currentThread();
        if (!WAITER.compareAndSet(this, (Thread) null, me)) {
            return false; // another joiner is registered: this one waits on the CompletableFuture itself
        }
        boolean woken = false;
        try {
            while (outcome == null && !isDone()) {
                if (deadlineNanos == 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException();
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (me.isInterrupted()) {
                    return false;
                }
            }
            woken = true;
            return true;
        } finally {
            WAITER.setVolatile(this, (Thread) null);
            // the event thread publishes the outcome before it looks for a waiter, and leaves the
            // completion to the waiter it finds: whoever leaves here after it was published
            // completes the future, here (a user thread) when woken, else through the hop; so does
            // a timed waiter whose outcome may turn into "device gone", which takes up to a second
            Outcome<T> o = outcome;
            if (o != null) {
                if (woken && (deadlineNanos == 0 || !o.mayBeGone())) {
                    finish(o);
                } else {
                    hop(o);
                }
            }
        }
    }

    @Override
    public T join() {
        try {
            awaitDirectly(0);
        } catch (TimeoutException impossible) {
            throw new IllegalStateException(impossible);
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        try {
            awaitDirectly(0);
        } catch (TimeoutException impossible) {
            throw new IllegalStateException(impossible);
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        awaitDirectly(deadline == 0 ? 1 : deadline);
        return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    static UsbTransferResult.Status status(int libusbStatus) {
        return switch (libusbStatus) {
            case Errors.TRANSFER_COMPLETED -> UsbTransferResult.Status.COMPLETED;
            case Errors.TRANSFER_TIMED_OUT -> UsbTransferResult.Status.TIMED_OUT;
            case Errors.TRANSFER_CANCELLED -> UsbTransferResult.Status.CANCELLED;
            case Errors.TRANSFER_STALL -> UsbTransferResult.Status.STALL;
            case Errors.TRANSFER_NO_DEVICE -> UsbTransferResult.Status.NO_DEVICE;
            case Errors.TRANSFER_OVERFLOW -> UsbTransferResult.Status.OVERFLOW;
            default -> UsbTransferResult.Status.ERROR;
        };
    }

    /**
     * {@link #reaped()}: completed by the engine only. Users get {@link #copy()}s of it, so nothing
     * they do to theirs changes it. Waiting on it on the event thread fails at once.
     */
    static final class ReapedFuture extends Dependent<UsbTransferResult> {
        ReapedFuture(TransferEngine engine) {
            super(engine);
        }

        void done(UsbTransferResult r) {
            super.complete(r);
        }
    }

    /**
     * What {@link #reaped()} hands out: a stage of its own (nothing a user does to it changes the
     * transfer's), whose get()/join() return as soon as the event thread knows the result.
     */
    static final class ReapedView extends Dependent<UsbTransferResult> {
        private final TransferFutureImpl<?> root;

        ReapedView(TransferFutureImpl<?> root) {
            super(root.engine);
            this.root = root;
        }

        /** Done once libusb handed the transfer back, even before the completion hop reached this stage. */
        @Override
        public boolean isDone() {
            return super.isDone() || root.knownResult() != null;
        }

        @Override
        public UsbTransferResult getNow(UsbTransferResult valueIfAbsent) {
            if (!super.isDone()) {
                UsbTransferResult r = root.knownResult();
                if (r != null) {
                    complete(r);
                }
            }
            return super.getNow(valueIfAbsent);
        }

        @Override
        public UsbTransferResult resultNow() {
            getNow(null);
            return super.resultNow();
        }

        @Override
        public UsbTransferResult join() {
            if (!super.isDone()) { // known but not yet completed: awaitReaped returns the result at once
                try {
                    UsbTransferResult r = root.awaitReaped(0);
                    if (r != null) {
                        complete(r);
                    }
                } catch (TimeoutException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
            return super.join();
        }

        @Override
        public UsbTransferResult get() throws InterruptedException, ExecutionException {
            return join0();
        }

        private UsbTransferResult join0() throws InterruptedException, ExecutionException {
            if (!super.isDone()) { // known but not yet completed: awaitReaped returns the result at once
                try {
                    UsbTransferResult r = root.awaitReaped(0);
                    if (r != null) {
                        complete(r);
                    }
                } catch (TimeoutException impossible) {
                    throw new IllegalStateException(impossible);
                }
            }
            return super.get();
        }

        @Override
        public UsbTransferResult get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            if (!super.isDone()) { // known but not yet completed: awaitReaped returns the result at once
                UsbTransferResult r = root.awaitReaped(deadline == 0 ? 1 : deadline);
                if (r != null) {
                    complete(r);
                }
            }
            return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /** A stage derived from {@code reaped()}: waiting on it on the event thread fails at once too. */
    static class Dependent<U> extends CompletableFuture<U> {
        private final TransferEngine engine;

        Dependent(TransferEngine engine) {
            this.engine = engine;
        }

        @Override
        public <V> CompletableFuture<V> newIncompleteFuture() {
            return new Dependent<>(engine);
        }

        @Override
        public U join() {
            if (!isDone()) {
                engine.checkMayBlock("waiting for reaped()");
            }
            return super.join();
        }

        @Override
        public U get() throws InterruptedException, ExecutionException {
            if (!isDone()) {
                engine.checkMayBlock("waiting for reaped()");
            }
            return super.get();
        }

        @Override
        public U get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            if (!isDone()) {
                engine.checkMayBlock("waiting for reaped()");
            }
            return super.get(timeout, unit);
        }
    }
}
