package dev.ausb.examples;

import dev.ausb.UsbContext;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbTransferFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads with a time limit set on the future: when the limit passes, {@code orTimeout} cancels the
 * USB transfer itself (not only the wait), and {@code reaped()} tells when libusb has handed it
 * back, with its final status. Usage: ReadWithTimeout VID PID MILLIS (VID and PID in hex)
 */
public final class ReadWithTimeout {
    private ReadWithTimeout() {}

    /**
     * Runs the program.
     *
     * @param args the vendor and product id in hex, and the time limit in milliseconds
     */
    public static void main(String[] args) {
        int vid = Integer.parseInt(args[0], 16);
        int pid = Integer.parseInt(args[1], 16);
        long millis = Long.parseLong(args[2]);
        try (UsbContext usb = UsbContext.create();
                UsbDeviceHandle device = usb.findOne(UsbDeviceFilter.of(vid, pid)).open();
                UsbInterfaceHandle itf = device.claimInterface(0)) {
            UsbTransferFuture<byte[]> read = itf.inEndpoint(0x81).read(512);
            byte[] data;
            try {
                data = read.orTimeout(millis, TimeUnit.MILLISECONDS).join();
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof TimeoutException)) {
                    throw e;
                }
                data = null;
            }
            System.out.println(data == null ? "timed out; the transfer was " + read.reaped().join().status()
                    : "read " + data.length + " bytes");
        }
    }
}
