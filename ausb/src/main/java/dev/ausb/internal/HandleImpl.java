package dev.ausb.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.ausb.UsbBos;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDeviceStrings;
import dev.ausb.UsbStallException;
import dev.ausb.internal.libusb.LibUsb;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
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
    private volatile Integer firstLanguage;

    private HandleImpl(DeviceImpl device, MemorySegment handle) {
        this.device = device;
        this.context = device.contextImpl();
        this.handle = handle;
    }

    /** Opens the device; the caller holds the context's read lock. */
    static HandleImpl open(DeviceImpl device) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            int rc = LibUsb.open(device.pointer(), out);
            if (rc < 0) {
                String hint = rc == Errors.ERROR_ACCESS
                        ? Errors.accessHint(device.vendorId(), device.productId()) : null;
                throw Errors.of(rc, "open " + device.label(), hint);
            }
            HandleImpl h = new HandleImpl(device, out.get(ADDRESS, 0));
            device.contextImpl().register(h);
            return h;
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

    /** GET_DESCRIPTOR into a fresh buffer; returns the bytes received. */
    private byte[] getDescriptor(int type, int index, int languageId, int length, String what) {
        return withOpen(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(length);
                int n = LibUsb.controlTransfer(handle, 0x80, 0x06, (type << 8) | index, languageId, buf, length,
                        STANDARD_REQUEST_TIMEOUT_MS);
                if (n < 0) {
                    throw Errors.of(n, what + " of " + device.label(), null);
                }
                return buf.asSlice(0, n).toArray(JAVA_BYTE);
            }
        });
    }

    @Override
    public List<Integer> readLanguages() {
        try {
            byte[] b = getDescriptor(DescriptorParser.DT_STRING, 0, 0, 255, "read string languages");
            return DescriptorParser.parseLanguages(b, b.length);
        } catch (UsbStallException noStrings) {
            return List.of();
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
        byte[] b = getDescriptor(DescriptorParser.DT_STRING, index, languageId, 255, "read string " + index);
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
            byte[] head = getDescriptor(DescriptorParser.DT_BOS, 0, 0, 5, "read BOS");
            if (head.length < 5) {
                return Optional.empty();
            }
            int total = Byte.toUnsignedInt(head[2]) | Byte.toUnsignedInt(head[3]) << 8;
            byte[] all = getDescriptor(DescriptorParser.DT_BOS, 0, 0, Math.max(total, 5), "read BOS");
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

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock w = lifecycle.writeLock();
        w.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            LibUsb.close(handle);
        } finally {
            w.unlock();
        }
        context.unregister(this);
    }

    @Override
    public String toString() {
        return "UsbDeviceHandle[" + device.label() + (closed ? ", closed]" : "]");
    }
}
