package dev.ausb.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbLibraryMissingException;
import dev.ausb.UsbUnavailableException;
import dev.ausb.internal.libusb.LibUsb;
import dev.ausb.internal.libusb.LibUsbLoader;
import dev.ausb.internal.libusb.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The implementation of {@link UsbContext}: one libusb context, one event thread, the cache of
 * enumerated devices and the set of open handles.
 *
 * <p>Lifecycle: every call into libusb on behalf of the context runs under the read side of
 * {@link #lifecycle}; {@link #close()} marks the context closed, closes the handles (which wait
 * for their transfers), stops the event thread and only then, under the write side, calls
 * {@code libusb_exit} and frees native memory. So nothing can touch freed libusb state.
 */
public final class ContextImpl implements UsbContext {
    static final System.Logger LOG = System.getLogger("dev.ausb");
    static final System.Logger LIBUSB_LOG = System.getLogger("dev.ausb.libusb");
    private static final java.util.concurrent.ThreadFactory COMPLETION_THREADS =
            Thread.ofVirtual().name("ausb-completion-", 0).factory();
    /** The default completion executor: a new virtual thread per completion. */
    static final Executor VIRTUAL_PER_TASK = r -> COMPLETION_THREADS.newThread(r).start();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment ctx;
    private final String version;
    private final Thread eventThread;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Object deviceLock = new Object();
    private final Map<Long, DeviceImpl> devices = new HashMap<>(); // by libusb_device pointer; guarded by deviceLock
    /**
     * Devices that left and were dropped, by pointer, until their hotplug LEFT event (or a new device
     * at that address) comes: that event then finds the object its subscribers heard arrive. At most
     * {@link #TOMBSTONES}, oldest first out. Guarded by deviceLock.
     */
    private final java.util.LinkedHashMap<Long, DeviceImpl> tombstones = new java.util.LinkedHashMap<>();
    private static final int TOMBSTONES = 64;
    /** The clock of device lists and new device objects (see {@link DeviceImpl#born}). Guarded by deviceLock. */
    private long clock;

    /** The device clock now: a device object made after this call has a larger {@link DeviceImpl#born}. */
    long deviceClock() {
        synchronized (deviceLock) {
            return clock;
        }
    }
    private final Set<HandleImpl> handles = ConcurrentHashMap.newKeySet();
    private final Executor completionExecutor; // null: complete on the event thread
    private final TransferEngine engine;
    private final Hotplug hotplug;
    private volatile boolean closed;
    /** Set under the write lock just before libusb_exit. */
    private boolean exited;
    private volatile boolean stopping;

