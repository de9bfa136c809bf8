package dev.ausb.internal;

import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbException;
import dev.ausb.UsbTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@link UsbDeviceHandle#reopen}: waits, on the context's hotplug events, for a device at the place
 * the handle's device was (its bus and port path, or the USB 3 peer of that port) that matches what
 * is expected back, and opens it.
 */
final class Reopen {
    private Reopen() {}

    /** Closes nothing itself: the caller closed its handle; this waits for the device and opens it. */
    static UsbDeviceHandle await(ContextImpl context, DeviceImpl was, UsbDeviceFilter expected, Duration timeout) {
        long start = System.nanoTime();
        long nanos = nanos(timeout);
        long deadline = start + nanos; // compared as a difference below, so an overflow here is harmless
        LinuxSysfs.Place here = new LinuxSysfs.Place(was.bus(), was.portPath());
        Optional<LinuxSysfs.Place> peer = LinuxSysfs.peerPort(here.bus(), here.portPath());
        // never the device the handle had: it is the one that goes away, even if it has not yet
        // off Linux there is no sysfs to name the peer port, and a device that comes back at SuperSpeed
        // (an FX3 after its load) is on another port or bus: there a device of the ids expected that
        // arrives after the wait began will do wherever it is (not one that was attached already,
        // and not for a reopen that expects anything: that needs the place)
        boolean anywhere = !LinuxSysfs.LINUX && expected != UsbDeviceFilter.any();
        long since = context.deviceClock();
        UsbDeviceFilter back = expected.matching("at " + here + peer.map(p -> " or its USB 3 peer port, " + p).orElse("")
                + (anywhere ? " or anywhere, if it arrives from now on" : "") + ", not " + was.label(),
                d -> d != was && d.isAttached() && (at(d, here) || peer.filter(p -> at(d, p)).isPresent()
                        || anywhere && d instanceof DeviceImpl di && di.born > since));
        UsbException last = null;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw timedOut(back, timeout, last);
            }
            UsbDevice d = awaitOne(context, back, Duration.ofNanos(left), timeout, last);
            try {
                return d.open();
            } catch (UsbException e) {
                last = e; // still settling (udev setting permissions), or the device that was there is leaving
            }
            sleep(Math.min(20_000_000L, Math.max(0, deadline - System.nanoTime())), back);
        }
    }

    private static UsbDevice awaitOne(ContextImpl context, UsbDeviceFilter back, Duration left, Duration timeout,
            UsbException last) {
        CompletableFuture<UsbDevice> f = context.awaitDevice(back, left);
        try {
            return f.get(); // bounded: the future fails with UsbTimeoutException when left is over
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a device " + back, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UsbTimeoutException) {
                throw timedOut(back, timeout, last); // with reopen's own message and the last open's failure
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // the context closed
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static boolean at(UsbDevice d, LinuxSysfs.Place p) {
        return d.bus() == p.bus() && d.portPath().equals(p.portPath());
    }

    private static void sleep(long nanos, UsbDeviceFilter back) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a device " + back, e);
        }
    }

    private static UsbTimeoutException timedOut(UsbDeviceFilter back, Duration timeout, UsbException last) {
        return new UsbTimeoutException("no device came back (" + back + ") within " + timeout
                + (last == null ? "" : "; the last one found could not be opened: " + last.getMessage()),
                Errors.ERROR_TIMEOUT, Errors.errorName(Errors.ERROR_TIMEOUT), 0, last);
    }

    /** Checks reopen's arguments before the handle is closed: a bad call loses nothing. */
    static void check(DeviceImpl was, UsbDeviceFilter expected, Duration timeout) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("reopen waits for a positive time, not " + timeout);
        }
        if (was.portPath().isEmpty()) {
            throw new IllegalStateException(was.label() + " has no port path (a root hub, or one libusb could not"
                    + " place): reopen cannot tell where it comes back");
        }
    }

    /** The timeout in nanoseconds, at most Long.MAX_VALUE (about 292 years: forever). */
    private static long nanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
