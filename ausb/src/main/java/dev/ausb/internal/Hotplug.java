package dev.ausb.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbHotplugEvent;
import dev.ausb.UsbHotplugEvent.Kind;
import dev.ausb.UsbHotplugSubscription;
import dev.ausb.internal.libusb.LibUsb;
import dev.ausb.internal.libusb.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A context's hotplug events: one libusb hotplug callback (registered at the first subscription),
 * whose upcall on the event thread only takes a reference to the device and queues the event; a
 * dispatcher (one virtual thread at a time, in queue order) updates the context's devices and hands
 * each event to the subscriptions whose filter it matches, each delivering on a virtual thread of
 * its own, in order. Where libusb has no hotplug support, a poller diffs the device list instead.
 *
 * <p>A subscription that asked for the devices already there gets them from the dispatcher, when
 * it processes the subscription, so no event falls between that list and the live events; each
 * subscription remembers what it announced, so a device is announced once and its leave is told
 * to whoever heard of its arrival, whatever the filter says of it by then. Filters run on the
 * dispatcher: one that does I/O (a serial number) delays the events of every subscription a little.
 */
final class Hotplug {
    /** How often the fallback poller lists devices. */
    static final long POLL_MILLIS = 500;

    private final ContextImpl context;
    private final boolean native_;
    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean dispatching = new AtomicBoolean();
    private final List<Sub> subs = new CopyOnWriteArrayList<>();
    private boolean started; // guarded by this
    private MemorySegment stub; // the upcall, made once; guarded by this
    private volatile boolean closed;
    private Thread poller;

    /** One event for the dispatcher: a libusb device (referenced) that arrived or left, a polled one, or a new subscription. */
    private record Message(Kind kind, MemorySegment pointer, DeviceImpl device, Sub sub) {}

    Hotplug(ContextImpl context) {
        this.context = context;
        this.native_ = LibUsb.hasCapability(Structs.CAP_HAS_HOTPLUG) && !Boolean.getBoolean("ausb.hotplug.poll");
    }

    boolean hasHotplug() {
        return native_;
    }

    // ---- subscriptions ---------------------------------------------------------------------

