package dev.ausb.examples;

import dev.ausb.UsbAlternateSetting;
import dev.ausb.UsbConfiguration;
import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInterface;
import java.util.Locale;

/**
 * Prints the descriptor tree of one device: the device, each configuration, interface and alternate
 * setting, and each endpoint with its type, direction, packet size and interval. Reads only the
 * descriptors the system cached: the device is not opened. Usage: DeviceInfo VID PID (hex).
 */
public final class DeviceInfo {
    private DeviceInfo() {}

    /**
     * Runs the program.
     *
     * @param args the vendor and product id in hex
     */
    public static void main(String[] args) {
        int vid = Integer.parseInt(args[0], 16);
        int pid = Integer.parseInt(args[1], 16);
        try (UsbContext usb = UsbContext.create()) {
            UsbDevice device = usb.findOne(UsbDeviceFilter.of(vid, pid));
            System.out.printf("Bus %03d Device %03d: ID %04x:%04x v.%s usb v.%s speed %s%n", device.bus(),
                    device.address(), device.vendorId(), device.productId(), device.descriptor().deviceVersion(),
                    device.descriptor().usbVersion(), device.speed());
            System.out.printf(" Control Endpoint 00, MPS=%d%n", device.descriptor().maxPacketSize0());
            for (UsbConfiguration configuration : device.configurations()) {
                System.out.printf(" Configuration #%d%n", configuration.value());
                for (UsbInterface itf : configuration.interfaces()) {
                    System.out.printf("  Interface #%d%n", itf.number());
                    for (UsbAlternateSetting setting : itf.alternateSettings()) {
                        System.out.printf("   Alternate Setting %d%n", setting.alternateSetting());
                        for (UsbEndpoint ep : setting.endpoints()) {
                            System.out.printf("    %s %s Endpoint %02x, MPS=%d, interval=%d%n",
                                    capitalize(ep.transferType().name()), capitalize(ep.direction().name()),
                                    ep.number(), ep.maxPacketSize(), ep.interval());
                        }
                    }
                }
            }
        }
    }

    private static String capitalize(String s) {
        return s.charAt(0) + s.substring(1).toLowerCase(Locale.ROOT);
    }
}