    private ContextImpl(MemorySegment ctx, String version, System.Logger.Level level, Executor executor,
            boolean onEventThread, String threadName) {
        this.ctx = ctx;
        this.version = version;
        this.completionExecutor = onEventThread ? null
                : executor != null ? executor : VIRTUAL_PER_TASK;
        installLogging(level);
        this.engine = new TransferEngine(arena);
        this.hotplug = new Hotplug(this);
        this.eventThread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::runEvents);
        this.engine.eventThread = eventThread;
        this.eventThread.start();
    }

    /** Loads libusb, initialises a context and starts its event thread. */
    public static ContextImpl create(System.Logger.Level level, Executor executor, boolean onEventThread,
            String threadName, boolean deviceMemory) {
        try {
            LibUsbLoader.lookup();
        } catch (LibUsbLoader.LibraryMissingException e) {
            throw new UsbLibraryMissingException(e.getMessage(), 0, null, 0, e);
        }
        if (LinuxSysfs.LINUX && !LinuxSysfs.hasUsbfs()) {
            // libusb >= 1.0.24 initialises without usbfs and then lists nothing; say why instead
            throw new UsbUnavailableException("no USB on this machine: the kernel offers no usbfs "
                    + "(/dev/bus/usb is missing; a container or VM without USB devices?)", 0, null, 0, null);
        }
        MemorySegment ctx;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            int rc = LibUsb.hasInitContext() ? LibUsb.initContext(out, MemorySegment.NULL, 0) : LibUsb.init(out);
            if (rc < 0) {
                throw Errors.of(rc, "libusb_init", null);
            }
            ctx = out.get(ADDRESS, 0);
        }
        String version = versionOfLibusb();
        ContextImpl c = new ContextImpl(ctx, version, level, executor, onEventThread, threadName);
        c.deviceMemory = deviceMemory;
        return c;
    }

    /**
     * Whether handler streams take usbfs device memory for their buffers (UsbContext.Builder's
     * deviceMemory); written once, before the context is handed out.
     */
    private volatile boolean deviceMemory;

    boolean deviceMemory() {
        return deviceMemory;
    }

    /** The loaded libusb's version ({@code libusb_get_version} needs no context). */
    private static String versionOfLibusb() {
        MemorySegment v = LibUsb.getVersion();
        String version = (v.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 0) & 0xffff) + "."
                + (v.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 2) & 0xffff) + "."
                + (v.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 4) & 0xffff) + "."
                + (v.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 6) & 0xffff);
        String rcTag = Structs.cString(v.get(ADDRESS, Structs.offset(Structs.VERSION, "rc")));
        if (rcTag != null && !rcTag.isEmpty()) {
            version += rcTag;
        }
        return version;
    }

    /**
     * The version of the libusb this JVM loads, without a context: on a machine without USB too.
     *
     * @return the version, such as {@code 1.0.26.11724}
     * @throws UsbLibraryMissingException if libusb-1.0 cannot be loaded
     */
    public static String loadedLibusbVersion() {
        try {
            LibUsbLoader.lookup();
            return versionOfLibusb();
        } catch (LibUsbLoader.LibraryMissingException e) {
            throw new UsbLibraryMissingException(e.getMessage(), 0, null, 0, e);
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            // the binding's static initialiser refused this libusb (a function missing: older than 1.0.21)
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UsbLibraryMissingException("libusb-1.0 was found but cannot be used: " + cause.getMessage(), 0,
                    null, 0, e);
        }
    }

    // ---- logging -----------------------------------------------------------------------------

    private void installLogging(System.Logger.Level requested) {
        System.Logger.Level level = requested != null ? requested : defaultLogLevel();
        int libusbLevel = switch (level) {
            case OFF -> 0;
            case ERROR -> 1;
            case WARNING -> 2;
            case INFO -> 3;
            case ALL, TRACE, DEBUG -> 4;
        };
        installGlobalLogHandler();
        LibUsb.setOption(ctx, Structs.OPTION_LOG_LEVEL, libusbLevel);
    }

    /**
     * Routes libusb's messages to {@code System.Logger} once each. libusb writes every message to
     * the global handler, or to stderr when there is none, and then also to the context's
     * handler: so ausb sets only the global one (process-wide, its stub never freed), which keeps
     * libusb off stderr. Each context's level still filters what libusb formats.
     */
    private static void installGlobalLogHandler() {
        synchronized (ContextImpl.class) {
            if (globalLogStub != null || !LibUsb.hasLogCallback()) {
                return;
            }
            try {
                MethodHandle target = MethodHandles.lookup().findStatic(ContextImpl.class, "logCallback",
                        MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class));
                globalLogStub = LibUsb.linker().upcallStub(target, Structs.LOG_CB, Arena.global());
                LibUsb.setLogCallback(MemorySegment.NULL, globalLogStub, Structs.LOG_CB_GLOBAL);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static MemorySegment globalLogStub;

    /**
     * libusb's warnings that are expected under load and harmless: a cancel that crossed the
     * transfer's completion ("async cancel failed -5", LIBUSB_ERROR_NOT_FOUND), udev events other
     * than add and remove (bind, unbind, change), which libusb 1.0.26 reports as errors, and a
     * device node that is not there (yet, or any more) when a handle opens. Logged at DEBUG.
     */
    static boolean benign(String msg) {
        return msg.contains("async cancel failed -5") || msg.contains("cancel transfer failed error -5")
                || msg.contains("ignoring udev action ") // libusb 1.0.26 logs every bind, unbind and change as an error
                // a device node udev has not made yet (a device just plugged), or one of a device just
                // unplugged: libusb retries, and a failed open is the caller's exception anyway
                || msg.contains("File doesn't exist, wait 10 ms and try again")
                || msg.contains("couldn't open USB device") && msg.contains("errno=2");
    }

    static System.Logger.Level defaultLogLevel() {
        String p = System.getProperty("ausb.libusb.log");
        if (p != null) {
            try {
                return System.Logger.Level.valueOf(p.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "ignoring -Dausb.libusb.log=" + p
                        + ": use OFF, ERROR, WARNING, INFO or DEBUG");
            }
        }
        return System.Logger.Level.WARNING;
    }

    /** libusb's log callback; an upcall, so it must never throw. */
    private static void logCallback(MemorySegment ctx, int level, MemorySegment str) {
        // libusb reads errno after it logs (to tell EACCES from other failures): keep it as it was.
        // First thing in the upcall; HandleImpl.open also checks the device node, should the JVM's own
        // transitions into and out of this upcall have touched errno anyway.
        MemorySegment errno = null;
        int savedErrno = 0;
        int savedLastError = -1; // Windows' GetLastError, which its backends read after logging too
        try {
            savedLastError = LibUsb.lastError();
            errno = LibUsb.errno();
            savedErrno = errno == null ? 0 : errno.get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
            String msg = Structs.cString(str);
            if (msg == null) {
                return;
            }
            System.Logger.Level l = switch (level) {
                case 1 -> System.Logger.Level.ERROR;
                case 2 -> System.Logger.Level.WARNING;
                case 3 -> System.Logger.Level.INFO;
                default -> System.Logger.Level.DEBUG;
            };
            if (l.getSeverity() > System.Logger.Level.DEBUG.getSeverity() && benign(msg)) {
                l = System.Logger.Level.DEBUG;
            }
            if (LIBUSB_LOG.isLoggable(l)) {
                LIBUSB_LOG.log(l, msg.strip());
            }
        } catch (Throwable t) {
            // an exception escaping an upcall kills the JVM: swallow
        } finally {
            if (errno != null) {
                errno.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, savedErrno);
            }
            LibUsb.restoreLastError(savedLastError);
        }
    }

    // ---- the event thread --------------------------------------------------------------------

    /**
     * The event loop. It ends only when the context closes: a failure of libusb, an exception or an
     * error thrown by code running here, or a stray interrupt is logged (a few times) and the loop
     * goes on, since every transfer of the context depends on it.
     */
    private void runEvents() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tv = a.allocate(Structs.TIMEVAL);
            Structs.setTimeval(tv, 2, 0);
            int failures = 0;
            int unexpected = 0;
            while (!stopping) {
                try {
                    int rc = LibUsb.handleEventsTimeoutCompleted(ctx, tv, MemorySegment.NULL);
                    Thread.interrupted(); // a continuation's stray interrupt must not reach the pause below
                    if (rc < 0 && rc != Errors.ERROR_INTERRUPTED) {
                        if (++failures <= 3) {
                            LOG.log(System.Logger.Level.WARNING, "libusb_handle_events failed: " + Errors.errorName(rc));
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
                    } else {
                        failures = 0;
                    }
                } catch (Throwable t) {
                    try {
                        if (++unexpected <= 3) {
                            LOG.log(System.Logger.Level.ERROR, "ausb event thread: unexpected error (it goes on)", t);
                        }
                    } catch (Throwable ignored) {
                        // not even logging works (out of memory): go on anyway
                    }
                }
            }
        }
    }

    /** True on this context's event thread. */
    boolean onEventThread() {
        return Thread.currentThread() == eventThread;
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /** Runs a native operation while the context is open. */
    <T> T withOpen(Supplier<T> op) {
        ReentrantReadWriteLock.ReadLock r = lifecycle.readLock();
        r.lock();
        try {
            checkOpen();
            return op.get();
        } finally {
            r.unlock();
        }
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this UsbContext is closed");
        }
    }

    MemorySegment ctx() {
        return ctx;
    }

    /** The executor completions run on, or {@code null} for the event thread. */
    Executor completionExecutor() {
        return completionExecutor;
    }

    @Override
    public boolean isEventThread() {
        return engine.onEventThread();
    }

    TransferEngine engine() {
        return engine;
    }

    void register(HandleImpl h) {
        handles.add(h);
    }

    void unregister(HandleImpl h) {
        handles.remove(h);
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public String libusbVersion() {
        checkOpen();
        return version;
    }

    @Override
    public void close() {
        boolean first;
        ReentrantReadWriteLock.WriteLock w = lifecycle.writeLock();
        w.lock(); // an open() or lookup in progress ends first, so its handle is in the set below
        try {
            first = !closed;
            closed = true;
        } finally {
            w.unlock();
        }
        boolean noWait = onEventThread() || handles.stream().anyMatch(HandleImpl::mustNotWait);
        if (!first) {
            if (!noWait) {
                awaitClosed(); // a second close returns when the first is done
            }
            return;
        }
        if (noWait) {
            // the event thread, or a stream's handler: the handles need events, or the handler's return
            Thread.ofPlatform().daemon(true).name("ausb-close").start(this::finishClose);
        } else {
            finishClose();
        }
    }

    private final java.util.concurrent.CountDownLatch closeDone = new java.util.concurrent.CountDownLatch(1);

    private void awaitClosed() {
        TransferEngine.awaitUninterruptibly(closeDone);
    }

    private void finishClose() {
        try {
            closeAll();
        } finally {
            closeDone.countDown();
        }
    }

    private void closeAll() {
        for (HandleImpl h : List.copyOf(handles)) {
            h.close();
            h.awaitClose(); // its close may have gone to a helper thread
        }
        stopping = true;
        LibUsb.interruptEventHandler(ctx);
        TransferEngine.joinUninterruptibly(eventThread);
        hotplug.close(); // no more upcalls: the event thread has stopped
        ReentrantReadWriteLock.WriteLock w = lifecycle.writeLock();
        w.lock();
        try {
            exited = true;
            engine.freeAll();
            synchronized (deviceLock) {
                for (DeviceImpl d : devices.values()) {
                    d.dropAtExit();
                }
                devices.clear();
                tombstones.clear(); // dropped already
            }
            LibUsb.exit(ctx);
            arena.close();
        } finally {
            w.unlock();
        }
    }

    // ---- enumeration -------------------------------------------------------------------------

    @Override
    public List<UsbDevice> devices() {
        return withOpen(this::enumerate);
    }

    private List<UsbDevice> enumerate() {
        long listTakenAt;
        synchronized (deviceLock) {
            listTakenAt = ++clock; // a device made after this instant may be missing from the list, not gone
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            long n = LibUsb.getDeviceList(ctx, out);
            if (n < 0) {
                throw Errors.of((int) n, "libusb_get_device_list", null);
            }
            MemorySegment list = out.get(ADDRESS, 0).reinterpret((n + 1) * ADDRESS.byteSize());
            try {
                List<UsbDevice> result = new ArrayList<>((int) n);
                synchronized (deviceLock) {
                    Set<Long> present = new HashSet<>();
                    List<DeviceImpl> fresh = new ArrayList<>();
                    for (long i = 0; i < n; i++) {
                        MemorySegment p = list.getAtIndex(ADDRESS, i);
                        present.add(p.address());
                        DeviceImpl d = devices.get(p.address());
                        if (d == null) {
                            d = DeviceImpl.read(this, p);
                            d.born = ++clock;
                            devices.put(p.address(), d);
                            tombstones.remove(p.address()); // a new device at the address of one that left
                            fresh.add(d);
                        }
                        result.add(d);
                    }
                    for (DeviceImpl d : fresh) {
                        MemorySegment parent = LibUsb.getParent(d.pointer());
                        if (!parent.equals(MemorySegment.NULL)) {
                            d.setParent(devices.get(parent.address()));
                        }
                    }
                    for (var it = devices.entrySet().iterator(); it.hasNext();) {
                        var e = it.next();
                        DeviceImpl d = e.getValue();
                        if (present.contains(e.getKey())) {
                            d.setAttached(true);
                        } else if (d.born < listTakenAt) {
                            d.setAttached(false); // it was there before the list was taken, and the list lacks it
                        }
                        if (d.dropIfUnused()) {
                            it.remove(); // gone and not open: no unbounded growth over plug cycles
                            tombstone(e.getKey(), d);
                        }
                    }
                }
                return List.copyOf(result);
            } finally {
                LibUsb.freeDeviceList(list, true);
            }
        }
    }

    // ---- hotplug -------------------------------------------------------------------------------

    @Override
    public dev.ausb.UsbHotplugSubscription watch(dev.ausb.UsbDeviceFilter filter, boolean existingFirst,
            java.util.function.Consumer<? super dev.ausb.UsbHotplugEvent> listener) {
        checkOpen();
        return hotplug.watch(filter, existingFirst, listener);
    }

    @Override
    public java.util.concurrent.Flow.Publisher<dev.ausb.UsbHotplugEvent> hotplugEvents(dev.ausb.UsbDeviceFilter filter,
            boolean existingFirst) {
        return hotplug.publisher(filter, existingFirst);
    }

    @Override
    public dev.ausb.UsbFuture<UsbDevice> awaitDevice(dev.ausb.UsbDeviceFilter filter,
            java.time.Duration timeout) {
        checkOpen();
        return hotplug.await(filter, timeout);
    }

    @Override
    public boolean hasHotplug() {
        return hotplug.hasHotplug();
    }

    /** The context's arena (upcall stubs that live as long as it). */
    Arena arena() {
        return arena;
    }

    /** Remembers a dropped device until its LEFT event (none if that came already). Caller holds deviceLock. */
    private void tombstone(long address, DeviceImpl d) {
        if (d.leftEventSeen) {
            return; // its libusb_device may be freed now, and its address taken by another
        }
        tombstones.remove(address);
        tombstones.put(address, d);
        if (tombstones.size() > TOMBSTONES) {
            tombstones.remove(tombstones.keySet().iterator().next());
        }
    }

    /** A device libusb reported arrived (referenced by the caller): the context's object for it, attached. */
    DeviceImpl deviceArrived(MemorySegment p) {
        return withOpen(() -> {
            synchronized (deviceLock) {
                DeviceImpl d = devices.get(p.address());
                if (d == null) {
                    d = DeviceImpl.read(this, p);
                    d.born = ++clock;
                    devices.put(p.address(), d);
                    tombstones.remove(p.address()); // a tombstone at this address is of a device freed since
                    MemorySegment parent = LibUsb.getParent(p);
                    if (!parent.equals(MemorySegment.NULL)) {
                        d.setParent(devices.get(parent.address()));
                    }
                }
                d.setAttached(true);
                return d;
            }
        });
    }

    /**
     * A device libusb reported left (referenced by the caller): the context's object for it, marked
     * left and dropped if no handle is open; one made for the event if the context never saw it.
     */
    DeviceImpl deviceLeft(MemorySegment p) {
        return withOpen(() -> {
            synchronized (deviceLock) {
                DeviceImpl d = devices.get(p.address());
                boolean known = d != null;
                if (!known) {
                    // dropped by a device list before this event came; the same device only if its bus and
                    // address agree (a tombstone outlives its libusb_device when no LEFT event was due)
                    DeviceImpl gone = tombstones.remove(p.address());
                    if (gone != null && gone.bus() == LibUsb.getBusNumber(p) && gone.address() == LibUsb.getDeviceAddress(p)) {
                        return gone;
                    }
                    d = DeviceImpl.read(this, p);
                }
                d.markLeft();
                d.leftEventSeen = true;
                if (d.dropIfUnused() && known) {
                    devices.remove(p.address());
                }
                return d;
            }
        });
    }

    /** A handle of {@code d} closed: drops it now if it left and has no other handle open. */
    void pruneIfLeft(DeviceImpl d) {
        ReentrantReadWriteLock.ReadLock r = lifecycle.readLock();
        r.lock();
        try {
            if (exited || d.isAttached()) {
                return;
            }
            synchronized (deviceLock) {
                long address = d.pointer().address();
                if (devices.get(address) == d && d.dropIfUnused()) {
                    devices.remove(address);
                    tombstone(address, d);
                }
            }
        } finally {
            r.unlock();
        }
    }

    /** Gives back a reference unless libusb has exited (then it is gone with everything else). */
    void unrefIfOpen(MemorySegment p) {
        ReentrantReadWriteLock.ReadLock r = lifecycle.readLock();
        r.lock();
        try {
            if (!exited) {
                LibUsb.unrefDevice(p);
            }
        } finally {
            r.unlock();
        }
    }

    /** Devices the context holds a libusb reference to (for tests of pruning). */
    int knownDevices() {
        synchronized (deviceLock) {
            return devices.size();
        }
    }

    @Override
    public String toString() {
        return "UsbContext[libusb " + version + (closed ? ", closed]" : "]");
    }
}
