package dev.ausb;

import java.util.Optional;

/**
 * The three strings a device descriptor points at, read in the device's first language.
 *
 * <p>Obtained from {@link UsbDevice#readStrings()} or {@link UsbDeviceHandle#readStrings()}, which
 * do I/O. A string the device does not have (index 0) is empty.
 *
 * @param manufacturer {@code iManufacturer}'s string
 * @param product      {@code iProduct}'s string
 * @param serialNumber {@code iSerialNumber}'s string
 */
public record UsbDeviceStrings(Optional<String> manufacturer, Optional<String> product,
        Optional<String> serialNumber) {}
