package dev.ausb.examples;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceStrings;
import dev.ausb.UsbException;

/**
 * Lists the devices as {@code lsusb} does: one line per device with its bus, device number, ids,
 * and its manufacturer and product names where the device may be opened to read them.
 */
public final class ListDevices {
    private ListDevices() {}

    /**
     * Runs the program.
     *
     * @param args none
     */
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
                    // a device we may not open (no permission, no driver on Windows) is listed without names
                }
                System.out.printf("Bus %03d Device %03d: ID %04x:%04x %s %s%n", dev.bus(), dev.address(),
                        dev.vendorId(), dev.productId(), manufacturer, product);
            }
        }
    }
}
