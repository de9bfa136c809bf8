package dev.ausb.examples;

import dev.ausb.UsbContext;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOutEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The original's "Endpoint interaction": claim interface 0, get endpoints by address from its
 * descriptor, write and read. Against Linux's Loopback gadget what is written comes back.
 * Usage: EndpointEcho VID PID TEXT
 */
public final class EndpointEcho {
    private EndpointEcho() {}

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

            CompletableFuture<byte[]> echo = in.read(4096);              // IN transfer
            out.write(args[2].getBytes(StandardCharsets.UTF_8)).join(); // OUT transfer
            System.out.println("echo: " + new String(echo.join(), StandardCharsets.UTF_8));
        }
    }
}
