package dev.ausb;

import java.util.concurrent.CompletableFuture;

/**
 * The future of one USB transfer, whose cancellation cancels the transfer itself.
 *
 * <p>Obtained from the transfer methods of {@link UsbDeviceHandle}, {@link UsbInEndpoint} and
 * {@link UsbOutEndpoint}. It completes with the transfer's result, or exceptionally with a
 * {@link UsbException} subtype (a {@link UsbStallException}, a {@link UsbTimeoutException} for
 * the transfer's own timeout...) or a {@link java.util.concurrent.CancellationException}.
 *
 * <p>Cancelling reaches the kernel: {@link #cancel(boolean)}, and completing the future any other
 * way from outside ({@link #orTimeout}, {@link #complete}, {@link #completeExceptionally}) asks
 * libusb to cancel the transfer. So does doing the same to a stage derived from it
 * ({@code thenApply}, {@code orTimeout}...): those stages are {@code UsbTransferFuture}s of the
 * same transfer. The future completes at once, as {@code CompletableFuture} requires; libusb
 * hands the transfer back a little later. {@link #reaped()} says when, and how many bytes had
 * moved. Memory ausb owns is reused only after that; memory the caller lent to the transfer
 * (a direct {@link java.nio.ByteBuffer} or a {@link java.lang.foreign.MemorySegment}) belongs to
 * the transfer until {@link #reaped()} completes, and a later transfer on the same endpoint is
 * submitted only after an earlier cancelled one has been reaped.
 *
 * @param <T> the result: the data read, or a byte count
 */
public abstract class UsbTransferFuture<T> extends CompletableFuture<T> {

    /** For ausb's own implementation. */
    protected UsbTransferFuture() {}

    /**
     * A future that completes when libusb has handed the transfer back, whatever the outcome,
     * with the final status and byte count. It never completes exceptionally.
     */
    public abstract CompletableFuture<UsbTransferResult> reaped();

    /** Asks libusb to cancel the transfer, if it is still in flight. Does not wait. */
    protected abstract void cancelTransfer();

    /** Completes the future with the transfer's result, without cancelling anything (for ausb's engine). */
    protected final boolean settle(T value) {
        return super.complete(value);
    }

    /** Completes the future with the transfer's failure, without cancelling anything (for ausb's engine). */
    protected final boolean settleExceptionally(Throwable failure) {
        return super.completeExceptionally(failure);
    }

    /** Creates a derived stage tied to the same transfer. */
    protected abstract <U> UsbTransferFuture<U> newDerived();

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return newDerived();
    }

    /**
     * Cancels this future and the USB transfer: libusb is asked to cancel it, and
     * {@link #reaped()} completes when it has.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            cancelTransfer();
        }
        return cancelled;
    }

    /** Completes this future with {@code value} and cancels the transfer if it is still in flight. */
    @Override
    public boolean complete(T value) {
        boolean done = super.complete(value);
        if (done) {
            cancelTransfer();
        }
        return done;
    }

    /**
     * Completes this future exceptionally (as {@link #orTimeout} does) and cancels the transfer if
     * it is still in flight.
     */
    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean done = super.completeExceptionally(ex);
        if (done) {
            cancelTransfer();
        }
        return done;
    }
}
