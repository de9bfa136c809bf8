package dev.ausb.cli;

import dev.ausb.UsbConfiguration;
import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceDescriptor;
import dev.ausb.UsbDeviceStrings;
import dev.ausb.UsbSpeed;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Devices and a context made of descriptor bytes, for host tests of what the commands print. */
final class FakeUsb {
    private FakeUsb() {}

    /** A CDC ACM function behind an interface association, with a class-specific descriptor. */
    static final byte[] CDC_ACM = HexFormat.of().parseHex(("""
            09 02 3d 00 02 01 04 80 32
            08 0b 00 02 02 02 01 05
            09 04 00 00 01 02 02 01 00
            05 24 00 10 01
            07 05 82 03 08 00 10
            09 04 01 00 02 0a 00 00 00
            07 05 01 02 40 00 00
            07 05 81 02 40 00 00""").replaceAll("\\s", ""));

    /** Ids fffe:fffd, which no hwdb names, so the device's own strings show. */
    static final byte[] DEVICE = HexFormat.of().parseHex("12010002020000 40 feff fdff 0001 010203 01".replace(" ", ""));

    /** A device on bus 3, port path 1.2, address 7, whose manufacturer and product strings are given. */
    static UsbDevice device(String manufacturer, String product) {
        UsbDeviceDescriptor dd = UsbDeviceDescriptor.parse(DEVICE);
        List<UsbConfiguration> configs = List.of(UsbConfiguration.parse(CDC_ACM, UsbSpeed.HIGH));
        InvocationHandler h = (proxy, m, args) -> switch (m.getName()) {
            case "descriptor" -> dd;
            case "configurations" -> configs;
            case "bus" -> 3;
            case "address" -> 7;
            case "portNumber" -> 2;
            case "portPath" -> List.of(1, 2);
            case "parent" -> Optional.empty();
            case "speed" -> UsbSpeed.HIGH;
            case "readStrings" -> new UsbDeviceStrings(Optional.of(manufacturer), Optional.of(product), Optional.empty());
            case "open" -> throw new dev.ausb.UsbAccessDeniedException("open: access denied (fake)", -3,
                    "LIBUSB_ERROR_ACCESS", 0, null);
            case "toString" -> "Bus 003 Device 007: ID fffe:fffd";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> m.isDefault() ? InvocationHandler.invokeDefault(proxy, m, args)
                    : fail(m.getName());
        };
        return (UsbDevice) Proxy.newProxyInstance(FakeUsb.class.getClassLoader(), new Class<?>[] {UsbDevice.class}, h);
    }

    /** A context that lists these devices. */
    static UsbContext context(UsbDevice... devices) {
        InvocationHandler h = (proxy, m, args) -> switch (m.getName()) {
            case "devices" -> List.of(devices);
            case "toString" -> "FakeUsb";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> m.isDefault() ? InvocationHandler.invokeDefault(proxy, m, args) : fail(m.getName());
        };
        return (UsbContext) Proxy.newProxyInstance(FakeUsb.class.getClassLoader(), new Class<?>[] {UsbContext.class}, h);
    }

    private static Object fail(String name) {
        throw new UnsupportedOperationException("the fake has no " + name);
    }
}
