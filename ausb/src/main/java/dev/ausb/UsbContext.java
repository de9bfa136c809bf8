package dev.ausb;

import dev.ausb.internal.ContextImpl;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A libusb session: the entry point of ausb. It enumerates devices, looks them up by criteria and
 * owns one event thread that completes every transfer of every device opened through it.
 *
 * <p>Obtain one with {@link #create()} or {@link #newBuilder()}, and close it when done; closing
 * closes every handle opened through it, stops its event thread and releases libusb. Several
 * contexts may live side by side, each with its own thread. A context is thread-safe. After
 * {@link #close()}, every method but {@code close} and {@link #isOpen()} throws
 * {@link IllegalStateException}.
 * {@snippet :
 * try (UsbContext usb = UsbContext.create()) {
 *     for (UsbDevice d : usb.devices()) {
 *         System.out.println(d);          // Bus 001 Device 002: ID 1a0a:badd
 *     }
 *     UsbDevice gadget = usb.findOne(UsbDeviceFilter.of(0x1a0a, 0xbadd));
 * }
 * }
 */
public interface UsbContext extends AutoCloseable {

    /**
     * Creates a context with default settings: libusb's warnings and errors logged through
     * {@link System.Logger} at the level {@code -Dausb.libusb.log} names (default {@code WARNING}),
     * completions on a virtual thread per completion.
     *
     * @return a new open context, its event thread running
     * @throws UsbLibraryMissingException if libusb-1.0 cannot be loaded
     * @throws UsbUnavailableException    if this machine has no USB libusb can reach
     */
    static UsbContext create() {
        return newBuilder().build();
    }

    /**
     * A builder for a context with chosen settings.
     *
     * @return a new builder with the default settings
     */
    static Builder newBuilder() {
        return new Builder();
    }

    /**
     * The version of the libusb-1.0 this JVM loads, read without a context, so also on a machine
     * with no USB at all (where {@link #create()} throws {@link UsbUnavailableException}): for a
     * program's {@code --version}, or a check at start-up.
     *
     * @return the version, such as {@code 1.0.26.11724}
     * @throws UsbLibraryMissingException if libusb-1.0 cannot be loaded
     */
    static String loadedLibusbVersion() {
        return ContextImpl.loadedLibusbVersion();
    }

    /**
     * Lists the devices attached now: a snapshot, in the order libusb reports them (the order
     * {@code lsusb} prints). The same physical device keeps the same {@link UsbDevice} object from
     * one snapshot to the next until it is unplugged. Reads cached descriptors only, but on first
     * sight of a device libusb may read its descriptors from the operating system.
     *
     * @return the devices attached now, an immutable list; empty when there are none
     * @throws IllegalStateException if the context is closed
     */
    List<UsbDevice> devices();

    /**
     * The one device that matches, for a program that expects exactly one.
     *
     * @param filter which devices count; {@link UsbDeviceFilter#any()} for all
     * @return the only device that matches
     * @throws UsbMatchException     if no device or more than one matches; it lists the matches
     * @throws IllegalStateException if the context is closed
     */
    default UsbDevice findOne(UsbDeviceFilter filter) {
        List<UsbDevice> all = findAll(filter);
        if (all.size() != 1) {
            throw new UsbMatchException(filter, all);
        }
        return all.getFirst();
    }

    /**
     * Some device that matches, if any; which one, when several do, is not specified.
     *
     * @param filter which devices count; {@link UsbDeviceFilter#any()} for all
     * @return a matching device, or empty if none matches
     * @throws IllegalStateException if the context is closed
     */
    default Optional<UsbDevice> findAny(UsbDeviceFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return devices().stream().filter(filter).findFirst();
    }

    /**
     * Every device that matches, in enumeration order.
     *
     * @param filter which devices count; {@link UsbDeviceFilter#any()} for all
     * @return the matching devices, an immutable list; empty if none matches
     * @throws IllegalStateException if the context is closed
     */
    default List<UsbDevice> findAll(UsbDeviceFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return devices().stream().filter(filter).toList();
    }

    /**
     * Calls {@code listener} with each device matching {@code filter} that arrives or leaves, in the
     * order they happen, on a virtual thread of the subscription's own (never on the event thread;
     * one event at a time). With {@code existingFirst}, the devices attached now come first, as
     * ARRIVED events. A listener that throws is not called again for that event, and watching goes on.
     * The subscription keeps nothing alive: the JVM may exit while it is open.
     *
     * <p>Order against transfers: when a device is unplugged the kernel fails its pending transfers
     * first; libusb reports the leave after that, so the LEFT event usually follows their failures.
     * A transfer whose generic error is still being checked for the unplug fails device-gone at once
     * when the LEFT event comes (and within a second in any case).
     *
     * <p>Where libusb has no hotplug support ({@link #hasHotplug()} false), the context polls the
     * device list every 500 ms instead.
     * {@snippet file="dev/ausb/examples/WaitForDevice.java" region="watch"}
     *
     * @param filter        which devices' arrivals and departures are reported
     * @param existingFirst true to report the devices attached now first, as ARRIVED events
     * @param listener      called with each event, one at a time, on the subscription's virtual thread
     * @return the subscription; closing it stops the events
     * @throws IllegalStateException if the context is closed
     */
    UsbHotplugSubscription watch(UsbDeviceFilter filter, boolean existingFirst,
            java.util.function.Consumer<? super UsbHotplugEvent> listener);

    /**
     * The hotplug events of devices matching {@code filter} as a {@link java.util.concurrent.Flow.Publisher}:
     * each subscription watches as {@link #watch} does and delivers against the subscriber's demand
     * (events wait in order while it has none). The context's close completes it ({@code onComplete}).
     *
     * @param filter        which devices' arrivals and departures are published
     * @param existingFirst true to publish the devices attached now first, as ARRIVED events
     * @return a publisher; each subscriber gets its own subscription to the events
     * @throws IllegalStateException if the context is closed
     */
    java.util.concurrent.Flow.Publisher<UsbHotplugEvent> hotplugEvents(UsbDeviceFilter filter, boolean existingFirst);

    /**
     * A device matching {@code filter}: at once if one is attached, else when one arrives. Fails
     * with {@link UsbTimeoutException} after {@code timeout} (unchecked, so {@link UsbFuture#await()}
     * throws it as it is), and with {@link IllegalStateException} if the context closes first;
     * cancelling it stops the wait.
     * {@link UsbFuture#await()} waits with the failure unwrapped; waiting on the context's event
     * thread (which delivers the hotplug events the wait needs) throws {@link IllegalStateException}
     * at once.
     * {@snippet file="dev/ausb/examples/WaitForDevice.java" region="await-device"}
     *
     * @param filter  which device to wait for
     * @param timeout how long to wait, positive
     * @return a future of the first matching device
     * @throws IllegalArgumentException if the timeout is not positive
     * @throws IllegalStateException    if the context is closed
     */
    UsbFuture<UsbDevice> awaitDevice(UsbDeviceFilter filter, java.time.Duration timeout);

    /**
     * True if libusb reports hotplug events on this platform; else {@link #watch} polls.
     *
     * @return true when libusb delivers hotplug events here, false when the context polls
     */
    boolean hasHotplug();

    /**
     * True on this context's event thread (one per context), where libusb hands transfers back: a
     * call that waits for a transfer there would wait forever. Libraries built on ausb that block
     * check it before they send anything. Waiting inside a single-threaded completion executor on a
     * stage that executor must run deadlocks as well; that this cannot see.
     *
     * @return true when the calling thread is this context's event thread
     */
    boolean isEventThread();

    /**
     * The loaded libusb's version, such as {@code 1.0.26.11724}.
     *
     * @return the version as major.minor.micro.nano
     * @throws IllegalStateException if the context is closed
     */
    String libusbVersion();

    /**
     * True until {@link #close()} is called.
     *
     * @return whether the context is still open
     */
    boolean isOpen();

    /**
     * Closes every handle opened through this context (cancelling their transfers and waiting for
     * libusb to hand them back), stops the event thread and releases libusb. Idempotent and safe
     * from any thread, including a completion running on the event thread.
     */
    @Override
    void close();

    /**
     * Settings for a new {@link UsbContext}. Not thread-safe; each {@link #build()} makes a new context.
     */
    final class Builder {
        private System.Logger.Level logLevel;
        private Executor completionExecutor;
        private boolean completeOnEventThread;
        private String threadName = "ausb-events";
        private boolean deviceMemory;

        Builder() {}

        /**
         * The level at which libusb's own messages are logged to the {@link System.Logger} named
         * {@code dev.ausb.libusb}: {@code OFF}, {@code ERROR}, {@code WARNING}, {@code INFO},
         * {@code DEBUG} (libusb's debug output is verbose). Default: {@code -Dausb.libusb.log}, else
         * {@code WARNING}.
         *
         * @param level the least severe level logged; {@code OFF} logs nothing
         * @return this builder
         */
        public Builder logLevel(System.Logger.Level level) {
            this.logLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * The executor that completes transfer futures (and so runs their non-async dependent
         * stages), unless a thread is blocked in {@code join()} or {@code get()} on the future:
         * that thread completes it itself. Default: a new virtual thread per completion, so a slow
         * or blocking continuation never delays other transfers.
         *
         * @param executor runs the completions; it replaces {@link #completeOnEventThread()} if that was set
         * @return this builder
         */
        public Builder completionExecutor(Executor executor) {
            this.completionExecutor = Objects.requireNonNull(executor, "executor");
            this.completeOnEventThread = false;
            return this;
        }

        /**
         * Completes transfer futures directly on the event thread: the lowest latency, for callers
         * whose continuations are short and never block. A blocking continuation then stalls every
         * transfer of the context.
         *
         * @return this builder; it replaces a {@link #completionExecutor} set before
         */
        public Builder completeOnEventThread() {
            this.completeOnEventThread = true;
            this.completionExecutor = null;
            return this;
        }

        /**
         * The name of the event thread (default {@code ausb-events}), as thread dumps show it.
         *
         * @param name the thread's name
         * @return this builder
         */
        public Builder threadName(String name) {
            this.threadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Whether handler streams ({@link UsbInEndpoint#stream}) read into usbfs device memory where
         * the kernel offers it (Linux): buffers the kernel maps into the process, so the host
         * controller's data needs no copy in the kernel. Off by default, because such memory cannot
         * be pinned by other I/O: a handler that passes {@link UsbBuffer#asByteBuffer()} straight
         * to a write that pins user pages (a file opened with {@code O_DIRECT}, a 9p, FUSE or
         * other zero-copy file system, some socket paths) gets {@code EFAULT} ("Bad address") there.
         * Turn it on when the handler only reads or copies the bytes. Where the kernel refuses
         * (other platforms, usbfs memory used up), ordinary native memory is used.
         *
         * @param enable true to use device memory for handler streams' buffers
         * @return this builder
         */
        public Builder deviceMemory(boolean enable) {
            this.deviceMemory = enable;
            return this;
        }

        /**
         * Creates the context and starts its event thread.
         *
         * @return a new open context, its event thread running
         * @throws UsbLibraryMissingException if libusb-1.0 cannot be loaded
         * @throws UsbUnavailableException    if this machine has no USB libusb can reach
         */
        public UsbContext build() {
            return ContextImpl.create(logLevel, completionExecutor, completeOnEventThread, threadName, deviceMemory);
        }
    }
}
