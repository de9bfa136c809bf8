package dev.ausb;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A USB device as enumerated: where it sits and what its descriptors say. An information object,
 * not a connection: its accessors return cached data and do no I/O; the methods named
 * {@code read*} and {@code open*} do I/O and say so.
 *
 * <p>Obtained from {@link UsbContext#devices()} and the {@code find*} methods. It stays valid
 * after the device is unplugged (its accessors keep working; opening it fails with
 * {@link UsbDeviceGoneException}) and until its context closes. Thread-safe.
 * {@code toString()} gives the {@code lsusb} form without names: {@code Bus 001 Device 002: ID 1a0a:badd}.
 */
public interface UsbDevice {

    /** The context that enumerated this device. */
    UsbContext context();

    /** The bus number. */
    int bus();

    /** The device address on its bus (1 for a root hub). */
    int address();

    /** The number of the parent hub's port the device is plugged into; 0 for a root hub. */
    int portNumber();

    /** The ports from the root hub down to this device, outermost first; empty for a root hub. */
    List<Integer> portPath();

    /** The parent hub, where the platform tells it and it was enumerated with this device. */
    Optional<UsbDevice> parent();

    /** The speed the device operates at. */
    UsbSpeed speed();

    /**
     * True while the device is attached, as far as its context knows: false once a hotplug event
     * (while the context has a subscription, {@link UsbContext#watch}) or a device list that no
     * longer has it ({@link UsbContext#devices()}) said it left. Without either, it does not change
     * by itself. A device that comes back is a new {@code UsbDevice}. No I/O.
     */
    boolean isAttached();

    /** The device descriptor. */
    UsbDeviceDescriptor descriptor();

    /** Shorthand for {@code descriptor().vendorId()}. */
    default int vendorId() {
        return descriptor().vendorId();
    }

    /** Shorthand for {@code descriptor().productId()}. */
    default int productId() {
        return descriptor().productId();
    }

    /**
     * The configuration descriptors, in index order. A configuration libusb could not read is
     * left out (and logged), so the list may be shorter than {@code bNumConfigurations}.
     */
    List<UsbConfiguration> configurations();

    /** The configuration whose {@code bConfigurationValue} is {@code value}, if any. */
    default Optional<UsbConfiguration> configuration(int value) {
        return configurations().stream().filter(c -> c.value() == value).findFirst();
    }

    /**
     * True when this is a hub: device class 9.
     */
    default boolean isHub() {
        return descriptor().deviceClass() == UsbClassCode.HUB;
    }

    /**
     * Reads the manufacturer, product and serial number strings. Does I/O: on Linux it reads the
     * copies the kernel read at enumeration (sysfs) and keeps them, so they are still there after
     * the device has left; with libusb 1.0.30+ it reads the operating system's copies; otherwise it
     * opens the device for a moment and asks it.
     *
     * @throws UsbAccessDeniedException if the device may not be opened by this user
     * @throws UsbDeviceGoneException   if the device was unplugged before its strings were read
     * @throws UsbException             for other failures; nothing is silently turned into an empty string
     */
    UsbDeviceStrings readStrings();

    /**
     * Reads the BOS descriptor, if the device has one. Does I/O: opens the device for a moment.
     *
     * @throws UsbAccessDeniedException if the device may not be opened by this user
     * @throws UsbException             for other failures
     */
    Optional<UsbBos> readBos();

    /**
     * Opens the device for I/O. Does I/O.
     *
     * @return a handle to close when done
     * @throws UsbAccessDeniedException if this user may not open it (the message suggests a udev rule)
     * @throws UsbDeviceGoneException   if it was unplugged
     * @throws IllegalStateException    if the context is closed
     */
    UsbDeviceHandle open();

    /**
     * Opens the device without blocking the caller: the open runs on a virtual thread.
     *
     * @return a future that completes with the handle, or exceptionally as {@link #open()} throws
     */
    CompletableFuture<UsbDeviceHandle> openAsync();

    /**
     * The kernel driver bound to an interface of the active configuration, such as {@code usbhid}.
     * Linux only (reads sysfs, no device I/O); empty elsewhere or when no driver is bound.
     */
    Optional<String> kernelDriver(int interfaceNumber);

    /**
     * The driver of the host controller this device's bus hangs off, such as {@code xhci_hcd}.
     * Linux only (reads sysfs); empty elsewhere.
     */
    Optional<String> hostControllerDriver();

    /**
     * For a hub, its number of downstream ports. Linux only (reads sysfs, no device I/O); empty
     * for other devices and elsewhere.
     */
    OptionalInt hubPortCount();

    /**
     * What was wrong with the descriptors the device presented, one sentence each (a configuration
     * libusb could not parse, or one whose bytes contradict themselves): those parts are missing
     * from {@link #configurations()}. Empty for a well-formed device. No I/O.
     */
    default java.util.List<String> descriptorProblems() {
        return java.util.List.of();
    }

    /**
     * The configuration value the operating system reports active, without device I/O where the
     * platform caches it (Linux sysfs); empty where it does not know. Use
     * {@link UsbDeviceHandle#activeConfiguration()} on an open device for the device's own answer.
     */
    OptionalInt cachedActiveConfiguration();
}
