package dev.ausb;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A stage derived from a transfer's future ({@code thenApply}, {@code orTimeout}, {@code copy}...):
 * cancelling it cancels the stage it came from, and so, up the chain, the transfer.
 */
final class DerivedTransferFuture<U> extends UsbTransferFuture<U> {
    private final UsbTransferFuture<?> parent;

    DerivedTransferFuture(UsbTransferFuture<?> parent) {
        this.parent = parent;
    }

    @Override
    public CompletableFuture<UsbTransferResult> reaped() {
        return parent.reaped();
    }

    @Override
    protected void cancelTransfer() {
        parent.cancelFromDependent();
    }

    @Override
    protected void afterCancel() {
        parent.afterCancelFromDependent();
    }

    @Override
    protected void checkMayBlock() {
        parent.checkMayBlock();
    }

    @Override
    public U join() {
        if (!isDone()) {
            checkMayBlock();
        }
        return super.join();
    }

    @Override
    public U get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            checkMayBlock();
        }
        return super.get();
    }

    @Override
    public U get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!isDone()) {
            checkMayBlock();
        }
        return super.get(timeout, unit);
    }
}
