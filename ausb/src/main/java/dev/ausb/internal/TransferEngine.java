package dev.ausb.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ausb.internal.libusb.LibUsb;
import dev.ausb.internal.libusb.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every transfer of one context: one upcall stub that libusb calls back for all of them, the
 * transfers indexed by the id in their {@code user_data}, a free list for reuse and the buffer pool.
 *
 * <p>All transfer types go through here, so they share one lifecycle: acquire, fill, submit, callback
 * on the event thread, recycle. The callback allocates nothing: it reads the transfer's pointer as
 * a {@code long}, finds the transfer by id, and tells its listener.
 */
class TransferEngine {
    private static final MethodHandle CALLBACK;
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    static {
        try {
            CALLBACK = MethodHandles.lookup().findVirtual(TransferEngine.class, "callback",
                    MethodType.methodType(void.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final MemorySegment callbackStub;
    final BufferPool buffers = new BufferPool();
    private volatile Transfer[] slots = new Transfer[64];
    private int created;
    private Transfer[] free = new Transfer[64];
    private int freeCount;
    /** Free isochronous structs (few: one per isochronous transfer or stream slot in flight at once). */
    private final List<Transfer> freeIso = new ArrayList<>();
    private final Object idle = new Object();
    private final java.util.concurrent.atomic.AtomicInteger idleWaiters = new java.util.concurrent.atomic.AtomicInteger();
    /** Set by {@link #freeAll}: the structs are gone, {@link #acquire} refuses. Guarded by this. */
    private boolean closed;
    /** The context's event thread, on which nothing may block (null for a detached engine). */
    volatile Thread eventThread;

    /** What {@link #submit} returns when the transfer was cancelled before it reached libusb. */
    static final int CANCELLED_BEFORE_SUBMIT = Integer.MIN_VALUE + 1;

    TransferEngine(Arena arena) {
        this.callbackStub = LibUsb.linker().upcallStub(CALLBACK.bindTo(this), Structs.TRANSFER_CB, arena);
    }

    private TransferEngine() {
        this.callbackStub = MemorySegment.NULL;
    }

    /** An engine without libusb, for measuring the Java side of completion (JMH); transfers are not pooled. */
    static TransferEngine detached() {
        return new TransferEngine() {
            @Override
            void recycle(Transfer t) {
                t.clear();
            }
        };
    }

    /** True on the context's event thread. */
    boolean onEventThread() {
        return Thread.currentThread() == eventThread;
    }

    /**
     * Fails at once when a call that waits for a transfer runs on the event thread: the transfer
     * could never complete, since completing it is that thread's work.
     */
    void checkMayBlock(String what) {
        if (Thread.currentThread() == eventThread) {
            throw new IllegalStateException(what + " would block the ausb event thread, which completes every transfer"
                    + " of its context: it would wait forever. Use a continuation (thenAccept...) instead, or"
                    + " complete on another executor (UsbContext.Builder.completionExecutor)");
        }
    }

    /** A transfer ready to fill; reused when one is free. */
    Transfer acquire() {
        return acquire(0);
    }

    /**
     * A transfer whose struct has room for {@code isoPackets} isochronous packet descriptors (0 for
     * other transfers); reused when one is free. Isochronous structs are pooled apart, by their
     * room, which is a power of two of at least 8 packets.
     */
    Transfer acquire(int isoPackets) {
        Transfer t;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("this UsbContext is closed");
            }
            t = isoPackets == 0 ? takeFree() : takeFreeIso(isoPackets);
            if (t != null) {
                t.onFreeList = false;
            } else {
                int room = isoPackets == 0 ? 0 : Math.max(8, Integer.highestOneBit(isoPackets - 1) << 1);
                MemorySegment s = LibUsb.allocTransfer(room);
                if (s.equals(MemorySegment.NULL)) {
                    throw new OutOfMemoryError("libusb_alloc_transfer failed");
                }
                t = new Transfer(created, s.reinterpret(Structs.TRANSFER.byteSize()
                        + room * Structs.ISO_PACKET_DESCRIPTOR.byteSize()), room);
                if (created == slots.length) {
                    slots = Arrays.copyOf(slots, created * 2);
                }
                Transfer[] s2 = slots;
                s2[created++] = t;
                slots = s2; // publish
            }
        }
        synchronized (t.guard) {
            t.generation++; // a cancel of the previous submission that is still running ends first
        }
        return t;
    }

    /** The last free non-isochronous struct, or null. Caller holds this. */
    private Transfer takeFree() {
        if (freeCount == 0) {
            return null;
        }
        Transfer t = free[--freeCount];
        free[freeCount] = null;
        return t;
    }

    /** The free isochronous struct with the least room for {@code packets}, or null. Caller holds this. */
    private Transfer takeFreeIso(int packets) {
        Transfer best = null;
        for (Transfer t : freeIso) {
            if (t.isoRoom >= packets && (best == null || t.isoRoom < best.isoRoom)) {
                best = t;
            }
        }
        if (best != null) {
            freeIso.remove(best);
        }
        return best;
    }

    /** A transfer kept by a stream as its slot {@code slot} on endpoint {@code ep}. */
    Transfer acquireFor(HandleImpl handle, EndpointImpl ep, Transfer.Listener listener, int slot, int isoPackets) {
        Transfer t = acquire(isoPackets);
        t.owner = handle;
        t.itf = ep.itf;
        t.endpoint = ep;
        t.listener = listener;
        t.slot = slot;
        return t;
    }

    /** Joins a thread, keeping an interrupt for the caller instead of giving up. */
    /** Waits for {@code latch} however often the thread is interrupted, and keeps the interrupt. */
    static void awaitUninterruptibly(java.util.concurrent.CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Submits a filled transfer; returns libusb's code, or {@link #CANCELLED_BEFORE_SUBMIT} when a
     * cancel came first. Under the transfer's guard, so a cancel either sees it in flight (and
     * reaches libusb) or is seen here.
     */
    int submit(Transfer t) {
        synchronized (t.guard) {
            if (t.cancelRequested()) {
                return CANCELLED_BEFORE_SUBMIT;
            }
            t.inFlight = true;
            int rc = LibUsb.submitTransfer(t.struct);
            if (rc < 0) {
                t.inFlight = false;
            }
            return rc;
        }
    }

    /** Gives the transfer back for reuse: its buffer to the pool (if pooled), itself to the free list. */
    void recycle(Transfer t) {
        synchronized (this) {
            if (t.onFreeList || t.inFlight) {
                // a second recycle (or one of a struct libusb still has) would hand the struct and its
                // buffer out twice: refuse, and say so, since it is a bug in the engine
                ContextImpl.LOG.log(System.Logger.Level.ERROR, "ausb: transfer " + t.id
                        + " recycled twice or while in flight; kept out of reuse");
                return;
            }
            t.onFreeList = true;
        }
        if (t.pooledBuffer && t.buffer != null) {
            buffers.release(t.buffer);
        }
        t.clear();
        synchronized (this) {
            if (t.isoRoom > 0) {
                freeIso.add(t);
            } else {
                if (freeCount == free.length) {
                    free = Arrays.copyOf(free, free.length * 2);
                }
                free[freeCount++] = t;
            }
        }
        if (idleWaiters.get() > 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** libusb's transfer callback, on the event thread; an upcall, so it never throws. */
    private void callback(long transfer) {
        try {
            int id = (int) ALL.get(JAVA_LONG, transfer + Structs.TRANSFER_USER_DATA);
            Transfer t = slots[id];
            if (t.listener == null) {
                ContextImpl.LOG.log(System.Logger.Level.ERROR, "ausb: a callback for transfer " + id + ", which has no owner");
                return;
            }
            int status = t.struct.get(JAVA_INT, Structs.TRANSFER_STATUS);
            int actual = t.struct.get(JAVA_INT, Structs.TRANSFER_ACTUAL_LENGTH);
            t.inFlight = false;
            int length = t.struct.get(JAVA_INT, Structs.TRANSFER_LENGTH);
            int packets = t.isoPackets();
            if (packets > 0) {
                // libusb leaves actual_length of an isochronous transfer to its packets
                long sum = 0;
                for (int i = 0; i < packets; i++) {
                    sum += t.isoCarried(i);
                }
                actual = (int) Math.min(sum, length);
            } else if (actual > length || actual < 0) {
                actual = Math.max(0, Math.min(actual, length)); // never trust a length beyond the buffer
            }
            // a generic error may be an unplug: HandleImpl.confirmGone decides, off this thread
            t.listener.onReaped(t, status, actual);
        } catch (Throwable e) {
            try {
                ContextImpl.LOG.log(System.Logger.Level.ERROR, "ausb transfer callback failed", e);
            } catch (Throwable ignored) {
                // nothing may escape an upcall
            }
        }
    }

    /** True if a transfer that {@code which} accepts is in flight now. */
    boolean anyInFlight(Predicate<Transfer> which) {
        Transfer[] all;
        int n;
        synchronized (this) {
            n = created;
            all = slots;
        }
        for (int i = 0; i < Math.min(n, all.length); i++) {
            Transfer t = all[i];
            if (t != null && t.inFlight && which.test(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Cancels every in-flight transfer that {@code which} selects and waits until libusb has handed
     * them all back. Must not run on the event thread.
     */
    void cancelAndAwait(Predicate<Transfer> which) {
        idleWaiters.incrementAndGet();
        try {
            boolean interrupted = false;
            while (true) {
                boolean any = false;
                Transfer[] all;
                int n;
                synchronized (this) {
                    n = created; // read together: the table may grow right after
                    all = slots;
                }
                for (int i = 0; i < Math.min(n, all.length); i++) {
                    Transfer t = all[i];
                    if (t == null) {
                        continue;
                    }
                    int gen = t.generation; // first: a recycled struct then fails the cancel's generation check
                    if (t.inFlight && which.test(t)) {
                        any = true;
                        t.cancel(gen);
                    }
                }
                if (!any) {
                    break;
                }
                synchronized (idle) {
                    try {
                        idle.wait(50);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            idleWaiters.decrementAndGet();
        }
    }

    /** Transfer structs allocated so far. */
    synchronized int created() {
        return created;
    }

    /** Transfer structs on the free list. */
    synchronized int free() {
        return freeCount + freeIso.size();
    }

    /** Frees every libusb transfer and pooled buffer; only after the event thread has stopped. Later acquires fail. */
    synchronized void freeAll() {
        closed = true;
        for (int i = 0; i < created; i++) {
            LibUsb.freeTransfer(slots[i].struct);
        }
        java.util.Arrays.fill(free, null);
        freeCount = 0;
        freeIso.clear();
        buffers.close();
    }

    /** Transfers in flight now (for tests and leak checks). */
    int inFlightCount() {
        Transfer[] all;
        int n;
        synchronized (this) {
            n = created;
            all = slots;
        }
        int k = 0;
        for (int i = 0; i < Math.min(n, all.length); i++) {
            if (all[i] != null && all[i].inFlight) {
                k++;
            }
        }
        return k;
    }
}
