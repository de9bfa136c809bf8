package dev.ausb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDeviceHandle;

/** Looks inside the engine from the lab tests (same package on the class path): what is held, what leaked. */
public final class LabProbe {
    private LabProbe() {}

    /**
     * Asserts that the handle has nothing in flight, that the context's transfer structs were reused
     * (at most {@code maxTransfers} ever allocated) and that its buffer pool stays within its bound.
     */
    public static void assertNoLeak(UsbContext usb, UsbDeviceHandle h, int maxTransfers) {
        ContextImpl ctx = (ContextImpl) usb;
        // reaped() completes a moment before the completing thread counts the transfer done: a leak
        // never drains, a transfer being finished does within milliseconds
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (((HandleImpl) h).inFlight() != 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        assertEquals(0, ((HandleImpl) h).inFlight(), "transfers still in flight");
        assertTrue(ctx.engine().created() <= maxTransfers,
                "transfer structs allocated: " + ctx.engine().created() + ", expected reuse");
        assertTrue(ctx.engine().buffers.pooled() <= 64, "pooled buffers: " + ctx.engine().buffers.pooled());
        assertEquals(ctx.engine().created(), ctx.engine().free(), "every transfer back on the free list");
    }
}
