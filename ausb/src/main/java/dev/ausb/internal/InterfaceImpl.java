package dev.ausb.internal;

import dev.ausb.UsbAlternateSetting;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDirection;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbIsoInEndpoint;
import dev.ausb.UsbIsoOutEndpoint;
import dev.ausb.UsbInterface;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOutEndpoint;
import dev.ausb.UsbTransferType;
import dev.ausb.internal.libusb.LibUsb;
import java.util.List;

/** The implementation of {@link UsbInterfaceHandle}: one claimed interface of an open device. */
final class InterfaceImpl implements UsbInterfaceHandle {
    final HandleImpl handle;
    private final UsbInterface descriptor;
    private volatile UsbAlternateSetting alternate;
    private volatile boolean closed;
    /** Counted down when the release is over (the interface may be claimed again). */
    private final java.util.concurrent.CountDownLatch releaseDone = new java.util.concurrent.CountDownLatch(1);
    /** One endpoint handle per address of the current alternate setting. Guarded by this. */
    private final java.util.Map<Integer, EndpointImpl> endpoints = new java.util.HashMap<>();

    InterfaceImpl(HandleImpl handle, UsbInterface descriptor) {
        this.handle = handle;
        this.descriptor = descriptor;
        this.alternate = descriptor.defaultSetting();
    }

    @Override
    public int number() {
        return descriptor.number();
    }

    @Override
    public UsbDeviceHandle deviceHandle() {
        return handle;
    }

    @Override
    public UsbInterface descriptor() {
        return descriptor;
    }

    @Override
    public UsbAlternateSetting alternateSetting() {
        return alternate;
    }

    @Override
    public void selectAlternateSetting(int value) {
        UsbAlternateSetting alt = descriptor.alternateSetting(value).orElseThrow(() -> new IllegalArgumentException(
                "interface " + number() + " has no alternate setting " + value + " (it has "
                        + descriptor.alternateSettings().stream().map(a -> a.alternateSetting()).toList() + ")"));
        checkOpen();
        String what = "selecting alternate setting " + value + " of interface " + number();
        // on the event thread the wait below could never end: fail before anything changes
        handle.engine().checkMayBlock(what);
        // SET_INTERFACE flushes the endpoints: cancel first, so pending transfers end as cancelled
        // rather than as "device gone" (the kernel kills them with ESHUTDOWN); and refuse new ones
        // until it is done, for the same reason (after the fence, every submitter that missed the
        // flag is in flight, where the cancels find it). No lock is held while this waits: a
        // stream handler that the cancel waits for may itself select a setting.
        switches.incrementAndGet();
        switchTarget = value;
        try {
            handle.fence();
            List<EndpointImpl> eps;
            synchronized (this) {
                eps = List.copyOf(endpoints.values());
            }
            for (EndpointImpl e : eps) {
                e.cancelAll(); // queued transfers end cancelled (never submitted), in-flight ones are cancelled
            }
            handle.cancelAndAwait(this, what);
            synchronized (this) {
                checkOpen(); // released meanwhile: say so, and never SET_INTERFACE for a claim made since
                handle.withOpen(() -> Errors.check(LibUsb.setInterfaceAltSetting(handle.handle(), number(), value),
                        "select alternate setting " + value + " of interface " + number() + " of "
                                + handle.deviceImpl().label()));
                if (alternate.alternateSetting() != value) {
                    endpoints.clear(); // the old ones stop working: checkUsable compares alternate settings
                }
                streams.forget(); // SET_INTERFACE re-enables the endpoints without their streams
                alternate = alt;
            }
        } finally {
            switches.decrementAndGet();
        }
    }

    /** How many selectAlternateSetting calls are running: while any is, submissions are refused. */
    private final java.util.concurrent.atomic.AtomicInteger switches = new java.util.concurrent.atomic.AtomicInteger();
    /** The alternate setting the latest of them selects (for the refusal's message). */
    private volatile int switchTarget;

    /** The alternate setting being selected, or -1 when no selectAlternateSetting runs. */
    int switchingTo() {
        return switches.get() > 0 ? switchTarget : -1;
    }

