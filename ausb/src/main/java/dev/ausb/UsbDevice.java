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

    /**
     * The context that enumerated this device.
     *
     * @return the context; the device is valid until it closes
     */
    UsbContext context();

    /**
     * The bus number.
     *
     * @return the bus number, 0..255, as {@code lsusb} prints it
     */
    int bus();

    /**
     * The device address on its bus (1 for a root hub).
     *
     * @return the address, 1..127; a device that re-enumerates gets a new one
     */
    int address();

    /**
     * The number of the parent hub's port the device is plugged into; 0 for a root hub.
     *
     * @return the port number, 1..255, or 0 for a root hub
     */
    int portNumber();

    /**
     * The ports from the root hub down to this device, outermost first; empty for a root hub.
     *
     * @return the port numbers, an immutable list, such as {@code [1, 2]} for {@code 1-1.2}
     */
    List<Integer> portPath();

    /**
     * The parent hub, where the platform tells it and it was enumerated with this device.
     *
     * @return the hub it is plugged into, or empty for a root hub or where the platform does not say
     */
    Optional<UsbDevice> parent();

    /**
     * The speed the device operates at.
     *
     * @return the speed, {@link UsbSpeed#UNKNOWN} where the operating system does not say
     */
    UsbSpeed speed();

    /**
     * True while the device is attached, as far as its context knows: false once a hotplug event
     * (while the context has a subscription, {@link UsbContext#watch}) or a device list that no
     * longer has it ({@link UsbContext#devices()}) said it left. Without either, it does not change
     * by itself. A device that comes back is a new {@code UsbDevice}. No I/O.
     *
     * @return false once the context learnt that the device left, else true
     */
    boolean isAttached();

    /**
     * The device descriptor.
     *
     * @return the device descriptor, as read at enumeration
     */
    UsbDeviceDescriptor descriptor();

    /**
     * Shorthand for {@code descriptor().vendorId()}.
     *
     * @return {@code idVendor}, 0..0xffff
     */
    default int vendorId() {
        return descriptor().vendorId();
    }

    /**
     * Shorthand for {@code descriptor().productId()}.
     *
     * @return {@code idProduct}, 0..0xffff
     */
    default int productId() {
        return descriptor().productId();
    }

    /**
     * The configuration descriptors, in index order. A configuration libusb could not read is
     * left out (and logged), so the list may be shorter than {@code bNumConfigurations}.
     *
     * @return the configurations, an immutable list
     */
    List<UsbConfiguration> configurations();

    /**
     * The configuration whose {@code bConfigurationValue} is {@code value}, if any.
     *
     * @param value a {@code bConfigurationValue}, as {@link UsbDeviceHandle#activeConfiguration()} gives it
     * @return that configuration, or empty if the device has none with that value
     */
    default Optional<UsbConfiguration> configuration(int value) {
        return configurations().stream().filter(c -> c.value() == value).findFirst();
    }

    /**
     * True when this is a hub: device class 9.
     *
     * @return true when {@code bDeviceClass} is {@link UsbClassCode#HUB}
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
     * @return the three strings, each empty when the device descriptor names none
     * @throws UsbAccessDeniedException if the device may not be opened by this user
     * @throws UsbDeviceGoneException   if the device was unplugged before its strings were read
     * @throws UsbException             for other failures; nothing is silently turned into an empty string
     */
    UsbDeviceStrings readStrings();

    /**
     * Reads the BOS descriptor, if the device has one. Does I/O: opens the device for a moment.
     *
     * @return the BOS, or empty when the device has none
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
     *
     * @param interfaceNumber the interface's {@code bInterfaceNumber}
     * @return the driver's name, or empty
     */
    Optional<String> kernelDriver(int interfaceNumber);

    /**
     * The driver of the host controller this device's bus hangs off, such as {@code xhci_hcd}.
     * Linux only (reads sysfs); empty elsewhere.
     *
     * @return the host controller driver's name, or empty
     */
    Optional<String> hostControllerDriver();

    /**
     * For a hub, its number of downstream ports. Linux only (reads sysfs, no device I/O); empty
     * for other devices and elsewhere.
     *
     * @return the hub's port count, or empty
     */
    OptionalInt hubPortCount();

    /**
     * What was wrong with the descriptors the device presented, one sentence each (a configuration
     * libusb could not parse, or one whose bytes contradict themselves): those parts are missing
     * from {@link #configurations()}. Empty for a well-formed device. No I/O.
     *
     * @return the problems, an immutable list; empty when there are none
     */
    default java.util.List<String> descriptorProblems() {
        return java.util.List.of();
    }

    /**
     * The configuration value the operating system reports active, without device I/O where the
     * platform caches it (Linux sysfs); empty where it does not know. Use
     * {@link UsbDeviceHandle#activeConfiguration()} on an open device for the device's own answer.
     *
     * @return the active {@code bConfigurationValue} (0 when unconfigured), or empty
     */
    OptionalInt cachedActiveConfiguration();
}
