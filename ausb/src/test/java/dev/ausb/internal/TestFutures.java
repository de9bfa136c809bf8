package dev.ausb.internal;

import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult;
import java.util.concurrent.CompletableFuture;

/** Transfer futures already settled, for host tests of code built on the public API (UsbHub). */
public final class TestFutures {
    private TestFutures() {}

    private static final class Settled<T> extends UsbTransferFuture<T> {
        @Override
        public CompletableFuture<UsbTransferResult> reaped() {
            return new CompletableFuture<>();
        }

        @Override
        protected void cancelTransfer() {}

        @Override
        protected void checkMayBlock() {}

        Settled<T> ok(T value) {
            settle(value);
            return this;
        }

        Settled<T> fail(Throwable failure) {
            settleExceptionally(failure);
            return this;
        }
    }

    /** A future that has completed with {@code value}. */
    public static <T> UsbTransferFuture<T> completed(T value) {
        return new Settled<T>().ok(value);
    }

    /** A future that has failed with {@code failure}. */
    public static <T> UsbTransferFuture<T> failed(Throwable failure) {
        return new Settled<T>().fail(failure);
    }
}
