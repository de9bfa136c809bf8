package dev.ausb.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.ausb.UsbBos;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDescriptorType;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDeviceStrings;
import dev.ausb.UsbException;
import dev.ausb.UsbInterface;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbStallException;
import dev.ausb.UsbTimeoutException;
import dev.ausb.UsbTransferException;
import dev.ausb.UsbTransferFuture;
import dev.ausb.internal.libusb.LibUsb;
import dev.ausb.internal.libusb.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The implementation of {@link UsbDeviceHandle}: one {@code libusb_device_handle}.
 *
 * <p>Every native call runs under the read side of {@link #lifecycle}; {@link #close()} takes the
 * write side, so {@code libusb_close} never races a call in progress.
 */
final class HandleImpl implements UsbDeviceHandle {
    /** Timeout of the standard requests ausb makes itself (strings, BOS), as lsusb uses. */
    static final int STANDARD_REQUEST_TIMEOUT_MS = 1000;

    private final DeviceImpl device;
    private final ContextImpl context;
    private final MemorySegment handle;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** Set under the write lock just before {@code libusb_close}: the native handle is gone. */
    private volatile boolean released;
    private volatile Integer firstLanguage;
    /** Claimed interfaces by number; one stays here until its release is done. */
    private final java.util.Map<Integer, InterfaceImpl> claimed = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object drained = new Object();
    /** Counted down when {@link #finishClose()} is over, on whichever thread ran it. */
    private final java.util.concurrent.CountDownLatch closeDone = new java.util.concurrent.CountDownLatch(1);
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

    /** A stream on this handle's endpoints; ended before the handle closes. */
    interface Stream {
        /** Ends the stream with {@code cause} and waits until its transfers are handed back. */
        void abort(Throwable cause);

        /** The interface whose endpoint it streams. */
        InterfaceImpl itf();

        /** True on the stream's own delivery thread (where waiting for the stream's end would never end). */
        boolean onOwnThread();
    }

    /** What {@link #submitRaw} returns when the transfer's interface is released. */
    static final int INTERFACE_RELEASED = Integer.MIN_VALUE + 2;
    /** What {@link #submitRaw} returns while the transfer's interface switches alternate setting. */
    static final int INTERFACE_SWITCHING = Integer.MIN_VALUE + 3;

    /** What {@link #submitRaw} returns while the transfer's interface allocates or frees bulk streams. */
    static final int INTERFACE_BUSY = Integer.MIN_VALUE + 4;

    /** What {@link #submitRaw} returns when the handle is closed. */
    static final int CLOSED = Integer.MIN_VALUE;

    private HandleImpl(DeviceImpl device, MemorySegment handle) {
        this.device = device;
        this.context = device.contextImpl();
        this.handle = handle;
    }

    /** Opens the device; the caller holds the context's read lock. */
    static HandleImpl open(DeviceImpl device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            return device.withDevice("open", () -> {
                int rc = LibUsb.open(device.pointer(), out);
                if (rc == Errors.ERROR_IO && LinuxSysfs.nodeNotWritable(device.bus(), device.address())) {
                    // libusb tells EACCES from other failures by errno after it has logged; should the
                    // log upcall still have changed errno, the device node's permissions say what it was
                    rc = Errors.ERROR_ACCESS;
                }
                if (rc < 0) {
                    String hint = rc == Errors.ERROR_ACCESS
                            ? Errors.accessHint(device.vendorId(), device.productId()) : null;
                    throw Errors.of(rc, "open " + device.label(), hint);
                }
                HandleImpl h = new HandleImpl(device, out.get(ADDRESS, 0));
                device.opened();
                device.contextImpl().register(h);
                return h;
            });
        }
    }

    <T> T withOpen(Supplier<T> op) {
        ReentrantReadWriteLock.ReadLock r = lifecycle.readLock();
        r.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this UsbDeviceHandle of " + device.label() + " is closed");
            }
            return op.get();
        } finally {
            r.unlock();
        }
    }

    MemorySegment handle() {
        return handle;
    }

    DeviceImpl deviceImpl() {
        return device;
    }

    @Override
    public UsbDevice device() {
        return device;
    }

    /** GET_DESCRIPTOR through the transfer engine, waiting at most the standard timeout. */
    private byte[] getDescriptor(int type, int index, int languageId, int length) {
        // fail before submitting anything: on the event thread the wait below could never end
        context.engine().checkMayBlock("reading a descriptor");
        UsbControlRequest req = UsbControlRequest.standard(UsbControlRequest.Recipient.DEVICE,
                UsbControlRequest.GET_DESCRIPTOR, (type << 8) | index, languageId);
        return controlIn(req, length, Duration.ofMillis(STANDARD_REQUEST_TIMEOUT_MS)).await();
    }

    @Override
    public List<Integer> readLanguages() {
        byte[] b;
        try {
            b = getDescriptor(UsbDescriptorType.STRING, 0, 0, 255);
        } catch (UsbStallException noStrings) {
            return List.of();
        }
        try {
            return DescriptorParser.parseLanguages(b, b.length);
        } catch (IllegalArgumentException malformed) {
            throw Errors.of(Errors.ERROR_IO, "read the string languages of " + device.label() + ": the device sent "
                    + malformed.getMessage(), null);
        }
    }

    @Override
    public Optional<String> readString(int index) {
        checkIndex(index);
        if (index == 0) {
            return Optional.empty();
        }
        Integer lang = firstLanguage;
        if (lang == null) {
            List<Integer> langs = readLanguages();
            lang = langs.isEmpty() ? 0x0409 : langs.getFirst();
            firstLanguage = lang;
        }
        return readString(index, lang);
    }

    @Override
    public Optional<String> readString(int index, int languageId) {
        checkIndex(index);
        if (languageId < 0 || languageId > 0xffff) {
            throw new IllegalArgumentException("a language id is 16 bits, not " + languageId);
        }
        if (index == 0) {
            return Optional.empty();
        }
        byte[] b = getDescriptor(UsbDescriptorType.STRING, index, languageId, 255);
        try {
            return Optional.of(DescriptorParser.parseString(b, b.length));
        } catch (IllegalArgumentException malformed) {
            throw Errors.of(Errors.ERROR_IO, "read string " + index + " of " + device.label()
                    + ": the device sent " + malformed.getMessage(), null);
        }
    }

    private static void checkIndex(int index) {
        if (index < 0 || index > 255) {
            throw new IllegalArgumentException("a string index is 0..255, not " + index);
        }
    }

    @Override
    public UsbDeviceStrings readStrings() {
        var d = device.descriptor();
        return new UsbDeviceStrings(readString(d.manufacturerIndex()), readString(d.productIndex()),
                readString(d.serialNumberIndex()));
    }

    @Override
    public Optional<UsbBos> readBos() {
        try {
            byte[] head = getDescriptor(UsbDescriptorType.BOS, 0, 0, 5);
            if (head.length < 5) {
                return Optional.empty();
            }
            int total = Byte.toUnsignedInt(head[2]) | Byte.toUnsignedInt(head[3]) << 8;
            byte[] all = getDescriptor(UsbDescriptorType.BOS, 0, 0, Math.max(total, 5));
            return Optional.of(DescriptorParser.parseBos(all));
        } catch (UsbStallException noBos) {
            return Optional.empty();
        } catch (IllegalArgumentException malformed) {
            throw Errors.of(Errors.ERROR_IO, "read BOS of " + device.label() + ": the device sent "
                    + malformed.getMessage(), null);
        }
    }

    @Override
    public int activeConfiguration() {
        return withOpen(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(JAVA_INT);
                Errors.check(LibUsb.getConfiguration(handle, out), "get configuration of " + device.label());
                return out.get(JAVA_INT, 0);
            }
        });
    }

    // ---- transfers ---------------------------------------------------------------------------

    TransferEngine engine() {
        return context.engine();
    }

    ContextImpl context() {
        return context;
    }

    /**
     * Submits a prepared one-shot transfer; returns null, or the failure its future should fail
     * with (the caller fails it, outside its locks): handle closed, interface released, cancelled
     * before submission, or refused by libusb.
     */
    RuntimeException submit(Transfer t, Supplier<String> label) {
        int rc = submitRaw(t);
        return rc >= 0 ? null : submitFailure(rc, label.get());
    }

    /**
     * True when the device is known to be gone: a hotplug LEFT event or a device list said so, or
     * usbfs answers ENODEV (as it does once a device is disconnected, without bus traffic). Safe on
     * the event thread while a transfer is in flight.
     */
    boolean deviceGone() {
        ReentrantReadWriteLock.ReadLock r = lifecycle.readLock();
        if (!r.tryLock()) {
            return false; // closing: the answer no longer matters to anyone
        }
        try {
            return !released && (!device.isAttached() // a hotplug LEFT event, or a device list without it
                    || LibUsb.kernelDriverActive(handle, probeInterface()) == Errors.ERROR_NO_DEVICE);
        } finally {
            r.unlock();
        }
    }

    /**
     * An interface number that exists, for {@link #deviceGone}'s probe: a claimed one, else the
     * first of the cached configuration (usbfs answers ENODEV for any number once the device is
     * gone, but logs an error for a number that does not exist while it is there).
     */
    private int probeInterface() {
        for (Integer n : claimed.keySet()) {
            return n;
        }
        return device.cachedActiveConfiguration().stream().boxed()
                .flatMap(c -> device.configuration(c).stream())
                .flatMap(c -> c.interfaces().stream()).mapToInt(UsbInterface::number).findFirst().orElse(0);
    }

    /**
     * libusb_cancel_transfer under the read lock, taken without waiting: false when the handle is
     * closing or closed (its close cancels what is left).
     */
    int cancelNative(MemorySegment struct) {
        ReentrantReadWriteLock.ReadLock r = lifecycle.readLock();
        if (!r.tryLock()) {
            return CANCEL_BUSY;
        }
        try {
            cancelNativeLocked(struct);
            return 0;
        } finally {
            r.unlock();
        }
    }

    /** What {@link #cancelNative} returns when the write lock is held this instant. */
    static final int CANCEL_BUSY = 1;

    /** libusb_cancel_transfer, the read lock held; nothing once the native handle is released. */
    void cancelNativeLocked(MemorySegment struct) {
        if (!released) {
            LibUsb.cancelTransfer(struct); // NOT_FOUND when it completed meanwhile: fine
        }
    }

    /**
     * A cancel that found the write lock held: waits until it is free (it is held only to flip
     * flags) and cancels then. Barging tryLock: a writer waiting behind a slow reader does not hold it up.
     */
    void cancelWhenUnlocked(Transfer t, int gen) {
        ReentrantReadWriteLock.ReadLock r = lifecycle.readLock();
        while (!r.tryLock()) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000L);
        }
        try {
            t.cancelLocked(gen);
        } finally {
            r.unlock();
        }
    }

    /** The read lock, barging past a writer that waits for a slow reader (held writers are brief). */
    private ReentrantReadWriteLock.ReadLock readLocked() {
        ReentrantReadWriteLock.ReadLock r = lifecycle.readLock();
        if (!r.tryLock()) {
            r.lock();
        }
        return r;
    }

    /**
     * How long a generic transfer error waits to learn whether the device is being unplugged.
     * Host controllers fail the pending URBs of a vanishing device with a protocol error
     * ({@code EPROTO}: libusb's {@code LIBUSB_TRANSFER_ERROR}) a few milliseconds before the hub
     * reports the disconnect; dummy_hcd and xHCI both do.
     */
    static final long GONE_GRACE_NANOS = 1_000_000_000L;

    /**
     * How long a submission refused with {@code LIBUSB_ERROR_IO} waits to learn whether the device
     * is being unplugged: usbfs refuses so (ENOENT, EHOSTUNREACH) only after the kernel has begun
     * the disconnect, so ENODEV is at most moments away.
     */
    static final long REFUSAL_GRACE_NANOS = 100_000_000L;

    /**
     * True for the generic errors an unplug in progress produces: a transfer that ends with
     * {@code LIBUSB_TRANSFER_ERROR}, and a submission libusb refuses with {@code LIBUSB_ERROR_IO}
     * (usbfs refuses a URB for an endpoint the disconnect has already disabled, with ENOENT or
     * EHOSTUNREACH, before it answers ENODEV).
     */
    static boolean mayBeGone(Throwable failure) {
        return failure instanceof UsbTransferException t && Errors.statusName(Errors.TRANSFER_ERROR).equals(t.errorName())
                || failure instanceof dev.ausb.UsbIoException io && io.errorCode() == Errors.ERROR_IO;
    }

    /**
     * Turns a generic transfer error into {@link UsbDeviceGoneException} if the device disappears
     * within {@link #GONE_GRACE_NANOS} (a refused submission: {@link #REFUSAL_GRACE_NANOS}; see
     * {@link #mayBeGone}); returns any other failure as it
     * is. It may wait, so never on the event thread. Only the rare generic error waits; a device
     * that stays reports it as it was.
     */
    Throwable confirmGone(Throwable failure, String what) {
        if (!mayBeGone(failure) || context.onEventThread()) {
            return failure;
        }
        UsbException e = (UsbException) failure;
        // usbfs refuses with ENOENT only once the disconnect is under way (ENODEV follows at once);
        // a refusal of a device that stays (an endpoint the kernel does not know, say) waits briefly
        long deadline = System.nanoTime() + (e instanceof UsbTransferException ? GONE_GRACE_NANOS : REFUSAL_GRACE_NANOS);
        long pause = 1_000_000L;
        while (true) {
            if (deviceGone()) {
                return Errors.goneAfterError(e, what);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || released) {
                return failure;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(pause, left));
            pause = Math.min(pause * 2, 20_000_000L);
        }
    }

    /** Runs {@code r} under the lifecycle's write lock: no submission is in progress meanwhile. */
    void underWriteLock(Runnable r) {
        ReentrantReadWriteLock.WriteLock w = lifecycle.writeLock();
        w.lock();
        try {
            r.run();
        } finally {
            w.unlock();
        }
    }

    /**
     * Waits until every submitter that is between its check of a flag (closed, released,
     * switching) and libusb is done: they hold the read lock until their transfer is in flight.
     */
    void fence() {
        underWriteLock(() -> { });
    }

    /**
     * Writes a prepared transfer into its struct and submits it, under the read lock with the
     * handle open, so no struct is touched once the handle (and then the context) is closed.
     * Returns libusb's code, {@link #CLOSED}, {@link #INTERFACE_RELEASED} or
     * {@link TransferEngine#CANCELLED_BEFORE_SUBMIT}.
     */
    int submitRaw(Transfer t) {
        ReentrantReadWriteLock.ReadLock r = readLocked(); // on the event thread too: never behind a waiting writer
        try {
            if (closed) {
                return CLOSED;
            }
            if (t.itf != null && t.itf.isReleased()) {
                return INTERFACE_RELEASED;
            }
            if (t.itf != null && (t.itf.switchingTo() >= 0
                    || t.endpoint != null && t.endpoint.alternateSetting != t.itf.alternateSetting().alternateSetting())) {
                // SET_INTERFACE would kill it, as if the device were gone; or it was queued on an
                // endpoint of the alternate setting the interface has just left
                return INTERFACE_SWITCHING;
            }
            if (t.itf != null && t.itf.changingStreams()) {
                return INTERFACE_BUSY; // the stream ioctls kill the interface's URBs: none may go out meanwhile
            }
            inFlight.incrementAndGet();
            TransferEngine engine = context.engine();
            t.writeStruct(handle, engine.callbackStub);
            int rc = engine.submit(t);
            if (rc < 0) {
                inFlight.decrementAndGet();
            }
            return rc;
        } finally {
            r.unlock();
        }
    }

    /** The failure of a submission that returned {@code rc} (one of {@link #submitRaw}'s codes). */
    static RuntimeException submitFailure(int rc, String label) {
        return switch (rc) {
            case CLOSED -> new IllegalStateException("the handle of " + label + " is closed");
            case INTERFACE_RELEASED -> new IllegalStateException("the interface of " + label + " is released");
            case INTERFACE_SWITCHING -> new IllegalStateException("the interface of " + label
                    + " is switching (or has switched) its alternate setting: submit after selectAlternateSetting"
                    + " returns, on an endpoint of the setting it selected");
            case INTERFACE_BUSY -> new IllegalStateException("the interface of " + label
                    + " is allocating or freeing bulk streams: submit after that returns");
            case TransferEngine.CANCELLED_BEFORE_SUBMIT ->
                    new java.util.concurrent.CancellationException(label + ": cancelled before it was submitted");
            default -> Errors.of(rc, "submit " + label, null);
        };
    }

    void register(Stream s) {
        streams.add(s);
    }

    void unregister(Stream s) {
        streams.remove(s);
    }

    /** Frees usbfs device memory; the handle is still open (streams end before it closes). */
    void freeDeviceMemory(MemorySegment m, long size) {
        withNative(() -> LibUsb.devMemFree(handle, m, size));
    }

    /** Runs a native call on the handle unless it is already released (closing from the close itself is fine). */
    private void withNative(Runnable op) {
        ReentrantReadWriteLock.ReadLock r = readLocked();
        try {
            if (!released) {
                op.run();
            }
        } finally {
            r.unlock();
        }
    }

    /** Called when libusb has handed back a transfer of this handle. */
    void transferDone() {
        if (inFlight.decrementAndGet() >= 0 && closed) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /**
     * Waits until libusb has handed back every transfer of this handle (their futures may still be
     * completing: a close from a continuation, or behind a serial executor, does not wait for itself).
     */
    private void awaitDrained() {
        boolean interrupted = false;
        synchronized (drained) {
            while (inFlight.get() > 0) {
                try {
                    drained.wait(50);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private <T> UsbTransferFuture<T> control(UsbControlRequest req, boolean in, int length, byte[] out,
            long timeoutMs, TransferFutureImpl.Result<T> result) {
        Objects.requireNonNull(req, "request");
        if (length < 0 || length > 0xffff) {
            throw new IllegalArgumentException("a control transfer carries 0..65535 bytes, not " + length);
        }
        withOpen(() -> null);
        TransferEngine engine = context.engine();
        Transfer t = engine.acquire();
        MemorySegment buf;
        try {
            buf = engine.buffers.acquire(Structs.CONTROL_SETUP_SIZE + length);
        } catch (RuntimeException | Error e) {
            engine.recycle(t); // no struct lost to a failed allocation
            throw e;
        }
        buf.set(ValueLayout.JAVA_BYTE, 0, (byte) (req.requestType() | (in ? 0x80 : 0)));
        buf.set(ValueLayout.JAVA_BYTE, 1, (byte) req.request());
        buf.set(U16, 2, (short) req.value());
        buf.set(U16, 4, (short) req.index());
        buf.set(U16, 6, (short) length);
        if (out != null) {
            MemorySegment.copy(out, 0, buf, ValueLayout.JAVA_BYTE, Structs.CONTROL_SETUP_SIZE, length);
        }
        t.owner = this;
        t.pooledBuffer = true;
        t.prepare(0, Structs.TRANSFER_TYPE_CONTROL, timeoutMs, buf, Structs.CONTROL_SETUP_SIZE + length, 0);
        Supplier<String> label = () -> req + " of " + device.label();
        TransferFutureImpl<T> f = new TransferFutureImpl<>(engine, t, result, label, context.completionExecutor(),
                null, in ? Structs.CONTROL_SETUP_SIZE : -1);
        RuntimeException failure = submit(t, label);
        if (failure != null) {
            f.failSubmit(failure);
        }
        return f;
    }

    @Override
    public UsbTransferFuture<byte[]> controlIn(UsbControlRequest request, int length) {
        return controlIn(request, length, Duration.ZERO);
    }

    @Override
    public UsbTransferFuture<byte[]> controlIn(UsbControlRequest request, int length, Duration timeout) {
        return control(request, true, length, null, EndpointImpl.timeoutMillis(timeout),
                (b, n) -> b.asSlice(Structs.CONTROL_SETUP_SIZE, n).toArray(ValueLayout.JAVA_BYTE));
    }

    @Override
    public UsbTransferFuture<Integer> controlOut(UsbControlRequest request, byte[] data) {
        return controlOut(request, data, Duration.ZERO);
    }

    @Override
    public UsbTransferFuture<Integer> controlOut(UsbControlRequest request, byte[] data, Duration timeout) {
        Objects.requireNonNull(data, "data");
        return control(request, false, data.length, data, EndpointImpl.timeoutMillis(timeout), (b, n) -> n);
    }

    // ---- configuration, interfaces, drivers --------------------------------------------------

    @Override
    public void setConfiguration(int value) {
        if (value < -1 || value > 255) {
            throw new IllegalArgumentException("a configuration value is 0..255 (or -1 for unconfigured), not " + value);
        }
        withOpen(() -> Errors.check(LibUsb.setConfiguration(handle, value),
                "set configuration " + value + " of " + device.label()));
    }

    @Override
    public UsbInterfaceHandle claimInterface(int number) {
        int config = activeConfiguration();
        UsbInterface desc = device.configuration(config).flatMap(c -> c.findInterface(number))
                .orElseThrow(() -> new IllegalArgumentException("configuration " + config + " of " + device.label()
                        + " has no interface " + number));
        InterfaceImpl old = claimed.get(number);
        if (old != null && !old.isReleased()) {
            throw new IllegalStateException("interface " + number + " of " + device.label()
                    + " is already claimed through this handle: use that UsbInterfaceHandle");
        }
        if (old != null) {
            old.awaitReleased(); // its release (perhaps on a helper thread) finishes first
        }
        return withOpen(() -> {
            if (claimed.containsKey(number)) {
                throw new IllegalStateException("interface " + number + " of " + device.label()
                        + " is already claimed through this handle: use that UsbInterfaceHandle");
            }
            int rc = LibUsb.claimInterface(handle, number);
            if (rc < 0) {
                String hint = null;
                if (rc == Errors.ERROR_BUSY) {
                    hint = device.kernelDriver(number).filter(d -> !d.equals("usbfs"))
                            .map(d -> "the kernel driver " + d + " has it: detach it with detachKernelDriver(" + number
                                    + ") or setAutoDetachKernelDriver(true)")
                            .orElse("another process or handle has claimed it (through usbfs)");
                }
                throw Errors.of(rc, "claim interface " + number + " of " + device.label(), hint);
            }
            InterfaceImpl itf = new InterfaceImpl(this, desc);
            claimed.put(number, itf);
            return itf;
        });
    }

    /**
     * Releases a claimed interface (already marked released) after its transfers have been handed
     * back. On a thread that must not wait (the event thread, a stream's own thread) the work goes
     * to a helper thread; a new claim of the same number waits for it.
     */
    void release(InterfaceImpl itf) {
        if (claimed.get(itf.number()) != itf) {
            itf.releaseDone();
            return;
        }
        Runnable work = () -> {
            try {
                fence(); // submitters that saw the interface open are in flight now, where cancelAndAwait finds them
                for (Stream st : List.copyOf(streams)) {
                    if (st.itf() == itf) {
                        st.abort(new IllegalStateException("interface " + itf.number() + " of " + device.label()
                                + " was released"));
                    }
                }
                context.engine().cancelAndAwait(t -> t.itf == itf);
                withNative(() -> {
                    if (!closed) {
                        LibUsb.releaseInterface(handle, itf.number());
                    }
                });
            } finally {
                claimed.remove(itf.number(), itf);
                itf.releaseDone();
            }
        };
        if (mustNotWait()) {
            Thread.ofPlatform().daemon(true).name("ausb-release").start(work);
        } else {
            work.run();
        }
    }

    /** True where waiting for transfers or streams would never end: the event thread, or a stream's own thread. */
    boolean mustNotWait() {
        if (context.onEventThread()) {
            return true;
        }
        for (Stream st : streams) {
            if (st.onOwnThread()) {
                return true;
            }
        }
        return false;
    }

    /** Cancels the transfers of {@code itf} (or of the whole handle) and waits until they are handed back. */
    void cancelAndAwait(InterfaceImpl itf, String what) {
        context.engine().checkMayBlock(what);
        for (Stream st : List.copyOf(streams)) {
            if (itf == null || st.itf() == itf) {
                st.abort(new IllegalStateException(what + " ended the stream"));
            }
        }
        context.engine().cancelAndAwait(itf == null ? t -> t.owner == this : t -> t.itf == itf);
    }

    @Override
    public void clearHalt(int endpointAddress) {
        if (endpointAddress < 0 || endpointAddress > 0xff) {
            throw new IllegalArgumentException("an endpoint address is 0..0xff, not " + endpointAddress);
        }
        withOpen(() -> Errors.check(LibUsb.clearHalt(handle, endpointAddress),
                String.format("clear halt of endpoint 0x%02x of %s", endpointAddress, device.label())));
    }

    @Override
    public boolean isKernelDriverActive(int interfaceNumber) {
        return withOpen(() -> Errors.check(LibUsb.kernelDriverActive(handle, interfaceNumber),
                "ask for the kernel driver of interface " + interfaceNumber + " of " + device.label()) == 1);
    }

    @Override
    public void detachKernelDriver(int interfaceNumber) {
        withOpen(() -> Errors.check(LibUsb.detachKernelDriver(handle, interfaceNumber),
                "detach the kernel driver of interface " + interfaceNumber + " of " + device.label()));
    }

    @Override
    public void attachKernelDriver(int interfaceNumber) {
        withOpen(() -> Errors.check(LibUsb.attachKernelDriver(handle, interfaceNumber),
                "attach the kernel driver of interface " + interfaceNumber + " of " + device.label()));
    }

    @Override
    public boolean setAutoDetachKernelDriver(boolean enable) {
        return withOpen(() -> {
            int rc = LibUsb.setAutoDetachKernelDriver(handle, enable);
            if (rc == Errors.ERROR_NOT_SUPPORTED) {
                return false; // no kernel-driver detach on this platform: nothing to set
            }
            Errors.check(rc, "set auto-detach of kernel drivers of " + device.label());
            return true;
        });
    }

    @Override
    public void reset() {
        withOpen(() -> null);
        // a reset flushes the endpoints: cancel first, so pending transfers end as cancelled, not as "device gone"
        cancelAndAwait(null, "reset of " + device.label());
        withOpen(() -> {
            int rc = LibUsb.resetDevice(handle);
            if (rc < 0) {
                throw Errors.of(rc, "reset " + device.label(), rc == Errors.ERROR_NOT_FOUND
                        ? "the device re-enumerated as a new device: find it again with reopen()" : null);
            }
            return rc;
        });
        // libusb re-claimed the interfaces, so the kernel freed their streams; after the handle's
        // lock is let go (an interface's monitor is taken before that lock, never inside it)
        claimed.values().forEach(InterfaceImpl::streamsLost);
    }

    @Override
    public UsbDeviceHandle reopen(Duration timeout) {
        return reopen(UsbDeviceFilter.any(), timeout);
    }

    @Override
    public UsbDeviceHandle reopen(UsbDeviceFilter expected, Duration timeout) {
        Reopen.check(device, expected, timeout);
        engine().checkMayBlock("reopen");
        close();
        return Reopen.await(context, device, expected, timeout);
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock w = lifecycle.writeLock();
        boolean first;
        w.lock();
        try {
            first = !closed;
            closed = true; // no new transfers from here on
        } finally {
            w.unlock();
        }
        boolean noWait = mustNotWait();
        if (!first) {
            if (!noWait) {
                awaitClosed(); // a second close (the context's, say) returns only when the first is done
            }
            return;
        }
        if (noWait) {
            // the event thread, or a stream's handler: the close needs events, or the handler's return
            Thread.ofPlatform().daemon(true).name("ausb-close").start(this::finishClose);
        } else {
            finishClose();
        }
    }

    /** True once the close in progress has closed the libusb handle. */
    boolean closeFinished() {
        return closeDone.getCount() == 0;
    }

    /** Waits until the close in progress (perhaps on another thread) is over. */
    void awaitClose() {
        awaitClosed();
    }

    /** Cancels and awaits this handle's transfers, releases its interfaces, closes the libusb handle. */
    private void finishClose() {
        try {
            closeHandle();
        } finally {
            closeDone.countDown();
        }
    }

    /** Waits until the close in progress (perhaps on another thread) has closed the libusb handle. */
    private void awaitClosed() {
        TransferEngine.awaitUninterruptibly(closeDone);
    }

    private void closeHandle() {
        try {
            for (Stream s : List.copyOf(streams)) {
                s.abort(new IllegalStateException("the UsbDeviceHandle of " + device.label() + " was closed"));
            }
            context.engine().cancelAndAwait(t -> t.owner == this);
            awaitDrained();
            List<InterfaceImpl> itfs = List.copyOf(claimed.values());
            ReentrantReadWriteLock.WriteLock w = lifecycle.writeLock();
            w.lock();
            try {
                for (InterfaceImpl itf : itfs) {
                    itf.markClosed();
                }
                released = true; // from here on no other thread touches the native handle
            } finally {
                w.unlock();
            }
            // not under the write lock: libusb_close waits for libusb's events lock, which the event
            // thread holds while it runs callbacks that may call into this handle (they see it released)
            for (InterfaceImpl itf : itfs) {
                LibUsb.releaseInterface(handle, itf.number());
            }
            LibUsb.close(handle);
            device.closed();
            context.pruneIfLeft(device); // a device that left is not kept for its handle any longer
            claimed.clear();
            for (InterfaceImpl itf : itfs) {
                itf.releaseDone();
            }
        } finally {
            context.unregister(this);
        }
    }

    /** The lifecycle lock, for tests that hold it at a chosen moment. */
    ReentrantReadWriteLock lifecycleLock() {
        return lifecycle;
    }

    /** Transfers of this handle in flight, for tests and close. */
    int inFlight() {
        return inFlight.get();
    }

    @Override
    public String toString() {
        return "UsbDeviceHandle[" + device.label() + (closed ? ", closed]" : "]");
    }
}
