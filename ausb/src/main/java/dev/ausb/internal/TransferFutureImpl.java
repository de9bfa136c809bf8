package dev.ausb.internal;

import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
        reaped.complete(new UsbTransferResult(UsbTransferResult.Status.NOT_SUBMITTED, 0));
        settleExceptionally(e);
    }

    @Override
    public void onReaped(Transfer t, int status, int actual) {
        if (status == Errors.TRANSFER_ERROR && t.owner != null && t.owner.deviceGone()) {
            status = Errors.TRANSFER_NO_DEVICE; // an unplug fails URBs with a generic error on some hosts
        }
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
        UsbTransferResult outcome = new UsbTransferResult(status(status), actual);
        if (executor == null) {
            finish(owner, outcome, value, error);
        } else {
            T v = value;
            Throwable e = error;
            executor.execute(() -> finish(owner, outcome, v, e));
        }
    }

    /** Completes both futures, then tells the handle, whose close waits for this. */
    private void finish(HandleImpl owner, UsbTransferResult outcome, T value, Throwable error) {
        try {
            reaped.complete(outcome);
            if (error == null) {
                settle(value);
            } else {
                settleExceptionally(error);
            }
        } finally {
            if (owner != null) {
                owner.transferDone();
            }
        }
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
