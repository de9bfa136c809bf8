package dev.ausb.examples;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceStrings;
import dev.ausb.UsbException;

/** The Python original's lsusb substitute: one line per device with its strings. */
public final class ListDevices {
    private ListDevices() {}

    public static void main(String[] args) {
        try (UsbContext usb = UsbContext.create()) {
            for (UsbDevice dev : usb.devices()) {
                String manufacturer = "";
                String product = "";
                try {
                    UsbDeviceStrings s = dev.readStrings();
                    manufacturer = s.manufacturer().orElse("");
                    product = s.product().orElse("");
                } catch (UsbException e) {
                    // a device we may not open keeps blank names, as in the original
                }
                System.out.printf("Bus %03d Device %03d: ID %04x:%04x %s %s%n", dev.bus(), dev.address(),
                        dev.vendorId(), dev.productId(), manufacturer, product);
            }
        }
    }
}
