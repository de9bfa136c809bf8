/**
 * Asynchronous USB for Java: find devices, read their descriptors, open them and move data, on
 * libusb-1.0 through the Foreign Function &amp; Memory API.
 *
 * <h2>Where to start</h2>
 * {@link dev.ausb.UsbContext} enumerates devices ({@link dev.ausb.UsbContext#devices()}) and looks
 * them up by criteria ({@link dev.ausb.UsbDeviceFilter}). A {@link dev.ausb.UsbDevice} carries the
 * whole descriptor tree as immutable values (configuration, interface, alternate setting,
 * endpoint); {@link dev.ausb.UsbDevice#open()} gives a {@link dev.ausb.UsbDeviceHandle} for I/O.
 * {@snippet :
 * try (UsbContext usb = UsbContext.create()) {
 *     for (UsbDevice dev : usb.devices()) {
 *         System.out.printf("Bus %03d Device %03d: ID %04x:%04x%n",
 *                 dev.bus(), dev.address(), dev.vendorId(), dev.productId());
 *         for (UsbConfiguration cfg : dev.configurations()) {
 *             for (UsbInterface itf : cfg.interfaces()) {
 *                 for (UsbAlternateSetting alt : itf.alternateSettings()) {
 *                     for (UsbEndpoint ep : alt.endpoints()) {
 *                         System.out.printf("  %s %s endpoint %02x, max packet %d%n", ep.transferType(),
 *                                 ep.direction(), ep.address(), ep.maxPacketSize());
 *                     }
 *                 }
 *             }
 *         }
 *     }
 * }
 * }
 *
 * <p>Control requests take a {@link dev.ausb.UsbControlRequest} or, as other libraries do, the whole
 * {@code bmRequestType} byte ({@link dev.ausb.UsbDeviceHandle#control(int, int, int, int, int)});
 * {@link dev.ausb.UsbInterfaceHandle} and {@link dev.ausb.UsbEndpointHandle} address requests to
 * themselves. The protocol's numbers have names: {@link dev.ausb.UsbStandardRequest},
 * {@link dev.ausb.UsbDescriptorType}, {@link dev.ausb.UsbClassCode}, {@link dev.ausb.UsbFeature},
 * {@link dev.ausb.UsbLanguage}, {@link dev.ausb.UsbDfuRequest}. Hub port control is in
 * {@link dev.ausb.hub}, firmware loaders for Cypress FX2 and FX3 in {@link dev.ausb.firmware}; both
 * are built on this package alone.
 *
 * <h2>Information and handles</h2>
 * Descriptor types and {@code UsbDevice} accessors return cached data and never do I/O. Methods
 * named {@code read*} and {@code open*} do I/O, and say so. Whatever holds a native resource
 * ({@code UsbContext}, {@code UsbDeviceHandle}) is {@link java.lang.AutoCloseable}; closing twice
 * is harmless, closing a context closes the handles opened through it, and no finalizer or
 * garbage collection releases anything.
 *
 * <h2>Threads</h2>
 * Each context runs one platform daemon thread, named {@code ausb-events}, that handles libusb's
 * events for all its devices. User code never runs on it unless asked for with
 * {@link dev.ausb.UsbContext.Builder#completeOnEventThread()}: by default a transfer's future is
 * completed on a new virtual thread (or by the thread blocked in its {@code join()} or
 * {@code get()}, saving the hop), so a slow or blocking continuation delays nothing else.
 * Every public type is thread-safe unless its documentation says otherwise; blocking on a future
 * from a virtual thread does not pin its carrier.
 *
 * <h2 id="lifecycle">The transfer lifecycle</h2>
 * Every transfer ({@link dev.ausb.UsbTransferFuture}) and every stream keeps these promises under
 * any interleaving of completion, cancel, timeout, close and unplug, from any thread:
 * <ol>
 * <li><b>Exactly once.</b> A transfer's future completes exactly once, and its
 *     {@link dev.ausb.UsbTransferFuture#reaped() reaped()} always completes: with libusb's final
 *     status once libusb handed the transfer back, or with {@code NOT_SUBMITTED} when it never
 *     reached libusb (a failed submission, a cancel before submission, a closed interface).</li>
 * <li><b>Cancel in any state.</b> A cancel (or timeout, or any completion from outside) reaches the
 *     transfer whether it is not yet submitted, waiting behind an earlier cancelled transfer of its
 *     endpoint, in flight, or completing. Transfers on one endpoint reach libusb in the order they
 *     were submitted, also across cancels: what is submitted while a cancelled transfer is not yet
 *     handed back waits for it, then goes out in order. While
 *     {@code selectAlternateSetting} runs (it cancels the interface's transfers before
 *     SET_INTERFACE), new submissions on that interface fail with
 *     {@link java.lang.IllegalStateException} instead of being killed by the switch.</li>
 * <li><b>Close from anywhere, in bounded time.</b> {@code close()} of a context, handle, interface
 *     or stream may be called from any thread: a continuation of one of its own transfers, a stream
 *     handler or subscriber, the event thread, concurrently with {@code open()} or submissions. It
 *     cancels what is in flight and returns once libusb handed it all back; called where waiting
 *     could never end (on the event thread, or inside a stream's own handler), it marks the object
 *     closed, finishes on a helper thread (a stream closed from its own handler: on its delivery
 *     thread) and returns at once, and a second {@code close()} of that context or handle from
 *     another thread waits for that. Nothing touches native memory after it is freed.</li>
 * <li><b>Fail fast on the event thread.</b> A call that would block on the event thread, the thread
 *     that completes every transfer of its context ({@code join}, {@code get}, the string and BOS
 *     reads, a stream write that waits for a free buffer), throws {@link java.lang.IllegalStateException}
 *     at once instead of deadlocking the context.</li>
 * <li><b>Nothing wedges.</b> A completion executor that refuses work, an {@link java.lang.OutOfMemoryError}
 *     while a transfer completes, or a stray interrupt never leaves a future incomplete, a close
 *     waiting or the event thread stopped: the future completes on a fallback thread, the event loop
 *     goes on, and waits keep an interrupt for the caller instead of spinning.</li>
 * <li><b>No stale memory.</b> A {@link dev.ausb.UsbBuffer} used after it was closed or after its
 *     handler returned throws {@link java.lang.IllegalStateException}, and so does a segment of it
 *     kept past its stream's end: it never reads freed or unmapped memory.</li>
 * </ol>
 * Blocking libusb calls that the API makes synchronous ({@code claimInterface}, {@code clearHalt},
 * {@code selectAlternateSetting}, {@code reset}) run on the calling thread; on a virtual thread they
 * pin its carrier for the length of the ioctl, so call them from a platform thread when the device
 * may be slow to answer.
 *
 * <h2>Errors</h2>
 * Every USB failure is a {@link dev.ausb.UsbException}, a sealed family with one type per thing a
 * caller acts on differently: {@link dev.ausb.UsbTimeoutException},
 * {@link dev.ausb.UsbStallException}, {@link dev.ausb.UsbDeviceGoneException},
 * {@link dev.ausb.UsbOverflowException}, {@link dev.ausb.UsbAccessDeniedException},
 * {@link dev.ausb.UsbBusyException} and the rest. They are unchecked: most operations are
 * asynchronous and report failure by completing a future exceptionally, where a checked exception
 * would arrive wrapped anyway, and unchecked exceptions keep lambdas and streams usable. Bad
 * arguments fail at once with {@link java.lang.IllegalArgumentException}; use of a closed context
 * or handle with {@link java.lang.IllegalStateException}.
 *
 * <h2>Null</h2>
 * No method accepts or returns {@code null} unless its documentation says so; absent values are
 * {@link java.util.Optional}. Passing {@code null} throws {@link java.lang.NullPointerException}.
 *
 * <h2>Platform notes</h2>
 * ausb needs libusb-1.0 (1.0.21 or newer) installed; it looks for the system library and honours
 * {@code -Dausb.libusb.path} and {@code $AUSB_LIBUSB}. Run with
 * {@code --enable-native-access=dev.ausb} (or {@code ALL-UNNAMED} on the class path). libusb's own
 * messages go to the {@link java.lang.System.Logger} named {@code dev.ausb.libusb}.
 */
package dev.ausb;
