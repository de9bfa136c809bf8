package dev.ausb;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The future of one USB transfer, whose cancellation cancels the transfer itself.
 *
 * <p>Obtained from the transfer methods of {@link UsbDeviceHandle}, {@link UsbInEndpoint} and
 * {@link UsbOutEndpoint}; only ausb implements them (a subclass outside ausb fails in its
 * constructor), and test doubles of a driver's transfers come from {@link #completed(Object)} and
 * {@link #failed(Throwable)}. It completes exactly once, with the transfer's result, or exceptionally with a
 * {@link UsbException} subtype (a {@link UsbStallException}, a {@link UsbTimeoutException} for
 * the transfer's own timeout...) or a {@link java.util.concurrent.CancellationException}.
 *
 * <p>Cancelling reaches the kernel, in whatever state the transfer is (not yet submitted, waiting
 * behind an earlier cancelled transfer of its endpoint, in flight, or completing):
 * {@link #cancel(boolean)}, and completing the future any other way from outside
 * ({@link #orTimeout}, {@link #completeOnTimeout}, {@link #complete}, {@link #completeExceptionally},
 * {@link #obtrudeValue}, {@link #obtrudeException}) asks libusb to cancel the transfer. So does
 * doing the same to a stage derived from it ({@code thenApply}, {@code orTimeout}, {@link #copy()}...):
 * those stages are {@code UsbTransferFuture}s of the same transfer. A stage made by
 * {@link #thenCompose} also cancels the stage its function returned, when that exists, so
 * {@code out.write(cmd).thenCompose(n -> in.read(64)).orTimeout(1, SECONDS)} cancels the read
 * that is still waiting rather than the write that is already done.
 *
 * <p>The future completes at once on cancel, as {@code CompletableFuture} requires; libusb hands
 * the transfer back a little later. {@link #reaped()} says when, and how many bytes had moved.
 * Memory ausb owns is reused only after that; memory the caller lent to the transfer (a direct
 * {@link java.nio.ByteBuffer} or a {@link java.lang.foreign.MemorySegment}) belongs to the transfer
 * until {@link #reaped()} completes, and a later transfer on the same endpoint is submitted only
 * after an earlier cancelled one has been reaped, in the order the later ones were submitted.
 *
 * <p>Waiting ({@link #join()}, {@link #get()}) on the context's event thread, which is where
 * transfers complete, would wait forever: it throws {@link IllegalStateException} at once instead.
 * A thread blocked in {@code join()} or {@code get()} on the future completes it itself when the
 * transfer comes back (one wake-up, no hop to the completion executor), so the future's dependent
 * stages then run on that thread; one blocked on a stage of {@link #reaped()} returns as soon as
 * the event thread knows the result.
 *
 * <p>{@link #await()} waits and throws the transfer's failure unwrapped:
 * {@snippet :
 * try {
 *     byte[] reply = in.read(64, Duration.ofSeconds(1)).await();
 * } catch (UsbTimeoutException e) {
 *     // e.bytesTransferred() bytes had arrived
 * } catch (UsbStallException e) {
 *     in.clearHalt();
 * }
 * }
 *
 * @param <T> the result: the data read, or a byte count
 */
public abstract class UsbTransferFuture<T> extends UsbFuture<T> {
    /** The stage a {@link #thenCompose} function returned, for cancelling it; null until then. */
    private volatile Inner inner;

    /**
     * For ausb's own implementation.
     *
     * @throws UnsupportedOperationException if the subclass is not ausb's own
     */
    protected UsbTransferFuture() {
        Class<?> c = getClass();
        if (c.getModule() != UsbTransferFuture.class.getModule()
                || !(c.getPackageName().equals("dev.ausb.internal") || c.getPackageName().equals("dev.ausb"))) {
            throw new UnsupportedOperationException("UsbTransferFuture is implemented by ausb only, not by " + c.getName());
        }
    }

    /**
     * A transfer future that has already completed with {@code value}, as a test double of a
     * transfer that succeeded: for unit tests of code built on ausb (a fake endpoint returns it).
     * Its {@link #reaped()} completes with {@link UsbTransferResult.Status#COMPLETED} and
     * {@code bytesTransferred}; cancelling it changes nothing, as for any completed future.
     *
     * @param <T>              the result type
     * @param value            the result, such as the bytes read or a byte count; may be null
     * @param bytesTransferred what {@link #reaped()} reports as moved, at least 0
     * @return a completed future
     * @throws IllegalArgumentException if {@code bytesTransferred} is negative
     */
    public static <T> UsbTransferFuture<T> completed(T value, int bytesTransferred) {
        return Settled.ok(value, new UsbTransferResult(UsbTransferResult.Status.COMPLETED,
                Settled.checkBytes(bytesTransferred)));
    }

    /**
     * A transfer future that has already completed with {@code value}; its {@link #reaped()} reports
     * {@link UsbTransferResult.Status#COMPLETED} and the byte count the value implies: the length of
     * a {@code byte[]}, the number of an {@code Integer}, the remaining bytes of a
     * {@link java.nio.ByteBuffer}, else 0. See {@link #completed(Object, int)}.
     *
     * @param <T>   the result type
     * @param value the result, such as the bytes read or a byte count; may be null
     * @return a completed future
     */
    public static <T> UsbTransferFuture<T> completed(T value) {
        int n = switch (value) {
            case byte[] b -> b.length;
            case Integer i -> Math.max(0, i);
            case java.nio.ByteBuffer b -> b.remaining();
            case null, default -> 0;
        };
        return completed(value, n);
    }

    /**
     * A transfer future that has already failed with {@code failure}, as a test double of a transfer
     * that ended badly (a {@link UsbStallException}, a {@link UsbTimeoutException}...). Its
     * {@link #reaped()} reports the status the failure implies ({@link UsbTransferResult.Status#STALL}
     * for a stall, {@code TIMED_OUT}, {@code NO_DEVICE}, {@code OVERFLOW}, {@code CANCELLED} for a
     * {@link java.util.concurrent.CancellationException}, {@code ERROR} otherwise) and the
     * failure's {@link UsbException#bytesTransferred()}.
     *
     * @param <T>     the result type
     * @param failure what the transfer failed with
     * @return a failed future
     * @throws NullPointerException if {@code failure} is null
     */
    public static <T> UsbTransferFuture<T> failed(Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        UsbTransferResult.Status status = switch (failure) {
            case UsbStallException e -> UsbTransferResult.Status.STALL;
            case UsbTimeoutException e -> UsbTransferResult.Status.TIMED_OUT;
            case UsbDeviceGoneException e -> UsbTransferResult.Status.NO_DEVICE;
            case UsbOverflowException e -> UsbTransferResult.Status.OVERFLOW;
            case java.util.concurrent.CancellationException e -> UsbTransferResult.Status.CANCELLED;
            default -> UsbTransferResult.Status.ERROR;
        };
        int bytes = failure instanceof UsbException u ? Math.max(0, u.bytesTransferred()) : 0;
        return failed(failure, new UsbTransferResult(status, bytes));
    }

    /**
     * A transfer future that has already failed with {@code failure}, whose {@link #reaped()}
     * completes with {@code reaped}: a test double with a chosen final status, byte count and
     * partial data.
     *
     * @param <T>     the result type
     * @param failure what the transfer failed with
     * @param reaped  what {@link #reaped()} reports
     * @return a failed future
     * @throws NullPointerException if either is null
     */
    public static <T> UsbTransferFuture<T> failed(Throwable failure, UsbTransferResult reaped) {
        return Settled.fail(Objects.requireNonNull(failure, "failure"), Objects.requireNonNull(reaped, "reaped"));
    }

    /**
     * A future that completes when libusb has handed the transfer back, whatever the outcome,
     * with the final status and byte count. It never completes exceptionally; each call returns a
     * new dependent stage, so completing or cancelling it changes nothing but that stage.
     *
     * @return a new stage of the transfer's final status and byte count
     */
    public abstract CompletableFuture<UsbTransferResult> reaped();

    /**
     * Asks libusb to cancel the transfer, if it is still in flight or not yet submitted, and holds
     * later submissions of its endpoint. Completes nothing (see {@link #afterCancel()}). Does not wait.
     */
    protected abstract void cancelTransfer();

    /**
     * After this stage was completed from outside: completes what the cancel left to complete (a
     * transfer that never reached libusb fails now). For ausb's engine.
     */
    protected void afterCancel() {}

    /**
     * Set by {@link #cancel}, {@link #complete}, {@link #completeExceptionally} (and so
     * {@code orTimeout}) and the obtrude methods before they cancel the transfer: they complete this
     * stage themselves right after, so the transfer's cancelled outcome must not complete it first
     * (an {@code orTimeout} would otherwise end in a CancellationException instead of its
     * TimeoutException, when the cancel came back before the timer thread completed the stage).
     */
    private volatile boolean completingFromOutside;

    /**
     * True once {@link #cancel}, {@code complete*} or {@code obtrude*} is completing this stage (for ausb's engine).
     *
     * @return true once a completion from outside has begun
     */
    protected final boolean completingFromOutside() {
        return completingFromOutside;
    }

    /** Throws {@link IllegalStateException} if waiting on this thread would never end (the event thread). */
    protected abstract void checkMayBlock();

    /**
     * Completes the future with the transfer's result, without cancelling anything (for ausb's engine).
     *
     * @param value the transfer's result
     * @return true if this call completed the future, false if it was already complete
     */
    protected final boolean settle(T value) {
        return super.complete(value);
    }

    /**
     * Completes the future with the transfer's failure, without cancelling anything (for ausb's engine).
     *
     * @param failure what ended the transfer
     * @return true if this call completed the future, false if it was already complete
     */
    protected final boolean settleExceptionally(Throwable failure) {
        return super.completeExceptionally(failure);
    }

    /**
     * The first half of a cancel from this stage or a dependent one: the transfer's cancel is
     * requested (so a dependent that submits again waits behind it), and nothing completes yet.
     */
    final void cancelFromDependent() {
        cancelTransfer();
    }

    /**
     * The second half, once the stage itself is complete: a transfer that never reached libusb
     * fails, and the stage a {@code thenCompose} function returned is cancelled.
     */
    final void afterCancelFromDependent() {
        afterCancel();
        Inner i = inner;
        if (i != null) {
            i.cancel();
        }
    }

    /** What {@link #cancel} completes the future with (isCancelled() is true): no stack trace to fill. */
    private static final class Cancelled extends java.util.concurrent.CancellationException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("the transfer was cancelled");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new DerivedTransferFuture<>(this);
    }

    /**
     * Cancels this future and the USB transfer: libusb is asked to cancel it, and
     * {@link #reaped()} completes when it has.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDone()) {
            return isCancelled(); // as CompletableFuture answers a second cancel
        }
        // first the cancel, then the completion: a dependent that submits again (a retry) finds the
        // endpoint holding for this transfer, and a lent buffer is never in two transfers at once
        completingFromOutside = true;
        boolean cancelled;
        try {
            cancelFromDependent();
        } finally {
            // CompletableFuture.cancel would build a CancellationException with a stack trace, which
            // says only that cancel() was called; one without is a tenth of the cancel's cost
            cancelled = super.completeExceptionally(new Cancelled()) || isCancelled();
        }
        afterCancelFromDependent();
        return cancelled;
    }

    /**
     * Completes this future with what {@code supplier} returns, on {@code executor}, and cancels
     * the transfer if it is still in flight then, as {@link #complete} does ({@code
     * CompletableFuture}'s own would complete it around {@code complete}).
     */
    @Override
    public CompletableFuture<T> completeAsync(java.util.function.Supplier<? extends T> supplier,
            java.util.concurrent.Executor executor) {
        java.util.Objects.requireNonNull(supplier, "supplier");
        java.util.Objects.requireNonNull(executor, "executor");
        executor.execute(() -> {
            if (!isDone()) {
                try {
                    complete(supplier.get());
                } catch (Throwable e) {
                    completeExceptionally(e);
                }
            }
        });
        return this;
    }

    /** As {@link #completeAsync(java.util.function.Supplier, java.util.concurrent.Executor)}, on {@link #defaultExecutor()}. */
    @Override
    public CompletableFuture<T> completeAsync(java.util.function.Supplier<? extends T> supplier) {
        return completeAsync(supplier, defaultExecutor());
    }

    /** Completes this future with {@code value} and cancels the transfer if it is still in flight. */
    @Override
    public boolean complete(T value) {
        if (isDone()) {
            return false;
        }
        completingFromOutside = true;
        boolean done;
        try {
            cancelFromDependent();
        } finally {
            done = super.complete(value);
        }
        afterCancelFromDependent();
        return done;
    }

    /**
     * Completes this future exceptionally (as {@link #orTimeout} does) and cancels the transfer if
     * it is still in flight.
     */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        java.util.Objects.requireNonNull(ex, "ex");
        if (isDone()) {
            return false;
        }
        completingFromOutside = true;
        boolean done;
        try {
            cancelFromDependent();
        } finally {
            done = super.completeExceptionally(ex);
        }
        afterCancelFromDependent();
        return done;
    }

    /** Forcibly sets the value, as {@code CompletableFuture} does, and cancels the transfer if it is still in flight. */
    @Override
    public void obtrudeValue(T value) {
        completingFromOutside = true;
        try {
            cancelFromDependent();
        } finally {
            super.obtrudeValue(value);
        }
        afterCancelFromDependent();
    }

    /** Forcibly sets the failure, as {@code CompletableFuture} does, and cancels the transfer if it is still in flight. */
    @Override
    public void obtrudeException(Throwable ex) {
        java.util.Objects.requireNonNull(ex, "ex");
        completingFromOutside = true;
        try {
            cancelFromDependent();
        } finally {
            super.obtrudeException(ex);
        }
        afterCancelFromDependent();
    }

    /** {@inheritDoc} Cancelling the stage returned also cancels the stage {@code fn} returned. */
    @Override
    public <U> UsbTransferFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
        Objects.requireNonNull(fn, "fn");
        Inner link = new Inner();
        return link.attach(super.thenCompose(x -> link.track(fn.apply(x))));
    }

    /** {@inheritDoc} Cancelling the stage returned also cancels the stage {@code fn} returned. */
    @Override
    public <U> UsbTransferFuture<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn) {
        Objects.requireNonNull(fn, "fn");
        Inner link = new Inner();
        return link.attach(super.thenComposeAsync(x -> link.track(fn.apply(x))));
    }

    /** {@inheritDoc} Cancelling the stage returned also cancels the stage {@code fn} returned. */
    @Override
    public <U> UsbTransferFuture<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn,
            Executor executor) {
        Objects.requireNonNull(fn, "fn");
        Inner link = new Inner();
        return link.attach(super.thenComposeAsync(x -> link.track(fn.apply(x)), executor));
    }

    /** The stage a compose function returned, and whether it was asked to cancel before it existed. */
    private static final class Inner {
        private CompletionStage<?> stage;
        private boolean cancelled;

        <S extends CompletionStage<?>> S track(S s) {
            boolean now;
            synchronized (this) {
                stage = s;
                now = cancelled;
            }
            if (now && s != null) {
                cancelStage(s);
            }
            return s;
        }

        void cancel() {
            CompletionStage<?> s;
            synchronized (this) {
                cancelled = true;
                s = stage;
            }
            if (s != null) {
                cancelStage(s);
            }
        }

        private static void cancelStage(CompletionStage<?> s) {
            if (s instanceof java.util.concurrent.Future<?> f) {
                f.cancel(true);
            } else {
                s.toCompletableFuture().cancel(true);
            }
        }

        @SuppressWarnings("unchecked")
        <U> UsbTransferFuture<U> attach(CompletableFuture<U> composed) {
            UsbTransferFuture<U> u = (UsbTransferFuture<U>) composed; // made by newIncompleteFuture
            u.inner = this;
            return u;
        }
    }
}
