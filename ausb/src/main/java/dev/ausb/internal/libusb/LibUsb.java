package dev.ausb.internal.libusb;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The libusb-1.0 functions ausb calls, bound by hand in jextract's shape: one static final
 * {@link MethodHandle} per function and a static method that calls it with {@code invokeExact}.
 *
 * <p>Only what ausb uses is bound. Functions newer than libusb 1.0.21 are optional: their handle
 * is {@code null} when the loaded library lacks them, and {@code has*()} says so. Touching this
 * class loads libusb through {@link LibUsbLoader}, so callers go through the loader first to
 * get its clear error instead of an {@link ExceptionInInitializerError}.
 *
 * <p>{@code ssize_t} and pointers are 64-bit here: ausb supports 64-bit JVMs only.
 */
public final class LibUsb {
    private LibUsb() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = LibUsbLoader.lookup();

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LIB.find(name).map(a -> LINKER.downcallHandle(a, fd, options))
                .orElseThrow(() -> new LibUsbLoader.LibraryMissingException(
                        "the loaded libusb-1.0 lacks " + name + ": ausb needs libusb 1.0.21 or newer"));
    }

    private static MethodHandle bindOptional(String name, FunctionDescriptor fd) {
        return LIB.find(name).map(a -> LINKER.downcallHandle(a, fd)).orElse(null);
    }

    private static final MethodHandle INIT = bind("libusb_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle INIT_CONTEXT = bindOptional("libusb_init_context",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle EXIT = bind("libusb_exit", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle SET_OPTION_INT = bind("libusb_set_option",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SET_LOG_CB = bindOptional("libusb_set_log_cb",
            FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle GET_VERSION = bind("libusb_get_version", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle HAS_CAPABILITY = bind("libusb_has_capability",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle ERROR_NAME = bind("libusb_error_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle STRERROR = bind("libusb_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static final MethodHandle GET_DEVICE_LIST = bind("libusb_get_device_list",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS));
    private static final MethodHandle FREE_DEVICE_LIST = bind("libusb_free_device_list",
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
    private static final MethodHandle REF_DEVICE = bind("libusb_ref_device", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle UNREF_DEVICE = bind("libusb_unref_device", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle GET_BUS_NUMBER = bind("libusb_get_bus_number",
            FunctionDescriptor.of(JAVA_BYTE, ADDRESS));
    private static final MethodHandle GET_DEVICE_ADDRESS = bind("libusb_get_device_address",
            FunctionDescriptor.of(JAVA_BYTE, ADDRESS));
    private static final MethodHandle GET_PORT_NUMBER = bind("libusb_get_port_number",
            FunctionDescriptor.of(JAVA_BYTE, ADDRESS));
    private static final MethodHandle GET_PORT_NUMBERS = bind("libusb_get_port_numbers",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle GET_PARENT = bind("libusb_get_parent", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle GET_DEVICE_SPEED = bind("libusb_get_device_speed",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle GET_DEVICE_DESCRIPTOR = bind("libusb_get_device_descriptor",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GET_CONFIG_DESCRIPTOR = bind("libusb_get_config_descriptor",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BYTE, ADDRESS));
    private static final MethodHandle FREE_CONFIG_DESCRIPTOR = bind("libusb_free_config_descriptor",
            FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle GET_DEVICE_STRING = bindOptional("libusb_get_device_string",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));

    private static final MethodHandle OPEN = bind("libusb_open", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CLOSE = bind("libusb_close", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle GET_DEVICE = bind("libusb_get_device", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle CONTROL_TRANSFER = bind("libusb_control_transfer", FunctionDescriptor.of(
            JAVA_INT, ADDRESS, JAVA_BYTE, JAVA_BYTE, JAVA_SHORT, JAVA_SHORT, ADDRESS, JAVA_SHORT, JAVA_INT));
    private static final MethodHandle GET_CONFIGURATION = bind("libusb_get_configuration",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SET_CONFIGURATION = bind("libusb_set_configuration",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLAIM_INTERFACE = bind("libusb_claim_interface",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RELEASE_INTERFACE = bind("libusb_release_interface",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SET_INTERFACE_ALT_SETTING = bind("libusb_set_interface_alt_setting",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLEAR_HALT = bind("libusb_clear_halt",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BYTE));
    private static final MethodHandle RESET_DEVICE = bind("libusb_reset_device", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle KERNEL_DRIVER_ACTIVE = bind("libusb_kernel_driver_active",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle DETACH_KERNEL_DRIVER = bind("libusb_detach_kernel_driver",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ATTACH_KERNEL_DRIVER = bind("libusb_attach_kernel_driver",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SET_AUTO_DETACH = bind("libusb_set_auto_detach_kernel_driver",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ALLOC_STREAMS = bind("libusb_alloc_streams",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FREE_STREAMS = bind("libusb_free_streams",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle TRANSFER_SET_STREAM_ID = bind("libusb_transfer_set_stream_id",
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
    private static final MethodHandle DEV_MEM_ALLOC = bindOptional("libusb_dev_mem_alloc",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle DEV_MEM_FREE = bindOptional("libusb_dev_mem_free",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));

    private static final MethodHandle ALLOC_TRANSFER = bind("libusb_alloc_transfer",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle FREE_TRANSFER = bind("libusb_free_transfer", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle SUBMIT_TRANSFER = bind("libusb_submit_transfer",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle CANCEL_TRANSFER = bind("libusb_cancel_transfer",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle HANDLE_EVENTS_TIMEOUT_COMPLETED = bind(
            "libusb_handle_events_timeout_completed", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle INTERRUPT_EVENT_HANDLER = bind("libusb_interrupt_event_handler",
            FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle HOTPLUG_REGISTER = bind("libusb_hotplug_register_callback",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS,
                    ADDRESS));

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // ---- library and context ------------------------------------------------------------------

    /** True when libusb_init_context (1.0.27+) is present. */
    public static boolean hasInitContext() {
        return INIT_CONTEXT != null;
    }

    /** True when libusb_set_log_cb (1.0.23+) is present. */
    public static boolean hasLogCallback() {
        return SET_LOG_CB != null;
    }

    /** True when libusb_get_device_string (1.0.30+) is present. */
    public static boolean hasDeviceString() {
        return GET_DEVICE_STRING != null;
    }

    /** True when libusb_dev_mem_alloc (1.0.21+, a no-op stub on some platforms) is present. */
    public static boolean hasDevMem() {
        return DEV_MEM_ALLOC != null && DEV_MEM_FREE != null;
    }

    public static int init(MemorySegment ctxOut) {
        try {
            return (int) INIT.invokeExact(ctxOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int initContext(MemorySegment ctxOut, MemorySegment options, int count) {
        try {
            return (int) INIT_CONTEXT.invokeExact(ctxOut, options, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void exit(MemorySegment ctx) {
        try {
            EXIT.invokeExact(ctx);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setOption(MemorySegment ctx, int option, int value) {
        try {
            return (int) SET_OPTION_INT.invokeExact(ctx, option, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void setLogCallback(MemorySegment ctx, MemorySegment cb, int mode) {
        try {
            SET_LOG_CB.invokeExact(ctx, cb, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The C library's per-thread errno location ({@code __errno_location} on Linux, {@code __error}
     * on macOS and the BSDs, {@code _errno} in Windows' C runtime), or null where none exists. A log callback restores errno through it:
     * libusb logs a failure before it reads errno to choose its return code (an open refused with
     * EACCES logs, then returns ACCESS only if errno is still EACCES), and the JVM's work in an upcall
     * may change errno.
     */
    private static final MethodHandle ERRNO_LOCATION = errnoLocation();

    private static MethodHandle errnoLocation() {
        SymbolLookup libc = LINKER.defaultLookup();
        for (String name : new String[] {"__errno_location", "__error", "_errno"}) {
            var sym = libc.find(name);
            if (sym.isPresent()) {
                // critical: no thread-state change around the call, so no safepoint (whose futex could
                // itself set errno) between the upcall's work and the read or the restore
                return LINKER.downcallHandle(sym.get(), FunctionDescriptor.of(ADDRESS), Linker.Option.critical(false));
            }
        }
        return null;
    }

    /**
     * Windows' per-thread last error ({@code GetLastError}/{@code SetLastError} of kernel32), which
     * libusb's Windows backends read after a failed call, sometimes after logging it: a log
     * callback keeps it as it was, as it keeps errno. Null elsewhere, or where kernel32 is not found.
     */
    private static final MethodHandle GET_LAST_ERROR;
    private static final MethodHandle SET_LAST_ERROR;

    static {
        MethodHandle get = null;
        MethodHandle set = null;
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            try {
                SymbolLookup kernel32 = SymbolLookup.libraryLookup("kernel32", Arena.global());
                var g = kernel32.find("GetLastError");
                var st = kernel32.find("SetLastError");
                if (g.isPresent() && st.isPresent()) {
                    get = LINKER.downcallHandle(g.get(), FunctionDescriptor.of(JAVA_INT), Linker.Option.critical(false));
                    set = LINKER.downcallHandle(st.get(), FunctionDescriptor.ofVoid(JAVA_INT), Linker.Option.critical(false));
                }
            } catch (RuntimeException e) {
                // no kernel32 to be had: nothing to keep
            }
        }
        GET_LAST_ERROR = get;
        SET_LAST_ERROR = set;
    }

    /**
     * This thread's Windows last error, or -1 where there is none to read (not Windows).
     *
     * @return the last error code, or -1
     */
    public static int lastError() {
        if (GET_LAST_ERROR == null) {
            return -1;
        }
        try {
            return (int) GET_LAST_ERROR.invokeExact();
        } catch (Throwable t) {
            return -1;
        }
    }

    /**
     * Sets this thread's Windows last error back to {@code code}, as read by {@link #lastError()};
     * nothing where there is none (a {@code code} of -1, or not Windows).
     *
     * @param code the code {@link #lastError()} returned
     */
    public static void restoreLastError(int code) {
        if (SET_LAST_ERROR == null || code == -1) {
            return;
        }
        try {
            SET_LAST_ERROR.invokeExact(code);
        } catch (Throwable t) {
            // nothing to restore with
        }
    }

    /** This thread's errno as a 4-byte segment, or null if the C library's location is unknown. */
    public static MemorySegment errno() {
        if (ERRNO_LOCATION == null) {
            return null;
        }
        try {
            return ((MemorySegment) ERRNO_LOCATION.invokeExact()).reinterpret(JAVA_INT.byteSize());
        } catch (Throwable t) {
            return null;
        }
    }

    /** Returns libusb's static version struct (never freed). */
    public static MemorySegment getVersion() {
        try {
            return ((MemorySegment) GET_VERSION.invokeExact()).reinterpret(Structs.VERSION.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static boolean hasCapability(int capability) {
        try {
            return (int) HAS_CAPABILITY.invokeExact(capability) != 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static String errorName(int code) {
        try {
            return Structs.cString((MemorySegment) ERROR_NAME.invokeExact(code));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static String strerror(int code) {
        try {
            return Structs.cString((MemorySegment) STRERROR.invokeExact(code));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- devices -----------------------------------------------------------------------------

    public static long getDeviceList(MemorySegment ctx, MemorySegment listOut) {
        try {
            return (long) GET_DEVICE_LIST.invokeExact(ctx, listOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void freeDeviceList(MemorySegment list, boolean unref) {
        try {
            FREE_DEVICE_LIST.invokeExact(list, unref ? 1 : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment refDevice(MemorySegment dev) {
        try {
            return (MemorySegment) REF_DEVICE.invokeExact(dev);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void unrefDevice(MemorySegment dev) {
        try {
            UNREF_DEVICE.invokeExact(dev);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getBusNumber(MemorySegment dev) {
        try {
            return Byte.toUnsignedInt((byte) GET_BUS_NUMBER.invokeExact(dev));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getDeviceAddress(MemorySegment dev) {
        try {
            return Byte.toUnsignedInt((byte) GET_DEVICE_ADDRESS.invokeExact(dev));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getPortNumber(MemorySegment dev) {
        try {
            return Byte.toUnsignedInt((byte) GET_PORT_NUMBER.invokeExact(dev));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getPortNumbers(MemorySegment dev, MemorySegment out, int len) {
        try {
            return (int) GET_PORT_NUMBERS.invokeExact(dev, out, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment getParent(MemorySegment dev) {
        try {
            return (MemorySegment) GET_PARENT.invokeExact(dev);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getDeviceSpeed(MemorySegment dev) {
        try {
            return (int) GET_DEVICE_SPEED.invokeExact(dev);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getDeviceDescriptor(MemorySegment dev, MemorySegment out) {
        try {
            return (int) GET_DEVICE_DESCRIPTOR.invokeExact(dev, out);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getConfigDescriptor(MemorySegment dev, int index, MemorySegment configOut) {
        try {
            return (int) GET_CONFIG_DESCRIPTOR.invokeExact(dev, (byte) index, configOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void freeConfigDescriptor(MemorySegment config) {
        try {
            FREE_CONFIG_DESCRIPTOR.invokeExact(config);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** libusb 1.0.30+: a cached device string (0 manufacturer, 1 product, 2 serial), UTF-8. */
    public static int getDeviceString(MemorySegment dev, int type, MemorySegment buf, int len) {
        try {
            return (int) GET_DEVICE_STRING.invokeExact(dev, type, buf, len);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- handles -----------------------------------------------------------------------------

    public static int open(MemorySegment dev, MemorySegment handleOut) {
        try {
            return (int) OPEN.invokeExact(dev, handleOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void close(MemorySegment handle) {
        try {
            CLOSE.invokeExact(handle);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment getDevice(MemorySegment handle) {
        try {
            return (MemorySegment) GET_DEVICE.invokeExact(handle);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Synchronous control transfer; ausb uses it only where libusb's own API would (strings, BOS). */
    public static int controlTransfer(MemorySegment handle, int requestType, int request, int value, int index,
            MemorySegment data, int length, int timeoutMillis) {
        try {
            return (int) CONTROL_TRANSFER.invokeExact(handle, (byte) requestType, (byte) request, (short) value,
                    (short) index, data, (short) length, timeoutMillis);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getConfiguration(MemorySegment handle, MemorySegment out) {
        try {
            return (int) GET_CONFIGURATION.invokeExact(handle, out);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setConfiguration(MemorySegment handle, int value) {
        try {
            return (int) SET_CONFIGURATION.invokeExact(handle, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int claimInterface(MemorySegment handle, int number) {
        try {
            return (int) CLAIM_INTERFACE.invokeExact(handle, number);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int releaseInterface(MemorySegment handle, int number) {
        try {
            return (int) RELEASE_INTERFACE.invokeExact(handle, number);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setInterfaceAltSetting(MemorySegment handle, int number, int alt) {
        try {
            return (int) SET_INTERFACE_ALT_SETTING.invokeExact(handle, number, alt);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int clearHalt(MemorySegment handle, int endpoint) {
        try {
            return (int) CLEAR_HALT.invokeExact(handle, (byte) endpoint);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int resetDevice(MemorySegment handle) {
        try {
            return (int) RESET_DEVICE.invokeExact(handle);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int kernelDriverActive(MemorySegment handle, int number) {
        try {
            return (int) KERNEL_DRIVER_ACTIVE.invokeExact(handle, number);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int detachKernelDriver(MemorySegment handle, int number) {
        try {
            return (int) DETACH_KERNEL_DRIVER.invokeExact(handle, number);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int attachKernelDriver(MemorySegment handle, int number) {
        try {
            return (int) ATTACH_KERNEL_DRIVER.invokeExact(handle, number);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int setAutoDetachKernelDriver(MemorySegment handle, boolean enable) {
        try {
            return (int) SET_AUTO_DETACH.invokeExact(handle, enable ? 1 : 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Device memory for zero-copy transfers (Linux usbfs mmap); NULL when the platform has none. */
    public static MemorySegment devMemAlloc(MemorySegment handle, long size) {
        if (!hasDevMem()) {
            return MemorySegment.NULL;
        }
        try {
            return (MemorySegment) DEV_MEM_ALLOC.invokeExact(handle, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int devMemFree(MemorySegment handle, MemorySegment buffer, long size) {
        try {
            return (int) DEV_MEM_FREE.invokeExact(handle, buffer, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- USB 3 bulk streams ------------------------------------------------------------------

    /** The {@code unsigned char *endpoints} array the stream functions take. */
    private static MemorySegment endpointArray(java.lang.foreign.Arena a, int[] endpoints) {
        MemorySegment eps = a.allocate(endpoints.length);
        for (int i = 0; i < endpoints.length; i++) {
            eps.set(JAVA_BYTE, i, (byte) endpoints[i]);
        }
        return eps;
    }

    /** libusb_alloc_streams: {@code count} streams on each endpoint; the number allocated, or an error code. */
    public static int allocStreams(MemorySegment handle, int count, int[] endpoints) {
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment eps = endpointArray(a, endpoints);
            return (int) ALLOC_STREAMS.invokeExact(handle, count, eps, endpoints.length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** libusb_free_streams: frees the streams of the endpoints; 0 or an error code. */
    public static int freeStreams(MemorySegment handle, int[] endpoints) {
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment eps = endpointArray(a, endpoints);
            return (int) FREE_STREAMS.invokeExact(handle, eps, endpoints.length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * libusb_transfer_set_stream_id: the stream of the next submission of a bulk-stream transfer
     * (libusb keeps it beside the struct, in memory libusb_alloc_transfer allocated).
     */
    public static void transferSetStreamId(MemorySegment transfer, int streamId) {
        try {
            TRANSFER_SET_STREAM_ID.invokeExact(transfer, streamId);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- asynchronous transfers and events ---------------------------------------------------

    public static MemorySegment allocTransfer(int isoPackets) {
        try {
            return (MemorySegment) ALLOC_TRANSFER.invokeExact(isoPackets);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void freeTransfer(MemorySegment transfer) {
        try {
            FREE_TRANSFER.invokeExact(transfer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int submitTransfer(MemorySegment transfer) {
        try {
            return (int) SUBMIT_TRANSFER.invokeExact(transfer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int cancelTransfer(MemorySegment transfer) {
        try {
            return (int) CANCEL_TRANSFER.invokeExact(transfer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int handleEventsTimeoutCompleted(MemorySegment ctx, MemorySegment timeval, MemorySegment completed) {
        try {
            return (int) HANDLE_EVENTS_TIMEOUT_COMPLETED.invokeExact(ctx, timeval, completed);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * libusb_hotplug_register_callback for every device (vendor, product and class
     * LIBUSB_HOTPLUG_MATCH_ANY), without LIBUSB_HOTPLUG_ENUMERATE; the handle goes to {@code handleOut}.
     * ausb never deregisters it: libusb_exit frees it with the context.
     */
    public static int hotplugRegister(MemorySegment ctx, int events, MemorySegment callback, MemorySegment handleOut) {
        try {
            return (int) HOTPLUG_REGISTER.invokeExact(ctx, events, 0, Structs.HOTPLUG_MATCH_ANY, Structs.HOTPLUG_MATCH_ANY,
                    Structs.HOTPLUG_MATCH_ANY, callback, MemorySegment.NULL, handleOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void interruptEventHandler(MemorySegment ctx) {
        try {
            INTERRUPT_EVENT_HANDLER.invokeExact(ctx);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Returns an upcall stub for {@code void (*)(struct libusb_transfer *)}; see {@link Structs#TRANSFER_CB}. */
    public static Linker linker() {
        return LINKER;
    }

    /** Optional lookup of a symbol, for diagnostics. */
    public static Optional<MemorySegment> find(String name) {
        return LIB.find(name);
    }
}