    private UsbEndpoint endpoint(int address, UsbDirection direction) {
        return endpoint(address, direction, false);
    }

    private UsbEndpoint endpoint(int address, UsbDirection direction, boolean iso) {
        checkOpen();
        UsbAlternateSetting alt = alternate;
        UsbEndpoint ep = alt.endpoint(address).orElseThrow(() -> new IllegalArgumentException(String.format(
                "alternate setting %d of interface %d has no endpoint 0x%02x (it has %s)", alt.alternateSetting(),
                number(), address, alt.endpoints().stream().map(e -> String.format("0x%02x", e.address())).toList())));
        if (ep.direction() != direction) {
            String in = ep.transferType() == UsbTransferType.ISOCHRONOUS ? "isoInEndpoint" : "inEndpoint";
            String out = ep.transferType() == UsbTransferType.ISOCHRONOUS ? "isoOutEndpoint" : "outEndpoint";
            throw new IllegalArgumentException(String.format("endpoint 0x%02x is an %s endpoint: use %s", address,
                    ep.direction(), ep.direction() == UsbDirection.IN ? in : out));
        }
        if ((ep.transferType() == UsbTransferType.ISOCHRONOUS) != iso) {
            throw new IllegalArgumentException(iso
                    ? String.format("endpoint 0x%02x is %s, not isochronous: use %s", address,
                            ep.transferType().name().toLowerCase(java.util.Locale.ROOT),
                            direction == UsbDirection.IN ? "inEndpoint" : "outEndpoint")
                    : String.format("endpoint 0x%02x is isochronous: use %s", address,
                            direction == UsbDirection.IN ? "isoInEndpoint" : "isoOutEndpoint"));
        }
        return ep;
    }

    /** The interface's USB 3 bulk streams. */
    final BulkStreams streams = new BulkStreams(this);

    @Override
    public int allocateBulkStreams(int count, int... endpointAddresses) {
        int[] eps = java.util.Objects.requireNonNull(endpointAddresses, "endpointAddresses").clone();
        return quiet("allocating bulk streams", () -> streams.allocate(alternate, count, eps));
    }

    @Override
    public void freeBulkStreams(int... endpointAddresses) {
        int[] eps = java.util.Objects.requireNonNull(endpointAddresses, "endpointAddresses").clone();
        quiet("freeing bulk streams", () -> {
            streams.free(eps);
            return null;
        });
    }

    @Override
    public synchronized int bulkStreams(int endpointAddress) {
        return closed ? 0 : streams.count(endpointAddress);
    }

    /** How many stream allocations or frees run: while any does, submissions on the interface are refused. */
    private final java.util.concurrent.atomic.AtomicInteger changingStreams = new java.util.concurrent.atomic.AtomicInteger();

    /** True while bulk streams are allocated or freed. */
    boolean changingStreams() {
        return changingStreams.get() > 0;
    }

    /** A reset lost the streams (libusb released and re-claimed the interface). */
    synchronized void streamsLost() {
        streams.forget();
    }

    /**
     * Runs a stream ioctl with nothing of the interface in flight: usbfs kills every URB of the
     * interface before it allocates or frees streams, and libusb would report a killed transfer as
     * completed with what it had. New submissions are refused meanwhile; after the fence every
     * submitter that missed that is in flight, where the check below sees it.
     */
    private <T> T quiet(String what, java.util.function.Supplier<T> op) {
        List<EndpointImpl> eps;
        synchronized (this) {
            eps = List.copyOf(endpoints.values());
        }
        for (EndpointImpl e : eps) {
            if (e.busy()) { // queued one-shot transfers, or a stream (its slots perhaps with its handler)
                throw busy(what);
            }
        }
        // what is in flight is checked, and the flag raised, under the handle's write lock (and no
        // monitor: they are taken before that lock elsewhere): no submission is half-way meanwhile,
        // and every later one sees the flag; a refusal changes nothing
        handle.underWriteLock(() -> {
            if (handle.engine().anyInFlight(t -> t.itf == this)) {
                throw busy(what);
            }
            changingStreams.incrementAndGet();
        });
        try {
            synchronized (this) {
                checkOpen();
                return op.get();
            }
        } finally {
            changingStreams.decrementAndGet();
        }
    }

