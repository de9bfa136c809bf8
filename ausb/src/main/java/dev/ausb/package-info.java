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
 * completed on a new virtual thread, so a slow or blocking continuation delays nothing else.
 * Every public type is thread-safe unless its documentation says otherwise; blocking on a future
 * from a virtual thread does not pin its carrier.
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
