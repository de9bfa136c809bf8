package dev.ausb;

import java.util.concurrent.CompletableFuture;

/**
 * A transfer future that was settled when it was made: the test doubles of
 * {@link UsbTransferFuture#completed(Object)} and {@link UsbTransferFuture#failed(Throwable)}. There
 * is no transfer behind it: cancelling it (a no-op, since it is done) reaches nothing.
 */
final class Settled<T> extends UsbTransferFuture<T> {
    private final UsbTransferResult result;

    private Settled(UsbTransferResult result) {
        this.result = result;
    }

    static <T> Settled<T> ok(T value, UsbTransferResult result) {
        Settled<T> f = new Settled<>(result);
        f.settle(value);
        return f;
    }

    static <T> Settled<T> fail(Throwable failure, UsbTransferResult result) {
        Settled<T> f = new Settled<>(result);
        f.settleExceptionally(failure);
        return f;
    }

    static int checkBytes(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("bytesTransferred is at least 0, not " + n);
        }
        return n;
    }

    @Override
    public CompletableFuture<UsbTransferResult> reaped() {
        return CompletableFuture.completedFuture(result);
    }

    @Override
    protected void cancelTransfer() {}

    @Override
    protected void checkMayBlock() {}
}
