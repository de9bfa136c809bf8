package dev.ausb.examples;

import dev.ausb.UsbContext;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOutEndpoint;
import dev.ausb.UsbTransferFuture;
import java.nio.charset.StandardCharsets;

/**
 * Claims interface 0, takes its bulk IN endpoint 0x81 and its other (OUT) endpoint from the
 * interface's descriptor, then starts a read, writes some text and prints what the read got.
 * Against Linux's Loopback gadget what is written comes back. Usage: EndpointEcho VID PID TEXT (VID
 * and PID in hex)
 */
public final class EndpointEcho {
    private EndpointEcho() {}

    /**
     * Runs the program.
     *
     * @param args the vendor and product id in hex, and the text to send
     */
    public static void main(String[] args) {
        int vid = Integer.parseInt(args[0], 16);
        int pid = Integer.parseInt(args[1], 16);
        try (UsbContext usb = UsbContext.create();
                UsbDeviceHandle device = usb.findOne(UsbDeviceFilter.of(vid, pid)).open();
                UsbInterfaceHandle itf = device.claimInterface(0)) {
            UsbEndpoint inDescriptor = itf.alternateSetting().endpoint(0x81).orElseThrow();
            UsbInEndpoint in = itf.inEndpoint(inDescriptor.address());
            UsbOutEndpoint out = itf.outEndpoint(itf.endpoints().stream()
                    .filter(e -> e.address() != 0x81).findFirst().orElseThrow().address());

            UsbTransferFuture<byte[]> echo = in.read(4096);               // IN transfer, in flight
            out.write(args[2].getBytes(StandardCharsets.UTF_8)).await(); // OUT transfer
            System.out.println("echo: " + new String(echo.await(), StandardCharsets.UTF_8));
        }
    }
}