    private IllegalStateException busy(String what) {
        return new IllegalStateException("interface " + number() + " of " + handle.deviceImpl().label()
                + " has transfers pending or a stream, which " + what + " would end (the kernel kills the"
                + " interface's transfers first): await or cancel them, and close its streams, first");
    }

    /** Checks a bulk-stream transfer's stream before it is built. */
    synchronized void checkStream(EndpointImpl ep, int streamId) {
        streams.check(ep.descriptor.address(), streamId, ep.label());
    }

    @Override
    public synchronized UsbInEndpoint inEndpoint(int address) {
        UsbEndpoint ep = endpoint(address, UsbDirection.IN);
        return (UsbInEndpoint) endpoints.computeIfAbsent(address,
                a -> new InEndpointImpl(this, ep, alternate.alternateSetting()));
    }

    @Override
    public synchronized UsbOutEndpoint outEndpoint(int address) {
        UsbEndpoint ep = endpoint(address, UsbDirection.OUT);
        return (UsbOutEndpoint) endpoints.computeIfAbsent(address,
                a -> new OutEndpointImpl(this, ep, alternate.alternateSetting()));
    }

    @Override
    public synchronized UsbIsoInEndpoint isoInEndpoint(int address) {
        UsbEndpoint ep = endpoint(address, UsbDirection.IN, true);
        return (UsbIsoInEndpoint) endpoints.computeIfAbsent(address,
                a -> new IsoInEndpointImpl(this, ep, alternate.alternateSetting()));
    }

    @Override
    public synchronized UsbIsoOutEndpoint isoOutEndpoint(int address) {
        UsbEndpoint ep = endpoint(address, UsbDirection.OUT, true);
        return (UsbIsoOutEndpoint) endpoints.computeIfAbsent(address,
                a -> new IsoOutEndpointImpl(this, ep, alternate.alternateSetting()));
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("interface " + number() + " of " + handle.deviceImpl().label()
                    + " is released");
        }
    }

    /** Checks that a transfer on {@code ep} may be submitted now. */
    void checkUsable(EndpointImpl ep) {
        checkOpen();
        if (changingStreams()) {
            throw new IllegalStateException(String.format("interface %d of %s is allocating or freeing bulk streams:"
                    + " submit after that returns", number(), handle.deviceImpl().label()));
        }
        int switching = switchingTo();
        if (switching >= 0) {
            throw new IllegalStateException(String.format("interface %d of %s is switching to alternate setting %d:"
                    + " submit after selectAlternateSetting returns", number(), handle.deviceImpl().label(), switching));
        }
        if (ep.alternateSetting != alternate.alternateSetting()) {
            throw new IllegalStateException(String.format(
                    "endpoint 0x%02x belongs to alternate setting %d, but interface %d is at alternate setting %d now",
                    ep.descriptor.address(), ep.alternateSetting, number(), alternate.alternateSetting()));
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && handle.isOpen();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        handle.release(this);
    }

    /** Marks released without I/O (the device handle is closing and does the release itself). */
    void markClosed() {
        closed = true;
    }

    /** True once closed (or its handle closed): no transfer of it is submitted any more. */
    boolean isReleased() {
        return closed;
    }

    /** The release is over: the interface may be claimed again. */
    void releaseDone() {
        releaseDone.countDown();
    }

    /** Waits (at most 10 s) until a release in progress, perhaps on a helper thread, is over. */
    void awaitReleased() {
        try {
            if (!releaseDone.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("interface " + number() + " of " + handle.deviceImpl().label()
                        + " is still being released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while interface " + number() + " is released", e);
        }
    }

    @Override
    public String toString() {
        return "UsbInterfaceHandle[interface " + number() + " of " + handle.deviceImpl().label()
                + (closed ? ", released]" : "]");
    }
}
