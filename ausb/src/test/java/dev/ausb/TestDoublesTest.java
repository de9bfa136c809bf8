package dev.ausb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The public factories a user's unit tests build fakes of transfers with, and UsbFuture's await. */
class TestDoublesTest {
    @Test
    void aCompletedTransferHasItsValueAndAReapedResult() {
        UsbTransferFuture<byte[]> f = UsbTransferFuture.completed(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, f.await());
        assertEquals(new UsbTransferResult(UsbTransferResult.Status.COMPLETED, 3), f.reaped().join());
        assertEquals(new UsbTransferResult(UsbTransferResult.Status.COMPLETED, 7),
                UsbTransferFuture.completed(7).reaped().join());
        assertEquals(new UsbTransferResult(UsbTransferResult.Status.COMPLETED, 5),
                UsbTransferFuture.completed("x", 5).reaped().join());
        assertThrows(IllegalArgumentException.class, () -> UsbTransferFuture.completed("x", -1));
        assertFalse(f.cancel(true), "a completed double stays completed");
    }

    @Test
    void derivedStagesOfADoubleAreTransferFuturesToo() {
        UsbTransferFuture<Integer> f = UsbTransferFuture.completed(4);
        CompletableFutureHolder h = new CompletableFutureHolder(f.thenApply(n -> n * 2));
        assertInstanceOf(UsbTransferFuture.class, h.f);
        assertEquals(8, ((UsbTransferFuture<?>) h.f).await());
    }

    private record CompletableFutureHolder(java.util.concurrent.CompletableFuture<?> f) {}

    @Test
    void aFailedTransferThrowsItsFailureUnwrapped_andReapsWithTheMatchingStatus() {
        UsbStallException stall = new UsbStallException("stalled", -9, "LIBUSB_ERROR_PIPE", 12, null);
        UsbTransferFuture<byte[]> f = UsbTransferFuture.failed(stall);
        assertSame(stall, assertThrows(UsbStallException.class, f::await));
        assertEquals(new UsbTransferResult(UsbTransferResult.Status.STALL, 12), f.reaped().join());
        CompletionException wrapped = assertThrows(CompletionException.class, f::join);
        assertSame(stall, wrapped.getCause());

        assertEquals(UsbTransferResult.Status.TIMED_OUT, UsbTransferFuture.failed(
                new UsbTimeoutException("t", -7, "LIBUSB_ERROR_TIMEOUT", 0, null)).reaped().join().status());
        assertEquals(UsbTransferResult.Status.CANCELLED,
                UsbTransferFuture.failed(new CancellationException()).reaped().join().status());
        assertEquals(UsbTransferResult.Status.ERROR,
                UsbTransferFuture.failed(new IllegalStateException()).reaped().join().status());
        UsbTransferResult chosen = new UsbTransferResult(UsbTransferResult.Status.CANCELLED, 2, new byte[] {9, 8});
        assertSame(chosen, UsbTransferFuture.failed(stall, chosen).reaped().join());
        assertThrows(NullPointerException.class, () -> UsbTransferFuture.failed(null));
    }

    @Test
    void awaitUnwrapsUncheckedFailures_andLeavesCheckedOnesInTheirCompletionException() {
        UsbFuture<String> f = new UsbFuture<>();
        f.completeExceptionally(new IllegalArgumentException("bad"));
        assertEquals("bad", assertThrows(IllegalArgumentException.class, f::await).getMessage());

        UsbFuture<String> late = new UsbFuture<>();
        java.util.concurrent.CompletableFuture<String> timed = late.orTimeout(1, TimeUnit.MILLISECONDS);
        assertInstanceOf(UsbFuture.class, timed, "derived stages can be awaited too");
        CompletionException e = assertThrows(CompletionException.class, ((UsbFuture<String>) timed)::await);
        assertInstanceOf(TimeoutException.class, e.getCause());

        UsbFuture<String> ok = new UsbFuture<>();
        assertTrue(ok.complete("v"));
        assertEquals("v", ok.await());
    }
}
