package dev.ausb.internal;

import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The future of one submission: it listens for the transfer's callback, turns the outcome into a
 * value or an exception on the event thread (where the buffer is still valid), recycles the
 * transfer, and completes itself on the context's completion executor.
 *
 * @param <T> the result type
 */
final class TransferFutureImpl<T> extends UsbTransferFuture<T> implements Transfer.Listener {
    /** Turns the received bytes into the result; runs on the event thread before the buffer is reused. */
    @FunctionalInterface
    interface Result<T> {
        T convert(MemorySegment buffer, int actualLength);
    }

    private final Transfer transfer;
    private final int generation;
    private final Result<T> result;
    private final Supplier<String> description;
    private final Executor executor;
    private final CompletableFuture<UsbTransferResult> reaped = new CompletableFuture<>();
    private final TransferEngine engine;
    /** A thread blocked in join()/get(), woken by the event thread directly; it then completes the future. */
    private volatile Thread waiter;
    /** The outcome, published by the event thread before it wakes the waiter or dispatches completion. */
    private volatile Outcome<T> outcome;
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

    private record Outcome<T>(HandleImpl owner, UsbTransferResult result, T value, Throwable error) {
        /** A generic error of a handle's transfer: perhaps the device is being unplugged. */
        boolean mayBeGone() {
            return owner != null && result.status() == UsbTransferResult.Status.ERROR;
        }
    }

    TransferFutureImpl(TransferEngine engine, Transfer transfer, Result<T> result, Supplier<String> description,
            Executor executor) {
        this.engine = engine;
        this.transfer = transfer;
        this.generation = transfer.generation;
        this.result = result;
        this.description = description;
        this.executor = executor;
        transfer.listener = this;
    }

    @Override
    public CompletableFuture<UsbTransferResult> reaped() {
        return reaped;
    }

    @Override
    protected void cancelTransfer() {
        if (!reaped.isDone()) {
            EndpointImpl ep = transfer.endpoint;
            if (ep != null && transfer.generation == generation) {
                ep.holdUntilReaped(reaped);
            }
            transfer.cancel(generation);
        }
    }

    @Override
    protected <U> UsbTransferFuture<U> newDerived() {
        return new Derived<>(this);
    }

    /** The submission failed before reaching libusb: recycle and fail at once. */
    void failSubmit(RuntimeException e) {
        transfer.inFlight = false;
        engine.recycle(transfer);
        finished.set(true);
        reaped.complete(new UsbTransferResult(UsbTransferResult.Status.NOT_SUBMITTED, 0));
        settleExceptionally(e);
    }

    @Override
    public void onReaped(Transfer t, int status, int actual) {
        T value = null;
        Throwable error = null;
        try {
            if (status == Errors.TRANSFER_COMPLETED) {
                value = result.convert(t.buffer, actual);
            } else if (status == Errors.TRANSFER_CANCELLED) {
                error = new CancellationException(description.get() + ": cancelled after " + actual + " bytes");
            } else {
                error = Errors.ofStatus(status, actual, description.get());
            }
        } catch (Throwable e) {
            error = e;
        }
        HandleImpl owner = t.owner;
        engine.recycle(t);
        Outcome<T> o = new Outcome<>(owner, new UsbTransferResult(status(status), actual), value, error);
        outcome = o;
        Thread w = waiter;
        if (executor == null && !o.mayBeGone()) {
            finish(o); // the opt-in: complete here, on the event thread
            if (w != null) {
                LockSupport.unpark(w);
            }
        } else if (w != null) {
            LockSupport.unpark(w); // the joiner completes the future on its own thread: one wake-up, no hop
        } else if (executor != null) {
            executor.execute(() -> finish(o));
        } else {
            // the opt-in, but a generic error may be an unplug in progress: finish() waits to know, off this thread
            Thread.ofVirtual().name("ausb-gone-check").start(() -> finish(o));
        }
    }

    /** Completes both futures once, then tells the handle, whose close waits for this. */
    private void finish(Outcome<T> o) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        try {
            if (o.mayBeGone()) {
                Throwable e = o.owner().confirmGone(o.error(), description.get());
                if (e != o.error()) {
                    o = new Outcome<>(o.owner(), new UsbTransferResult(UsbTransferResult.Status.NO_DEVICE,
                            o.result().bytesTransferred()), null, e);
                }
            }
            reaped.complete(o.result());
            if (o.error() == null) {
                settle(o.value());
            } else {
                settleExceptionally(o.error());
            }
        } finally {
            if (o.owner() != null) {
                o.owner().transferDone();
            }
        }
    }

    /**
     * Waits for the outcome as the registered waiter. Returns false if another thread already waits
     * this way, or the future was completed from outside, so the caller should wait the usual way.
     */
    private boolean awaitDirectly(long deadlineNanos) throws java.util.concurrent.TimeoutException {
        if (isDone() || waiter != null) {
            return false;
        }
        waiter = Thread.currentThread();
        try {
            while (outcome == null && !isDone()) {
                if (deadlineNanos == 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        throw new java.util.concurrent.TimeoutException();
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
            return true;
        } finally {
            waiter = null;
            // the event thread publishes the outcome before it looks for a waiter: whoever leaves
            // here after it was published completes the future (on this, a user thread)
            Outcome<T> o = outcome;
            if (o != null) {
                finish(o);
            }
        }
    }

    @Override
    public T join() {
        try {
            awaitDirectly(0);
        } catch (java.util.concurrent.TimeoutException impossible) {
            throw new IllegalStateException(impossible);
        }
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, java.util.concurrent.ExecutionException {
        try {
            awaitDirectly(0);
        } catch (java.util.concurrent.TimeoutException impossible) {
            throw new IllegalStateException(impossible);
        }
        return super.get();
    }

    @Override
    public T get(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException,
            java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        awaitDirectly(deadline == 0 ? 1 : deadline);
        return super.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
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

    /** A stage derived from a transfer's future: cancelling it cancels the transfer. */
    private static final class Derived<U> extends UsbTransferFuture<U> {
        private final TransferFutureImpl<?> root;

        Derived(TransferFutureImpl<?> root) {
            this.root = root;
        }

        @Override
        public CompletableFuture<UsbTransferResult> reaped() {
            return root.reaped;
        }

        @Override
        protected void cancelTransfer() {
            root.cancelTransfer();
        }

        @Override
        protected <V> UsbTransferFuture<V> newDerived() {
            return new Derived<>(root);
        }
    }
}
