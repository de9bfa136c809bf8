package dev.ausb.internal;

import dev.ausb.UsbAlternateSetting;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbNotSupportedException;
import dev.ausb.UsbSpeed;
import dev.ausb.UsbSuperSpeedCompanion;
import dev.ausb.UsbTransferType;
import dev.ausb.internal.libusb.LibUsb;
import java.util.HashMap;
import java.util.Map;

/**
 * The USB 3 bulk streams of one claimed interface: which endpoints have how many, allocated by
 * {@code libusb_alloc_streams} and freed by {@code libusb_free_streams}, by a release (the kernel
 * frees them with the interface) or by a switch of alternate setting (the endpoints they were on
 * are gone). Guarded by the interface's monitor.
 */
final class BulkStreams {
    /** USB 3's largest stream ID is 65533 (65534 and 65535 are reserved). */
    static final int MAX = 65533;

    private final InterfaceImpl itf;
    private final Map<Integer, Integer> allocated = new HashMap<>();

    BulkStreams(InterfaceImpl itf) {
        this.itf = itf;
    }

    /** Allocates {@code count} streams on each endpoint (see UsbInterfaceHandle#allocateBulkStreams). */
    int allocate(UsbAlternateSetting alt, int count, int[] endpoints) {
        if (count < 1 || count > MAX) {
            throw new IllegalArgumentException("a bulk endpoint has 1.." + MAX + " streams, not " + count);
        }
        java.util.Objects.requireNonNull(endpoints, "endpoints");
        if (endpoints.length == 0 || endpoints.length > 30) {
            throw new IllegalArgumentException("streams are allocated on 1..30 endpoints, not " + endpoints.length);
        }
        distinct(endpoints);
        HandleImpl h = itf.handle;
        UsbSpeed speed = h.deviceImpl().speed();
        String device = h.deviceImpl().label();
        if (speed != UsbSpeed.SUPER && speed != UsbSpeed.SUPER_PLUS && speed != UsbSpeed.SUPER_PLUS_X2) {
            throw new UsbNotSupportedException("bulk streams are a SuperSpeed feature; " + device + " runs at " + speed,
                    Errors.ERROR_NOT_SUPPORTED, Errors.errorName(Errors.ERROR_NOT_SUPPORTED), 0, null);
        }
        for (int address : endpoints) {
            UsbEndpoint ep = alt.endpoint(address).orElseThrow(() -> new IllegalArgumentException(String.format(
                    "alternate setting %d of interface %d has no endpoint 0x%02x", alt.alternateSetting(), itf.number(),
                    address)));
            if (ep.transferType() != UsbTransferType.BULK) {
                throw new IllegalArgumentException(String.format("endpoint 0x%02x is %s: streams are for bulk endpoints",
                        address, ep.transferType().name().toLowerCase(java.util.Locale.ROOT)));
            }
            int max = ep.superSpeedCompanion().map(UsbSuperSpeedCompanion::maxStreams).orElse(0);
            if (max == 0) {
                throw new UsbNotSupportedException(String.format("bulk endpoint 0x%02x of %s has no streams (its"
                        + " SuperSpeed companion's bmAttributes offer none)", address, device),
                        Errors.ERROR_NOT_SUPPORTED, Errors.errorName(Errors.ERROR_NOT_SUPPORTED), 0, null);
            }
            if (allocated.containsKey(address)) {
                throw new IllegalStateException(String.format("endpoint 0x%02x of %s has %d streams already: free them"
                        + " first", address, device, allocated.get(address)));
            }
        }
        int rc = h.withOpen(() -> LibUsb.allocStreams(h.handle(), count, endpoints));
        String what = String.format("allocate %d bulk streams on %s of %s", count, addresses(endpoints), device);
        String hcd = LinuxSysfs.hostControllerDriver(h.deviceImpl().bus()).map(d -> " (" + d + ")").orElse("");
        if (rc == 0) {
            // a host controller without streams may say so by allocating none (vhci_hcd does)
            throw new UsbNotSupportedException(what + ": the host controller" + hcd + " allocated none: it has no"
                    + " bulk streams", Errors.ERROR_NOT_SUPPORTED, Errors.errorName(Errors.ERROR_NOT_SUPPORTED), 0, null);
        }
        if (rc < 0) {
            if (rc == Errors.ERROR_INVALID_PARAM || rc == Errors.ERROR_NOT_SUPPORTED) {
                throw new UsbNotSupportedException(what + ": " + Errors.errorName(rc) + "; the host controller" + hcd
                        + " has no bulk streams, or refused them for these endpoints", rc, Errors.errorName(rc), 0, null);
            }
            throw Errors.of(rc, what, null);
        }
        for (int address : endpoints) {
            allocated.put(address, rc);
        }
        return rc;
    }

    /** Frees the streams of the endpoints (those without streams are an error, before anything is freed). */
    void free(int[] endpoints) {
        java.util.Objects.requireNonNull(endpoints, "endpoints");
        if (endpoints.length == 0 || endpoints.length > 30) {
            throw new IllegalArgumentException("streams are freed on 1..30 endpoints, not " + endpoints.length);
        }
        distinct(endpoints);
        for (int address : endpoints) {
            if (!allocated.containsKey(address)) {
                throw new IllegalStateException(String.format("endpoint 0x%02x has no streams to free", address));
            }
        }
        HandleImpl h = itf.handle;
        int rc = h.withOpen(() -> LibUsb.freeStreams(h.handle(), endpoints));
        Errors.check(rc, "free the bulk streams of " + addresses(endpoints) + " of " + h.deviceImpl().label());
        for (int address : endpoints) {
            allocated.remove(address); // after a failure they stay listed: the kernel may still have them
        }
    }

    /** The streams allocated on {@code address} (0 if none). */
    int count(int address) {
        return allocated.getOrDefault(address, 0);
    }

    /** The endpoints lost their streams (a release, a switch of alternate setting). */
    void forget() {
        allocated.clear();
    }

    /** Checks that {@code streamId} is one of the endpoint's streams; the label names it. */
    void check(int address, int streamId, String label) {
        int n = allocated.getOrDefault(address, 0);
        if (n == 0) {
            throw new IllegalStateException(label + " has no bulk streams: allocateBulkStreams first");
        }
        if (streamId < 1 || streamId > n) {
            throw new IllegalArgumentException(label + " has streams 1.." + n + ", not " + streamId);
        }
    }

    private static void distinct(int[] endpoints) {
        for (int i = 0; i < endpoints.length; i++) {
            for (int j = 0; j < i; j++) {
                if (endpoints[i] == endpoints[j]) {
                    throw new IllegalArgumentException(String.format("endpoint 0x%02x is listed twice", endpoints[i]));
                }
            }
        }
    }

    private static String addresses(int[] endpoints) {
        StringBuilder b = new StringBuilder();
        for (int a : endpoints) {
            b.append(b.isEmpty() ? "" : ", ").append(String.format("0x%02x", a));
        }
        return "endpoint" + (endpoints.length == 1 ? " " : "s ") + b;
    }
}
