package dev.ausb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbTransferResult;
import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Java side of a transfer's future, without libusb: waiting, cancelling, exactly-once completion. */
class TransferFutureTest {
    private final TransferEngine engine = TransferEngine.detached();

    private TransferFutureImpl<Integer> future() {
        Transfer t = new Transfer(0, Arena.ofAuto().allocate(64));
        return new TransferFutureImpl<>(engine, t, (b, n) -> n, () -> "test transfer", null);
    }

    @Test
    void twoThreadsJoiningAtOnce_areBothWoken() throws Exception {
        // lifecycle review H5: two joiners raced to register as the single waiter, and one was never woken
        for (int i = 0; i < 3000; i++) {
            TransferFutureImpl<Integer> f = future();
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicInteger woken = new AtomicInteger();
            Runnable joiner = () -> {
                try {
                    start.await();
                    if (f.join() == 42) {
                        woken.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            Thread a = Thread.ofPlatform().start(joiner);
            Thread b = Thread.ofPlatform().start(joiner);
            long deadline = System.nanoTime() + 2_000_000_000L;
            while ((a.getState() != Thread.State.WAITING || b.getState() != Thread.State.WAITING)
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            f.onReaped(f.transfer(), Errors.TRANSFER_COMPLETED, 42);
            a.join(2000);
            b.join(2000);
            assertFalse(a.isAlive() || b.isAlive(), "iteration " + i + ": a joiner was never woken");
            assertEquals(2, woken.get());
        }
    }

    /** A thread waiting in {@code f.reaped().get(5 s)}, parked once this returns; its result goes to {@code seen}. */
    private static Thread reapedWaiter(TransferFutureImpl<?> f, CompletableFuture<UsbTransferResult> seen) {
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                seen.complete(f.reaped().get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        awaitParked(waiter);
        return waiter;
    }

    /** Waits until {@code t} is parked (it registered as a waiter), at most 2 s. */
    private static void awaitParked(Thread t) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING, "not parked");
    }

    @Test
    void aReapedWaiter_returnsBeforeTheCompletionHop_whichStillCompletesTheFuture() throws Exception {
        java.util.List<Runnable> hops = new java.util.concurrent.CopyOnWriteArrayList<>();
        Transfer t = new Transfer(0, Arena.ofAuto().allocate(64));
        TransferFutureImpl<Integer> f = new TransferFutureImpl<>(engine, t, (b, n) -> n, () -> "test transfer", hops::add);
        CompletableFuture<Thread> dependentRanOn = f.thenApply(n -> Thread.currentThread());
        CompletableFuture<UsbTransferResult> seen = new CompletableFuture<>();
        Thread waiter = reapedWaiter(f, seen);
        f.onReaped(t, Errors.TRANSFER_COMPLETED, 42);
        // woken by the event thread directly: the result before the hop has even run
        assertEquals(42, seen.get(5, TimeUnit.SECONDS).bytesTransferred());
        waiter.join(2000);
        assertEquals(1, hops.size(), "the future of a completed transfer is completed by the executor");
        assertFalse(f.isDone());
        hops.get(0).run();
        assertEquals(42, f.getNow(-1));
        assertEquals(Thread.currentThread(), dependentRanOn.getNow(null), "the dependents ran on the executor");
    }

    @Test
    void aStageOfReapedThatJoinsTheFuture_andAStageOfTheFutureThatJoinsReaped_doNotHang() throws Exception {
        // review finding: finish() completed reaped() first, so a reaped() stage that joined the
        // future waited for the settle further down its own stack
        Transfer t = new Transfer(0, Arena.ofAuto().allocate(64));
        TransferFutureImpl<Integer> f = new TransferFutureImpl<>(engine, t, (b, n) -> n, () -> "test transfer",
                Runnable::run);
        CompletableFuture<Integer> viaReaped = f.reaped().thenApply(r -> f.join());
        CompletableFuture<Integer> viaFuture = f.thenApply(v -> f.reaped().join().bytesTransferred());
        Thread events = Thread.ofPlatform().start(() -> f.onReaped(t, Errors.TRANSFER_COMPLETED, 9));
        assertEquals(9, viaFuture.get(5, TimeUnit.SECONDS));
        assertEquals(9, viaReaped.get(5, TimeUnit.SECONDS));
        events.join(2000);
        assertFalse(events.isAlive());
    }

    @Test
    void reapedOfAReapedTransfer_addsNoStage_soAPollingLoopDoesNotGrowIt() throws Exception {
        TransferFutureImpl<Integer> f = future();
        f.onReaped(f.transfer(), Errors.TRANSFER_COMPLETED, 3);
        for (int i = 0; i < 1000; i++) {
            assertEquals(3, f.reaped().getNow(null).bytesTransferred());
        }
        assertEquals(0, f.reapedFuture().getNumberOfDependents());
    }

    @Test
    void cancellingTwice_answersTrue_asCompletableFutureDoes() {
        TransferFutureImpl<Integer> f = future();
        assertTrue(f.cancel(true));
        assertTrue(f.cancel(true));
        assertTrue(f.isCancelled());
        assertEquals(java.util.concurrent.Future.State.CANCELLED, f.state());
        assertThrows(IllegalStateException.class, f::exceptionNow);
        TransferFutureImpl<Integer> done = future();
        done.onReaped(done.transfer(), Errors.TRANSFER_COMPLETED, 1);
        assertFalse(done.cancel(true));
    }

    @Test
    void aCancelledTransfersReapedWaiter_isWokenAndCompletesReaped_withoutAHop() throws Exception {
        AtomicInteger hops = new AtomicInteger();
        Transfer t = new Transfer(0, Arena.ofAuto().allocate(64));
        TransferFutureImpl<Integer> f = new TransferFutureImpl<>(engine, t, (b, n) -> n, () -> "test transfer",
                task -> hops.incrementAndGet());
        assertTrue(f.cancel(true));
        assertTrue(f.isCancelled());
        CompletableFuture<UsbTransferResult> other = f.reaped(); // a second stage, completed through reaped
        CompletableFuture<UsbTransferResult> seen = new CompletableFuture<>();
        Thread waiter = reapedWaiter(f, seen);
        f.onReaped(t, Errors.TRANSFER_CANCELLED, 0);
        assertEquals(UsbTransferResult.Status.CANCELLED, seen.get(5, TimeUnit.SECONDS).status());
        waiter.join(2000);
        assertEquals(0, hops.get());
        assertEquals(UsbTransferResult.Status.CANCELLED, other.getNow(null).status());
        assertThrows(CancellationException.class, f::join);
    }

    @Test
    void aReapedWaiterThatTimedOut_leavesTheCompletionToTheExecutor() throws Exception {
        java.util.List<Runnable> hops = new java.util.concurrent.CopyOnWriteArrayList<>();
        Transfer t = new Transfer(0, Arena.ofAuto().allocate(64));
        TransferFutureImpl<Integer> f = new TransferFutureImpl<>(engine, t, (b, n) -> n, () -> "test transfer", hops::add);
        assertThrows(java.util.concurrent.TimeoutException.class, () -> f.reaped().get(20, TimeUnit.MILLISECONDS));
        f.onReaped(t, Errors.TRANSFER_COMPLETED, 5);
        assertEquals(1, hops.size(), "nobody waits: the executor completes it");
        assertFalse(f.isDone());
        hops.get(0).run();
        assertEquals(5, f.getNow(-1));
    }

    @Test
    void everyFutureCompletesOnce_whateverArrivesFirst() throws Exception {
        TransferFutureImpl<Integer> f = future();
        assertTrue(f.cancel(true));
        f.onReaped(f.transfer(), Errors.TRANSFER_COMPLETED, 7); // the callback after the cancel
        assertThrows(CancellationException.class, f::join);
        assertEquals(UsbTransferResult.Status.COMPLETED, f.reaped().get(1, TimeUnit.SECONDS).status());
        assertEquals(7, f.reaped().get(1, TimeUnit.SECONDS).bytesTransferred());
    }

    @Test
    void aCancelBeforeSubmission_isKept_andTheSubmitRefuses() {
        TransferFutureImpl<Integer> f = future();
        f.cancel(true);
        assertTrue(f.transfer().cancelRequested(), "the cancel must not be lost while nothing is in flight");
    }

    @Test
    void derivedStages_copiesAndObtrusion_allCancelTheTransfer() {
        TransferFutureImpl<Integer> f1 = future();
        f1.copy().cancel(true);
        assertTrue(f1.transfer().cancelRequested(), "copy()");
        TransferFutureImpl<Integer> f2 = future();
        // the cancel is requested before the stage completes: its dependents already see it
        boolean seen = f2.thenApply(n -> n + 1).thenApply(n -> n * 2).orTimeout(1, TimeUnit.MILLISECONDS)
                .handle((v, e) -> f2.transfer().cancelRequested()).join();
        assertTrue(seen, "a dependent of a timed-out stage ran before the transfer's cancel was requested");
        TransferFutureImpl<Integer> f3 = future();
        f3.obtrudeValue(1);
        assertTrue(f3.transfer().cancelRequested(), "obtrudeValue");
    }

    @Test
    void reapedHandsOutCopies_thatNothingAUserDoesCanBreak() throws Exception {
        TransferFutureImpl<Integer> f = future();
        CompletableFuture<UsbTransferResult> mine = f.reaped();
        mine.completeExceptionally(new RuntimeException("user"));
        mine.cancel(true);
        f.onReaped(f.transfer(), Errors.TRANSFER_CANCELLED, 0);
        assertEquals(UsbTransferResult.Status.CANCELLED, f.reaped().get(1, TimeUnit.SECONDS).status());
    }

    @Test
    void waitingOnTheEventThread_failsAtOnce() throws Exception {
        TransferFutureImpl<Integer> f = future();
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().unstarted(() -> {
            try {
                f.join();
                seen.complete(null);
            } catch (Throwable e) {
                seen.complete(e);
            }
        });
        engine.eventThread = t;
        t.start();
        assertTrue(seen.get(2, TimeUnit.SECONDS) instanceof IllegalStateException);
    }

    /** A thread parked in {@code f.join()} once this returns; what join() threw (or null) goes to the result. */
    private static CompletableFuture<Throwable> parkedJoiner(TransferFutureImpl<?> f) {
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        Thread joiner = Thread.ofPlatform().start(() -> {
            try {
                f.join();
                seen.complete(null);
            } catch (Throwable e) {
                seen.complete(e);
            }
        });
        awaitParked(joiner);
        return seen;
    }

    @Test
    void aJoinerOfATransferThatFailsBeforeSubmission_onAnotherThread_isWoken() throws Exception {
        // a transfer queued behind another on its endpoint is refused (or dropped by a cancel) on
        // the thread that drains the queue, while its owner already waits in join()
        TransferFutureImpl<Integer> f = future();
        CompletableFuture<Throwable> seen = parkedJoiner(f);
        Thread.ofPlatform().start(() -> f.failSubmit(new IllegalStateException("refused"))).join(2000);
        Throwable e = seen.get(2, TimeUnit.SECONDS);
        assertTrue(e instanceof java.util.concurrent.CompletionException c && c.getCause() instanceof IllegalStateException,
                "the joiner saw " + e);
    }

    @Test
    void aJoinerOfAQueuedTransferCancelledOnAnotherThread_isWoken() throws Exception {
        TransferFutureImpl<Integer> f = future();
        CompletableFuture<Throwable> seen = parkedJoiner(f);
        f.droppedFromQueue = true; // what the endpoint's cancelling() does to a transfer still in its queue
        Thread.ofPlatform().start(() -> f.cancel(true)).join(2000);
        assertTrue(seen.get(2, TimeUnit.SECONDS) instanceof java.util.concurrent.CancellationException);
    }

    @Test
    void completeAsync_cancelsTheTransfer_andWakesTheJoiner() throws Exception {
        // CompletableFuture.completeAsync completes around complete(): no cancel, no wake-up
        TransferFutureImpl<Integer> f = future();
        CompletableFuture<Throwable> seen = parkedJoiner(f);
        f.completeAsync(() -> 7, Runnable::run);
        assertEquals(null, seen.get(2, TimeUnit.SECONDS));
        assertEquals(7, f.getNow(-1));
        assertTrue(f.transfer().cancelRequested(), "completeAsync left the transfer in flight");
    }

    @Test
    void twoCancelsOfAQueuedTransfer_recycleItsStructOnce() {
        // a timeout and cancel() racing on a transfer queued behind a cancel both fail it as never
        // submitted: its struct must reach the free list once, or two transfers would share it
        TransferEngine real = new TransferEngine(Arena.ofAuto());
        Transfer t = real.acquire();
        TransferFutureImpl<Integer> f = new TransferFutureImpl<>(real, t, (b, n) -> n, () -> "queued", null);
        f.failSubmit(new java.util.concurrent.CancellationException("one"));
        f.failSubmit(new java.util.concurrent.CancellationException("two"));
        real.recycle(t); // and a stray third recycle is refused too
        assertEquals(1, real.free());
        assertFalse(real.acquire() == real.acquire(), "one struct handed out twice");
    }

    @Test
    void timeoutsBeyondLibusbsRange_areRejectedAsArguments() {
        assertThrows(IllegalArgumentException.class, () -> EndpointImpl.timeoutMillis(Duration.ofSeconds(Long.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> EndpointImpl.timeoutMillis(Duration.ofMillis(-1)));
        assertEquals(1, EndpointImpl.timeoutMillis(Duration.ofNanos(1)));
    }
}
