package dev.ausb.examples;

import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbControlRequest.Recipient;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import java.nio.charset.StandardCharsets;

/**
 * Opens a device and sends it a vendor control OUT request with some text, then reads it back with
 * a control IN request, both on the device handle (endpoint 0, no interface claimed). Against
 * Linux's SourceSink gadget, vendor request 0x5b stores a buffer and 0x5c reads it back.
 * Usage: ControlTransfers VID PID TEXT (VID and PID in hex)
 */
public final class ControlTransfers {
    private ControlTransfers() {}

    /**
     * Runs the program.
     *
     * @param args the vendor and product id in hex, and the text to send
     */
    public static void main(String[] args) {
        int vid = Integer.parseInt(args[0], 16);
        int pid = Integer.parseInt(args[1], 16);
        byte[] data = args[2].getBytes(StandardCharsets.UTF_8);
        try (UsbContext usb = UsbContext.create();
                UsbDeviceHandle handle = usb.findOne(UsbDeviceFilter.of(vid, pid)).open()) {
            // Control OUT
            handle.controlOut(UsbControlRequest.vendor(Recipient.DEVICE, 0x5b, 0, 0), data).await();
            // Control IN
            byte[] back = handle.controlIn(UsbControlRequest.vendor(Recipient.DEVICE, 0x5c, 0, 0), data.length).await();
            System.out.println("read back: " + new String(back, StandardCharsets.UTF_8));
        }
    }
}
