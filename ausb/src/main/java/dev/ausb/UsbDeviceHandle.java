package dev.ausb;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An open device: the connection through which control requests, interface claims and transfers go.
 *
 * <p>Obtained from {@link UsbDevice#open()}. Close it when done: closing cancels whatever is still
 * in flight, waits until libusb has handed every transfer back, releases the interfaces claimed
 * through it and closes the device. Closing twice is harmless; closing the context closes it.
 * Thread-safe: any thread may use a handle at any time. After close, every method but
 * {@code device}, {@code isOpen} and {@code close} throws {@link IllegalStateException}.
 */
public interface UsbDeviceHandle extends AutoCloseable {

    /**
     * The device this handle was opened on. No I/O; answers after close too.
     *
     * @return the device, whose cached descriptors describe what this handle talks to
     */
    UsbDevice device();

    /**
     * Reads the language ids the device's strings come in (string descriptor 0), such as
     * {@code 0x0409} for US English. Does I/O.
     *
     * @return the ids, empty when the device has no strings
     * @throws UsbException if the request fails
     */
    List<Integer> readLanguages();

    /**
     * Reads string {@code index} in the device's first language. Does I/O.
     *
     * @param index the string descriptor's index, 0..255, as a descriptor's {@code i*} field gives it
     *              ({@link UsbDeviceDescriptor#productIndex()}, say); 0 reads nothing
     * @return the string, or empty for index 0 ("no string")
     * @throws IllegalArgumentException if {@code index} is not in 0..255
     * @throws UsbException             if the request fails (a stall means the device has no such string)
     */
    Optional<String> readString(int index);

    /**
     * Reads string {@code index} in language {@code languageId}. Does I/O.
     *
     * @param index      the string descriptor's index, 0..255; 0 reads nothing
     * @param languageId the language id, 0..0xffff, one of {@link #readLanguages()} ({@link UsbLanguage})
     * @return the string, or empty for index 0
     * @throws IllegalArgumentException if an argument is out of range
     * @throws UsbException             if the request fails
     */
    Optional<String> readString(int index, int languageId);

    /**
     * Reads manufacturer, product and serial number in the device's first language. Does I/O.
     *
     * @return the three strings, each empty when the device descriptor names none (index 0)
     * @throws UsbException if a request fails
     */
    UsbDeviceStrings readStrings();

    /**
     * Reads the BOS descriptor. Does I/O.
     *
     * @return the BOS, or empty when the device has none (it stalls the request, or is older than USB 2.01)
     * @throws UsbException if the request fails otherwise
     */
    Optional<UsbBos> readBos();

    /**
     * Asks which configuration is active ({@code bConfigurationValue}; 0 when unconfigured). Does
     * I/O where the platform does not cache it.
     *
     * @return the active configuration's {@code bConfigurationValue}, or 0 when the device is unconfigured
     * @throws UsbException if the request fails
     */
    int activeConfiguration();

    /**
     * Sends a control request with an IN data stage of up to {@code length} bytes.
     *
     * @param request the setup stage; its direction bit is set to IN here
     * @param length  the most bytes to read ({@code wLength}), 0..65535; the device may send fewer
     * @return a future of the bytes the device returned, as many as it sent
     * @throws IllegalArgumentException if {@code length} is not 0..65535
     * @throws IllegalStateException    if the handle is closed
     */
    UsbTransferFuture<byte[]> controlIn(UsbControlRequest request, int length);

    /**
     * As {@link #controlIn(UsbControlRequest, int)}, with a timeout libusb applies ({@link Duration#ZERO}: none).
     *
     * @param request the setup stage; its direction bit is set to IN here
     * @param length  the most bytes to read ({@code wLength}), 0..65535; the device may send fewer
     * @param timeout how long libusb lets the whole transfer take before it fails with
     *                {@link UsbTimeoutException}, in whole milliseconds (a non-zero fraction counts as
     *                1 ms), at most 2<sup>32</sup>-1 ms; {@link Duration#ZERO}: no limit
     * @return a future of the bytes the device returned, as many as it sent
     * @throws IllegalArgumentException if {@code length} is not 0..65535 or the timeout is negative or too long
     * @throws IllegalStateException    if the handle is closed
     */
    UsbTransferFuture<byte[]> controlIn(UsbControlRequest request, int length, Duration timeout);

    /**
     * Sends a control request with an OUT data stage ({@code data} may be empty; it is copied at the call).
     *
     * @param request the setup stage; its direction bit is set to OUT here
     * @param data    the data stage, 0..65535 bytes; its length is {@code wLength}
     * @return a future of the number of bytes sent
     * @throws IllegalArgumentException if {@code data} is longer than 65535 bytes
     */
    UsbTransferFuture<Integer> controlOut(UsbControlRequest request, byte[] data);

    /**
     * As {@link #controlOut(UsbControlRequest, byte[])}, with a timeout libusb applies.
     *
     * @param request the setup stage; its direction bit is set to OUT here
     * @param data    the data stage, 0..65535 bytes, copied at the call; its length is {@code wLength}
     * @param timeout how long libusb lets the whole transfer take before it fails with
     *                {@link UsbTimeoutException}, in whole milliseconds (a non-zero fraction counts as
     *                1 ms), at most 2<sup>32</sup>-1 ms; {@link Duration#ZERO}: no limit
     * @return a future of the number of bytes sent
     * @throws IllegalArgumentException if {@code data} is longer than 65535 bytes or the timeout is
     *                                  negative or too long
     * @throws IllegalStateException    if the handle is closed
     */
    UsbTransferFuture<Integer> controlOut(UsbControlRequest request, byte[] data, Duration timeout);

    /**
     * Sends a control request given as libusb, node-usb and PyUSB take it, the whole
     * {@code bmRequestType} byte with its direction bit: bit 7 set (IN), reads up to {@code length}
     * bytes. Ported code such as {@code ctrl_transfer(0xC0, 0x51, 0, 0, 64)} reads as it stands,
     * with one difference: without a timeout argument there is none (PyUSB and node-usb default to
     * 1 s); give one with the overload, or wait with {@code get(timeout, unit)}, which cancels nothing.
     *
     * @param bmRequestType the whole {@code bmRequestType}, 0x80..0xff here: direction bit 7 set, type in
     *                      bits 6..5, recipient in bits 4..0
     * @param request       {@code bRequest}, 0..255
     * @param value         {@code wValue}, 0..0xffff
     * @param index         {@code wIndex}, 0..0xffff
     * @param length        the most bytes to read ({@code wLength}), 0..65535; the device may send fewer
     * @return a future of the bytes the device returned
     * @throws IllegalArgumentException if bit 7 of {@code bmRequestType} is clear (use the
     *                                  {@code byte[]} overload for OUT), or a field does not fit
     */
    default UsbTransferFuture<byte[]> control(int bmRequestType, int request, int value, int index, int length) {
        return control(bmRequestType, request, value, index, length, Duration.ZERO);
    }

    /**
     * As {@link #control(int, int, int, int, int)}, with a timeout ({@link Duration#ZERO}: none).
     *
     * @param bmRequestType the whole {@code bmRequestType}, 0x80..0xff here: direction bit 7 set
     * @param request       {@code bRequest}, 0..255
     * @param value         {@code wValue}, 0..0xffff
     * @param index         {@code wIndex}, 0..0xffff
     * @param length        the most bytes to read ({@code wLength}), 0..65535; the device may send fewer
     * @param timeout       how long libusb lets the transfer take before it fails with
     *                      {@link UsbTimeoutException}, in milliseconds, at most 2<sup>32</sup>-1 ms;
     *                      {@link Duration#ZERO}: no limit
     * @return a future of the bytes the device returned
     * @throws IllegalArgumentException if bit 7 of {@code bmRequestType} is clear, a field does not fit
     *                                  or the timeout is negative or too long
     */
    default UsbTransferFuture<byte[]> control(int bmRequestType, int request, int value, int index, int length,
            Duration timeout) {
        UsbControlRequest r = UsbControlRequest.fromRaw(bmRequestType, request, value, index);
        if (UsbControlRequest.direction(bmRequestType) != UsbDirection.IN) {
            throw new IllegalArgumentException(String.format("bmRequestType 0x%02x is OUT (bit 7 clear): "
                    + "an OUT request sends a byte[], not a length", bmRequestType));
        }
        return controlIn(r, length, timeout);
    }

    /**
     * Sends a control request given with the whole {@code bmRequestType} byte, bit 7 clear (OUT),
     * with {@code data} as its data stage (may be empty).
     *
     * @param bmRequestType the whole {@code bmRequestType}, 0x00..0x7f here: direction bit 7 clear, type
     *                      in bits 6..5, recipient in bits 4..0
     * @param request       {@code bRequest}, 0..255
     * @param value         {@code wValue}, 0..0xffff
     * @param index         {@code wIndex}, 0..0xffff
     * @param data          the data stage, 0..65535 bytes, copied at the call; its length is {@code wLength}
     * @return a future of the bytes sent
     * @throws IllegalArgumentException if bit 7 of {@code bmRequestType} is set (use the {@code int}
     *                                  length overload for IN), or a field does not fit
     */
    default UsbTransferFuture<Integer> control(int bmRequestType, int request, int value, int index, byte[] data) {
        return control(bmRequestType, request, value, index, data, Duration.ZERO);
    }

    /**
     * As {@link #control(int, int, int, int, byte[])}, with a timeout ({@link Duration#ZERO}: none).
     *
     * @param bmRequestType the whole {@code bmRequestType}, 0x00..0x7f here: direction bit 7 clear
     * @param request       {@code bRequest}, 0..255
     * @param value         {@code wValue}, 0..0xffff
     * @param index         {@code wIndex}, 0..0xffff
     * @param data          the data stage, 0..65535 bytes, copied at the call; its length is {@code wLength}
     * @param timeout       how long libusb lets the transfer take before it fails with
     *                      {@link UsbTimeoutException}, in milliseconds, at most 2<sup>32</sup>-1 ms;
     *                      {@link Duration#ZERO}: no limit
     * @return a future of the number of bytes sent
     * @throws IllegalArgumentException if bit 7 of {@code bmRequestType} is set, a field does not fit or
     *                                  the timeout is negative or too long
     */
    default UsbTransferFuture<Integer> control(int bmRequestType, int request, int value, int index, byte[] data,
            Duration timeout) {
        UsbControlRequest r = UsbControlRequest.fromRaw(bmRequestType, request, value, index);
        if (UsbControlRequest.direction(bmRequestType) != UsbDirection.OUT) {
            throw new IllegalArgumentException(String.format("bmRequestType 0x%02x is IN (bit 7 set): "
                    + "an IN request takes a length to read, not data", bmRequestType));
        }
        return controlOut(r, data, timeout);
    }

    /**
     * GET_DESCRIPTOR as one request, for descriptors the tree does not hold: the device qualifier,
     * other-speed configurations, a hub descriptor (type {@link UsbControlRequest.Type#CLASS},
     * recipient device), a HID report descriptor (standard, recipient interface, {@code wIndex} the
     * interface number), class descriptors.
     *
     * @param type           standard or class ({@link UsbControlRequest.Type#VENDOR} for vendor-defined ones)
     * @param recipient      whom it goes to
     * @param descriptorType the type, {@link UsbDescriptorType}; {@code wValue}'s high byte
     * @param index          the index; {@code wValue}'s low byte
     * @param wIndex         0, a string's language id, or the interface number
     * @param length         at most this many bytes ({@code wLength})
     * @param timeout        {@link Duration#ZERO}: none
     * @return a future of the bytes the device returned, as it sent them
     * @throws IllegalArgumentException if the type or index is not 0..255, or a field does not fit
     */
    default UsbTransferFuture<byte[]> readDescriptor(UsbControlRequest.Type type, UsbControlRequest.Recipient recipient,
            int descriptorType, int index, int wIndex, int length, Duration timeout) {
        if (descriptorType < 0 || descriptorType > 0xff || index < 0 || index > 0xff) {
            throw new IllegalArgumentException(String.format(
                    "a descriptor type and index are 8 bits each, not 0x%x and 0x%x", descriptorType, index));
        }
        return controlIn(UsbControlRequest.of(type, recipient, UsbStandardRequest.GET_DESCRIPTOR,
                descriptorType << 8 | index, wIndex), length, timeout);
    }

    /**
     * Reads a whole standard descriptor of the device and waits for it: for the kinds with a
     * {@code wTotalLength} ({@link UsbDescriptorType#CONFIGURATION},
     * {@link UsbDescriptorType#OTHER_SPEED_CONFIGURATION}, {@link UsbDescriptorType#BOS}) the header
     * first, then all of it; any other kind up to 255 bytes. Each request waits at most a second, as
     * the descriptor reads of this interface do. Parse a configuration's bytes with
     * {@link UsbConfiguration#parse}.
     *
     * @param descriptorType the descriptor type, 0..255 ({@link UsbDescriptorType}); {@code wValue}'s high byte
     * @param index          which one of that type, 0..255 (a configuration's index, not its value);
     *                       {@code wValue}'s low byte
     * @return the bytes the device sent
     * @throws UsbStallException     if the device has no such descriptor (a full-speed-only device
     *                               has no device qualifier)
     * @throws UsbIoException        if the reply is not the descriptor asked for (its type byte differs)
     * @throws IllegalArgumentException if the type or index is not 0..255
     * @throws IllegalStateException on the context's event thread, where the wait could never end
     */
    default byte[] readDescriptor(int descriptorType, int index) {
        return readDescriptor(descriptorType, index, 0);
    }

    /**
     * As {@link #readDescriptor(int, int)}, with {@code wIndex}: the language id a string descriptor
     * is read in ({@link UsbLanguage}; {@link #readString(int, int)} decodes one), 0 for the others.
     *
     * @param descriptorType the descriptor type, 0..255 ({@link UsbDescriptorType}); {@code wValue}'s high byte
     * @param index          which one of that type, 0..255; {@code wValue}'s low byte
     * @param languageId     {@code wIndex}, 0..0xffff: a string's language id, else 0
     * @return the bytes the device sent
     * @throws UsbStallException        if the device has no such descriptor
     * @throws UsbIoException           if the reply is not the descriptor asked for
     * @throws IllegalArgumentException if the type or index is not 0..255, or the language id not 0..0xffff
     * @throws IllegalStateException    on the context's event thread, where the wait could never end
     */
    default byte[] readDescriptor(int descriptorType, int index, int languageId) {
        Duration second = Duration.ofSeconds(1);
        UsbControlRequest.Type std = UsbControlRequest.Type.STANDARD;
        UsbControlRequest.Recipient dev = UsbControlRequest.Recipient.DEVICE;
        int length = 255;
        if (descriptorType == UsbDescriptorType.CONFIGURATION || descriptorType == UsbDescriptorType.BOS
                || descriptorType == UsbDescriptorType.OTHER_SPEED_CONFIGURATION) {
            // the whole header first, as Linux asks for it (9 bytes, the BOS's 5): some devices answer nothing shorter
            int header = descriptorType == UsbDescriptorType.BOS ? 5 : 9;
            byte[] head = readDescriptor(std, dev, descriptorType, index, languageId, header,
                    second).await();
            UsbDescriptorReads.checkType(head, descriptorType, device());
            UsbDescriptorReads.checkLength(head, 4, descriptorType, device());
            length = Math.max(head.length, (head[2] & 0xff) | (head[3] & 0xff) << 8);
        }
        byte[] all = readDescriptor(std, dev, descriptorType, index, languageId, length,
                second).await();
        UsbDescriptorReads.checkType(all, descriptorType, device());
        return all;
    }

    /**
     * GET_STATUS of the device, an interface or an endpoint.
     *
     * @param recipient {@link UsbControlRequest.Recipient#DEVICE}, {@code INTERFACE} or {@code ENDPOINT}
     * @param index 0 for the device, the interface number or the endpoint address
     * @return a future of the 16-bit status (for an endpoint, bit 0 is "halted")
     */
    default UsbTransferFuture<Integer> getStatus(UsbControlRequest.Recipient recipient, int index) {
        return (UsbTransferFuture<Integer>) controlIn(UsbControlRequest.standard(recipient,
                UsbControlRequest.GET_STATUS, 0, index), 2)
                .thenApply(b -> b.length < 2 ? 0 : (b[0] & 0xff) | (b[1] & 0xff) << 8);
    }

    /**
     * SET_FEATURE, such as {@code setFeature(ENDPOINT, ENDPOINT_HALT, 0x81)}, which halts endpoint 0x81.
     *
     * @param recipient whom the feature belongs to: device, interface or endpoint
     * @param feature   the feature selector ({@link UsbFeature}), sent as {@code wValue}, 0..0xffff
     * @param index     {@code wIndex}, 0..0xffff: 0 for the device, the interface number or the endpoint address
     * @return a future that completes when the device has accepted it
     */
    default UsbTransferFuture<Integer> setFeature(UsbControlRequest.Recipient recipient, int feature, int index) {
        return controlOut(UsbControlRequest.standard(recipient, UsbControlRequest.SET_FEATURE, feature, index),
                new byte[0]);
    }

    /**
     * CLEAR_FEATURE. To clear an endpoint halt, prefer {@link #clearHalt(int)}, which also resets
     * the host's data toggle.
     *
     * @param recipient whom the feature belongs to: device, interface or endpoint
     * @param feature   the feature selector ({@link UsbFeature}), sent as {@code wValue}, 0..0xffff
     * @param index     {@code wIndex}, 0..0xffff: 0 for the device, the interface number or the endpoint address
     * @return a future that completes when the device has accepted it
     */
    default UsbTransferFuture<Integer> clearFeature(UsbControlRequest.Recipient recipient, int feature, int index) {
        return controlOut(UsbControlRequest.standard(recipient, UsbControlRequest.CLEAR_FEATURE, feature, index),
                new byte[0]);
    }

    /**
     * Selects a configuration (SET_CONFIGURATION); -1 unconfigures. Does I/O and blocks.
     *
     * @param value the configuration's {@code bConfigurationValue}, 0..255, or -1 to unconfigure
     * @throws IllegalArgumentException if {@code value} is not -1..255
     * @throws UsbBusyException if an interface is claimed or a kernel driver holds one
     */
    void setConfiguration(int value);

    /**
     * Claims an interface of the active configuration for this handle. Does I/O.
     *
     * @param number the interface's {@code bInterfaceNumber} in the active configuration
     * @return an interface handle; closing it releases the interface
     * @throws IllegalArgumentException if the active configuration has no such interface
     * @throws IllegalStateException    if this handle has already claimed it (use that interface handle)
     * @throws UsbBusyException         if a kernel driver (named in the message) or someone else has it
     */
    UsbInterfaceHandle claimInterface(int number);

    /**
     * Clears a halted endpoint: CLEAR_FEATURE(ENDPOINT_HALT) and a reset of the host's data toggle. Does I/O; blocks.
     *
     * @param endpointAddress the endpoint's address with its direction bit, 0..0xff (such as 0x81 for IN 1)
     * @throws IllegalArgumentException if the address is not 0..0xff
     * @throws UsbException if it fails
     */
    void clearHalt(int endpointAddress);

    /**
     * True when a kernel driver is bound to the interface, so that claiming it would fail
     * {@link UsbBusyException}. Where libusb can tell: Linux, and macOS (libusb 1.0.25 or later).
     *
     * @param interfaceNumber the interface, {@code bInterfaceNumber}
     * @return whether a kernel driver holds it
     * @throws UsbNotSupportedException where the platform cannot tell (Windows, where the driver
     *                                  bound is the choice of the device's installation: WinUSB for libusb)
     */
    boolean isKernelDriverActive(int interfaceNumber);

    /**
     * Detaches the kernel driver from the interface so it can be claimed. Linux; and macOS with
     * libusb 1.0.25 or later, where it captures the whole device and needs root or the
     * {@code com.apple.vm.device-access} entitlement. Not on Windows: there the device's driver
     * is installed as WinUSB (Zadig does it) for libusb to reach it at all.
     *
     * @param interfaceNumber the interface, {@code bInterfaceNumber}
     * @throws UsbNotFoundException      if no driver is bound
     * @throws UsbAccessDeniedException  if the process may not (macOS without root or the entitlement)
     * @throws UsbNotSupportedException  where the platform has no kernel-driver detach
     */
    void detachKernelDriver(int interfaceNumber);

    /**
     * Re-attaches the kernel driver detached earlier (where {@link #detachKernelDriver} works).
     *
     * @param interfaceNumber the interface, {@code bInterfaceNumber}
     * @throws UsbNotSupportedException where the platform has no kernel-driver detach
     */
    void attachKernelDriver(int interfaceNumber);

    /**
     * Makes {@link #claimInterface} detach kernel drivers itself and re-attach them on release,
     * where the platform can (as {@link #detachKernelDriver}). Portable code calls it everywhere
     * and reads the answer: elsewhere it changes nothing and returns false.
     *
     * @param enable whether claims detach and releases re-attach
     * @return true if set; false where the platform has no kernel-driver detach (Windows)
     * @throws UsbException if libusb refuses it for another reason
     */
    boolean setAutoDetachKernelDriver(boolean enable);

    /**
     * Resets the device (a USB port reset). Does I/O. If the device comes back as a different
     * device (its descriptors changed, as after a firmware load), this fails with
     * {@link UsbNotFoundException}: use {@link #reopen(Duration)}.
     */
    void reset();

    /**
     * Closes this handle, waits until a device is at the same place again (as after a firmware load
     * or a reset that makes it re-enumerate) and opens it. As {@link #reopen(UsbDeviceFilter, Duration)}
     * with no expectation of what comes back.
     *
     * @param timeout how long to wait, positive
     * @return a handle to the device now at that place
     * @throws IllegalArgumentException if the timeout is not positive (the handle is then left open)
     * @throws IllegalStateException    on the event thread, or for a device without a port path; if the
     *                                  context closes or the thread is interrupted while waiting
     * @throws UsbTimeoutException      if none appears in time
     */
    UsbDeviceHandle reopen(Duration timeout);

    /**
     * Closes this handle, waits until a device matching {@code expected} is at the place this
     * handle's device was, and opens it. Does I/O; blocks the caller (not on the event thread).
     *
     * <p>The place is the bus and port path, or the peer of that port: the same connector's port on
     * the other root hub of a USB 3 host controller, where a SuperSpeed device comes back whose
     * loader enumerated at high speed (Cypress FX3), which sysfs links on Linux. Elsewhere, where
     * no sysfs names the peer, a device matching {@code expected} (not {@link UsbDeviceFilter#any()})
     * that arrives after the wait began counts wherever it is: give ids specific enough to tell it
     * from others. The wait runs on the
     * context's hotplug events ({@link UsbContext#awaitDevice}), not by polling. A device found
     * there that cannot be opened yet (udev still setting its permissions) is tried again until the
     * timeout. This handle's own device never counts, even while it is still attached (it is the
     * one that goes away): so reopen may be called right after the command that makes the device
     * re-enumerate, and a device that does not re-enumerate is not found.
     *
     * @param expected what the device coming back looks like ({@link UsbDeviceFilter#any()}: anything)
     * @param timeout  how long to wait, positive
     * @return a handle to the device now at that place
     * @throws IllegalArgumentException if the timeout is not positive (the handle is then left open)
     * @throws IllegalStateException    on the event thread, or for a device without a port path (the
     *                                  handle is then left open); if the context closes or the thread
     *                                  is interrupted while waiting
     * @throws UsbTimeoutException      if none appears in time
     */
    UsbDeviceHandle reopen(UsbDeviceFilter expected, Duration timeout);

    /**
     * True until {@link #close()} is called or its context closes.
     *
     * @return whether the handle is still open
     */
    boolean isOpen();

    /**
     * Cancels the transfers in flight, waits until libusb has handed them back, releases claimed
     * interfaces and closes the device. Idempotent; safe from any thread. A call while another
     * thread's close is in progress returns when that close is done (except on the event thread,
     * where waiting could deadlock: there the close finishes on a helper thread).
     */
    @Override
    void close();
}
