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

    /**
     * Starts an open() of {@code dev} that pauses inside the context's open check (holding what
     * an open in progress holds) until {@code go}; {@code inside} says it got there.
     */
    public static java.util.concurrent.CompletableFuture<UsbDeviceHandle> openPausedInside(UsbContext usb,
            dev.ausb.UsbDevice dev, java.util.concurrent.CountDownLatch inside, java.util.concurrent.CountDownLatch go) {
        ContextImpl ctx = (ContextImpl) usb;
        var f = new java.util.concurrent.CompletableFuture<UsbDeviceHandle>();
        Thread.ofPlatform().start(() -> {
            try {
                f.complete(ctx.withOpen(() -> {
                    inside.countDown();
                    try {
                        go.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return HandleImpl.open((DeviceImpl) dev);
                }));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Takes a transfer struct from the context's engine (and gives it back); throws once the context closed. */
    public static void acquireTransfer(UsbContext usb) {
        TransferEngine e = ((ContextImpl) usb).engine();
        e.recycle(e.acquire());
    }

    /** Transfers in flight in the context's engine, and structs not back on the free list. */
    public static int[] engineCounts(UsbContext usb) {
        TransferEngine e = ((ContextImpl) usb).engine();
        return new int[] {e.inFlightCount(), e.created() - e.free()};
    }

    /** Devices the context still references (those that left and are not open are dropped). */
    public static int knownDevices(UsbContext usb) {
        return ((ContextImpl) usb).knownDevices();
    }

    /** Cancels every in-flight transfer of the context's streams from outside the streams (as a stray cancel would). */
    public static void cancelStreamTransfersFromOutside(UsbContext usb) {
        ((ContextImpl) usb).engine().cancelAndAwait(t -> t.listener instanceof InStreamImpl);
    }

    /** Runs {@code r} while holding the handle's lifecycle write lock (as a close or an interface release does for an instant). */
    public static void withHandleWriteLocked(UsbDeviceHandle h, Runnable r) {
        var w = ((HandleImpl) h).lifecycleLock().writeLock();
        w.lock();
        try {
            r.run();
        } finally {
            w.unlock();
        }
    }

    /** True once the context's engine freed its structs (the context's close got that far). */
    public static boolean engineClosed(UsbContext usb) {
        try {
            acquireTransfer(usb);
            return false;
        } catch (IllegalStateException closed) {
            return true;
        }
    }

    /** Transfers of the handle that libusb has not handed back yet. */
    public static int handleInFlight(UsbDeviceHandle h) {
        return ((HandleImpl) h).inFlight();
    }

    /**
     * A transfer of {@code h} that libusb refuses with {@code LIBUSB_ERROR_IO}, as usbfs does for a
     * URB submitted in the instant its device is being disconnected: the window no test can hit
     * on purpose, injected here at the engine's entry for refused submissions.
     */
    public static dev.ausb.UsbTransferFuture<Integer> refusedWithGenericIoError(UsbDeviceHandle h) {
        HandleImpl handle = (HandleImpl) h;
        TransferEngine e = handle.engine();
        Transfer t = e.acquire();
        t.owner = handle;
        TransferFutureImpl<Integer> f = new TransferFutureImpl<>(e, t, (b, n) -> n, () -> "injected bulk IN 0x81",
                handle.context().completionExecutor());
        f.failSubmit(HandleImpl.submitFailure(Errors.ERROR_IO, "injected bulk IN 0x81"));
        return f;
    }
}