    UsbHotplugSubscription watch(UsbDeviceFilter filter, boolean existingFirst, Consumer<? super UsbHotplugEvent> listener) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(listener, "listener");
        Sub s = new Sub(filter, existingFirst, listener, null);
        subscribe(s);
        return s;
    }

    Flow.Publisher<UsbHotplugEvent> publisher(UsbDeviceFilter filter, boolean existingFirst) {
        Objects.requireNonNull(filter, "filter");
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            Sub s = new Sub(filter, existingFirst, null, subscriber);
            try {
                context.checkOpen();
            } catch (IllegalStateException closedAlready) {
                subscriber.onSubscribe(s);
                s.fail(closedAlready);
                return;
            }
            subscriber.onSubscribe(s);
            try {
                subscribe(s);
            } catch (RuntimeException e) { // the context closed meanwhile, or libusb refused the callback
                s.fail(e);
            }
        };
    }

    dev.ausb.UsbFuture<UsbDevice> await(UsbDeviceFilter filter, Duration timeout) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a wait for a device needs a positive timeout, not " + timeout);
        }
        long ms;
        try {
            ms = Math.max(1, timeout.toMillis());
        } catch (ArithmeticException huge) {
            ms = Long.MAX_VALUE;
        }
        DeviceWait<UsbDevice> f = new DeviceWait<>(context);
        Sub s = new Sub(filter, true, e -> {
            if (e.kind() == Kind.ARRIVED) {
                f.complete(e.device().orElseThrow());
            }
        }, null);
        s.onEnd = () -> f.completeExceptionally(new IllegalStateException("the UsbContext was closed"));
        subscribe(s);
        // the timeout fails the wait with an unchecked UsbTimeoutException (await() throws it as it
        // is); the timer's stage is completed when the wait ends, which cancels the JDK's timeout task
        CompletableFuture<Void> timer = new CompletableFuture<Void>().orTimeout(ms, TimeUnit.MILLISECONDS);
        timer.whenComplete((v, e) -> {
            if (e instanceof java.util.concurrent.TimeoutException) {
                f.completeExceptionally(new dev.ausb.UsbTimeoutException("no device matching " + filter
                        + " was attached within " + timeout, Errors.ERROR_TIMEOUT,
                        Errors.errorName(Errors.ERROR_TIMEOUT), 0, null));
            }
        });
        // cancel(), not close(): this may run on the JDK's timeout thread, which must not wait for a delivery
        f.whenComplete((d, e) -> {
            s.cancel();
            timer.complete(null);
        });
        return f;
    }

    /**
     * The future of a wait for a device, and of each stage derived from it: waiting for one on the
     * event thread, which delivers the hotplug events that would complete it, fails at once instead
     * of hanging until the timeout.
     */
    private static final class DeviceWait<U> extends dev.ausb.UsbFuture<U> {
        private final ContextImpl context;

        DeviceWait(ContextImpl context) {
            this.context = context;
        }

        private void checkMayBlock() {
            if (!isDone() && context.isEventThread()) {
                throw new IllegalStateException("waiting for a device on the UsbContext's event thread, which"
                        + " delivers the hotplug events the wait needs: wait on another thread, or chain a stage");
            }
        }

        @Override
        public <V> CompletableFuture<V> newIncompleteFuture() {
            return new DeviceWait<>(context);
        }

        @Override
        public U join() {
            checkMayBlock();
            return super.join();
        }

        @Override
        public U get() throws InterruptedException, java.util.concurrent.ExecutionException {
            checkMayBlock();
            return super.get();
        }

        @Override
        public U get(long timeout, TimeUnit unit) throws InterruptedException,
                java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
            checkMayBlock();
            return super.get(timeout, unit);
        }
    }

    private void subscribe(Sub s) {
        context.withOpen(() -> {
            start();
            return null;
        });
        queue.add(new Message(null, null, null, s));
        dispatch();
    }

    /** Registers the libusb callback (or starts the poller) once. Under the context's read lock. */
    private synchronized void start() {
        if (started) {
            return;
        }
        if (native_) {
            try (Arena a = Arena.ofConfined()) {
                if (stub == null) { // a registration that failed is tried again with the same stub
                    stub = LibUsb.linker().upcallStub(MethodHandles.lookup().bind(this, "onHotplug",
                            MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, int.class,
                                    MemorySegment.class)), Structs.HOTPLUG_CB, context.arena());
                }
                MemorySegment handle = a.allocate(JAVA_INT);
                Errors.check(LibUsb.hotplugRegister(context.ctx(), Structs.HOTPLUG_EVENT_DEVICE_ARRIVED
                        | Structs.HOTPLUG_EVENT_DEVICE_LEFT, stub, handle), "libusb_hotplug_register_callback");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        } else {
            // what is there now is not news: a subscription that asked for it gets it from its snapshot
            Set<DeviceImpl> now = new HashSet<>();
            for (UsbDevice d : context.devices()) {
                now.add((DeviceImpl) d);
            }
            poller = Thread.ofVirtual().name("ausb-hotplug-poll").start(() -> poll(now));
        }
        started = true;
    }

    /** libusb's hotplug callback, on the event thread: a reference and a queued message, nothing more. */
    private int onHotplug(MemorySegment ctx, MemorySegment device, int event, MemorySegment userData) {
        try {
            if (!closed) {
                // libusb documents only libusb_get_device_descriptor as safe in a LEFT callback; taking a
                // reference is an atomic increment on a device libusb itself holds for the callback
                queue.add(new Message(event == Structs.HOTPLUG_EVENT_DEVICE_ARRIVED ? Kind.ARRIVED : Kind.LEFT,
                        LibUsb.refDevice(device), null, null));
                dispatch();
            }
        } catch (Throwable t) {
            // nothing may escape an upcall: the event is lost (no memory), and said so
            try {
                ContextImpl.LOG.log(System.Logger.Level.ERROR, "ausb: a hotplug event was lost", t);
            } catch (Throwable ignored) {
                // not even that
            }
        }
        return 0; // stay registered
    }

    /** The fallback: lists devices every {@link #POLL_MILLIS} and reports the difference. */
    private void poll(Set<DeviceImpl> initial) {
        Set<DeviceImpl> known = initial;
        while (!closed) {
            try {
                Set<DeviceImpl> now = new HashSet<>();
                for (UsbDevice d : context.devices()) {
                    now.add((DeviceImpl) d);
                }
                for (DeviceImpl d : now) {
                    if (!known.contains(d)) {
                        queue.add(new Message(Kind.ARRIVED, null, d, null));
                    }
                }
                for (DeviceImpl d : known) {
                    if (!now.contains(d)) {
                        queue.add(new Message(Kind.LEFT, null, d, null));
                    }
                }
                known = now;
                dispatch();
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException | IllegalStateException closing) {
                return;
            } catch (Throwable t) {
                failAll(t); // and try again after the pause
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    // ---- the dispatcher ----------------------------------------------------------------------

    private void dispatch() {
        if (dispatching.compareAndSet(false, true)) {
            try {
                Thread.ofVirtual().name("ausb-hotplug").start(this::drain);
            } catch (Throwable e) {
                dispatching.set(false); // the next event tries again
            }
        }
    }

    private void drain() {
        while (true) {
            Message m;
            while ((m = queue.poll()) != null) {
                try {
                    process(m);
                } catch (Throwable t) {
                    failAll(t);
                }
            }
            dispatching.set(false);
            if (queue.isEmpty() || !dispatching.compareAndSet(false, true)) {
                return; // a message queued meanwhile found nobody draining and started one, or there is none
            }
        }
    }

    private void process(Message m) {
        if (m.sub() != null) {
            if (closed) {
                m.sub().end();
                return;
            }
            if (m.sub().closed.get()) {
                return;
            }
            subs.add(m.sub());
            if (closed) { // close() ran its end loop meanwhile
                m.sub().end();
                return;
            }
            List<UsbDevice> now;
            try {
                now = context.devices();
            } catch (IllegalStateException contextClosed) {
                return;
            } catch (RuntimeException listFailed) {
                if (m.sub().existingFirst) {
                    throw listFailed;
                }
                return; // only the strings of the devices already there go unkept: nothing to tell
            }
            for (UsbDevice d : now) {
                if (m.sub().existingFirst) {
                    m.sub().offer(Kind.ARRIVED, (DeviceImpl) d);
                } else {
                    // nothing told; the strings the kernel has are kept (sysfs only, no device I/O), so
                    // that a leave can still be matched on a serial number once the device has gone
                    ((DeviceImpl) d).sysfsStrings();
                }
            }
            return;
        }
        DeviceImpl d = m.device();
        if (m.pointer() != null) {
            try {
                d = m.kind() == Kind.ARRIVED ? context.deviceArrived(m.pointer()) : context.deviceLeft(m.pointer());
            } catch (IllegalStateException contextClosed) {
                return;
            } finally {
                context.unrefIfOpen(m.pointer());
            }
        } else if (m.kind() == Kind.LEFT) {
            d.markLeft();
        }
        if (d == null) {
            return; // a device that left before anyone saw it
        }
        for (Sub s : subs) {
            s.offer(m.kind(), d);
        }
    }

    private void failAll(Throwable t) {
        for (Sub s : subs) {
            s.deliver(UsbHotplugEvent.failed(t, java.util.Optional.empty()));
        }
    }

    /**
     * The context is closing (its event thread has stopped): no more events, publishers complete,
     * and the references queued events hold are given back before libusb_exit. Waits (at most 2 s)
     * for the dispatcher to finish the event it is on.
     */
    void close() {
        closed = true;
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (dispatching.get() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        Thread p;
        synchronized (this) {
            p = poller;
        }
        if (p != null) {
            p.interrupt();
        }
        for (Sub s : subs) {
            s.end();
        }
        Message m;
        while ((m = queue.poll()) != null) {
            if (m.pointer() != null) {
                LibUsb.unrefDevice(m.pointer()); // before libusb_exit
            }
            if (m.sub() != null) {
                m.sub().end(); // never processed: it ends as the others do
            }
        }
    }

    // ---- one subscription --------------------------------------------------------------------

    /** A listener's or a subscriber's subscription: its filter, what it announced, its own ordered delivery. */
    private final class Sub implements UsbHotplugSubscription, Flow.Subscription {
        final UsbDeviceFilter filter;
        final boolean existingFirst;
        final Consumer<? super UsbHotplugEvent> listener;
        final Flow.Subscriber<? super UsbHotplugEvent> subscriber;
        final AtomicBoolean closed = new AtomicBoolean();
        private final Set<DeviceImpl> announced = new HashSet<>(); // the dispatcher's only
        private final ConcurrentLinkedQueue<UsbHotplugEvent> pending = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean delivering = new AtomicBoolean();
        private final AtomicLong demand = new AtomicLong();
        private volatile boolean completing;
        private volatile Throwable failing; // request(n <= 0): signalled by the deliverer, after any onNext
        private volatile Thread deliverer;
        /** Run once when the context's close ends the subscription (an awaitDevice future fails). */
        volatile Runnable onEnd;

        Sub(UsbDeviceFilter filter, boolean existingFirst, Consumer<? super UsbHotplugEvent> listener,
                Flow.Subscriber<? super UsbHotplugEvent> subscriber) {
            this.filter = filter;
            this.existingFirst = existingFirst;
            this.listener = listener;
            this.subscriber = subscriber;
        }

        /**
         * On the dispatcher: an arrival is told once; a leave to whoever heard of the arrival, or whom
         * the filter matches (with the strings the device kept while it was there).
         */
        void offer(Kind kind, DeviceImpl d) {
            if (closed.get()) {
                return;
            }
            boolean heard = kind == Kind.LEFT ? announced.remove(d) : announced.contains(d);
            if (kind == Kind.ARRIVED && (heard || !d.isAttached())) {
                return; // told already, or gone again before its arrival was processed
            }
            if (kind == Kind.LEFT && !heard && existingFirst) {
                return; // it heard of every matching device that was there: this one it never saw
            }
            if (!heard) {
                boolean match;
                try {
                    match = filter.test(d);
                } catch (RuntimeException e) { // a serial-number criterion whose read failed, say
                    deliver(UsbHotplugEvent.failed(e, java.util.Optional.empty()));
                    return;
                }
                if (!match) {
                    return;
                }
            }
            if (kind == Kind.ARRIVED) {
                announced.add(d);
            }
            deliver(UsbHotplugEvent.of(kind, d));
        }

        void deliver(UsbHotplugEvent e) {
            if (closed.get() || completing) {
                return; // ended: nothing more before onComplete
            }
            pending.add(e);
            schedule();
        }

        private void schedule() {
            if ((listener != null || demand.get() > 0 || completing || failing != null)
                    && delivering.compareAndSet(false, true)) {
                try {
                    Thread.ofVirtual().name("ausb-hotplug-delivery").start(this::run);
                } catch (Throwable t) {
                    delivering.set(false);
                }
            }
        }

        private void run() {
            deliverer = Thread.currentThread();
            try {
                while (true) {
                    while (!closed.get() && failing == null && (listener != null || demand.get() > 0)) {
                        UsbHotplugEvent e = pending.poll();
                        if (e == null) {
                            break;
                        }
                        try {
                            if (listener != null) {
                                listener.accept(e);
                            } else {
                                demand.decrementAndGet();
                                subscriber.onNext(e);
                            }
                        } catch (Throwable t) {
                            ContextImpl.LOG.log(System.Logger.Level.WARNING, "ausb: a hotplug listener threw", t);
                        }
                    }
                    if (subscriber != null && (failing != null || completing) && closed.compareAndSet(false, true)) {
                        subs.remove(this);
                        if (failing != null) {
                            subscriber.onError(failing);
                        } else {
                            subscriber.onComplete();
                        }
                    }
                    delivering.set(false);
                    // whatever came while this thread was leaving: events it has demand for, or the end
                    boolean more = !closed.get() && ((completing || failing != null) && subscriber != null
                            || !pending.isEmpty() && (listener != null || demand.get() > 0));
                    if (!more || !delivering.compareAndSet(false, true)) {
                        return;
                    }
                }
            } finally {
                deliverer = null;
            }
        }

        /** The context closed: a subscriber completes (events not yet delivered are dropped), a listener just stops. */
        void end() {
            Runnable r = onEnd;
            if (r != null) {
                onEnd = null;
                r.run();
            }
            if (subscriber == null) {
                closed.set(true);
                return;
            }
            completing = true;
            pending.clear();
            schedule();
        }

        /** A subscriber whose context was closed before it subscribed. */
        void fail(Throwable t) {
            if (closed.compareAndSet(false, true)) {
                subscriber.onError(t);
            }
        }

        @Override
        public boolean isOpen() {
            return !closed.get();
        }

        /**
         * Stops the events. From another thread (not the event thread), it waits at most a second
         * for an event being delivered to finish, so none is delivered after it returns.
         */
        @Override
        public void close() {
            closed.set(true);
            subs.remove(this);
            Thread t = deliverer;
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (t != null && t != Thread.currentThread() && !context.onEventThread() && deliverer == t
                    && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
            }
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                if (failing == null) {
                    failing = new IllegalArgumentException("a request must be positive, not " + n + " (rule 3.9)");
                }
                schedule();
                return;
            }
            demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            schedule();
        }

        @Override
        public void cancel() {
            closed.set(true);
            subs.remove(this);
        }
    }
}
