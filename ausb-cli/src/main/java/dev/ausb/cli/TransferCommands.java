package dev.ausb.cli;

import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDirection;
import dev.ausb.UsbNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/** {@code ausb control} and {@code ausb reset}. */
final class TransferCommands {
    static final String CONTROL_HELP = """
            usage: ausb control [--timeout SECONDS] [--raw] DEVICE BMREQUESTTYPE BREQUEST WVALUE WINDEX [LENGTH | DATA]

            Sends one control request through endpoint 0 and prints the reply as a hex dump. The numbers are
            decimal or hex with 0x; BMREQUESTTYPE is the whole byte as libusb takes it, its bit 7 the
            direction: set (IN, 0x80 and up), the request reads up to LENGTH bytes (required, 0 to 65535);
            clear (OUT), DATA is the data stage in hex ("de ad be ef" or deadbeef; none if left out).
            DEVICE is VID:PID (or -d VID:PID), -s [BUS]:DEV or -p PATH (Linux's name: 3-1.2, usb3).

              --raw              write the reply's bytes as they are to standard output, not a dump
              --timeout SECONDS  how long the device may take (default 5)

            Examples:
              ausb control 1a0a:badd 0x80 6 0x0100 0 18       the device descriptor (GET_DESCRIPTOR)
              ausb control -p 3-1 0xa3 0 0 1 4                 status of port 1 of the hub at 3-1
              ausb control 1a0a:badd 0x40 0x5c 1 0 "01 02"      a vendor request with two bytes of data

            A request with recipient interface or endpoint needs the interface free of kernel drivers
            (Linux claims it for the request).

            Exit codes: 0 answered, 1 stalled or failed, 2 usage, 3 no device matched, 4 several matched,
            5 access denied, 6 no USB on this machine, 7 libusb missing.""";

    static final String RESET_HELP = """
            usage: ausb reset DEVICE

            Resets the device (a USB port reset, then the operating system sets its address and
            configuration again: drivers and claims are restored where the descriptors did not change).
            Prints the device before and after; if the reset made it enumerate anew (its descriptors
            changed, as after a firmware update), waits up to 10 s for it on the same port.
            DEVICE is VID:PID (or -d VID:PID), -s [BUS]:DEV or -p PATH (Linux's name: 3-1.2, usb3).

            Exit codes: 0 reset, 1 USB error or it did not come back, 2 usage, 3 no device matched,
            4 several matched, 5 access denied, 6 no USB on this machine, 7 libusb missing.""";

    private TransferCommands() {}

    static String label(UsbDevice d) {
        return String.format("Bus %03d Device %03d: ID %04x:%04x", d.bus(), d.address(), d.vendorId(), d.productId());
    }

    // ---- control ----

    record Control(UsbDeviceFilter device, int requestType, int request, int value, int index, int length,
            byte[] data, boolean raw, Duration timeout) {}

    static Control parseControl(List<String> rest) {
        Duration timeout = Options.seconds(rest, "--timeout", Duration.ofSeconds(5));
        boolean raw = rest.remove("--raw");
        UsbDeviceFilter device = Devices.take(rest, "control");
        if (rest.size() < 4 || rest.size() > 5) {
            throw new Main.Usage("control needs BMREQUESTTYPE BREQUEST WVALUE WINDEX, then LENGTH (IN) or DATA (OUT)");
        }
        int type = Options.integer(rest.get(0), "bmRequestType", 0, 0xff);
        int request = Options.integer(rest.get(1), "bRequest", 0, 0xff);
        int value = Options.integer(rest.get(2), "wValue", 0, 0xffff);
        int index = Options.integer(rest.get(3), "wIndex", 0, 0xffff);
        if ((type >> 5 & 3) == 3) {
            throw new Main.Usage(String.format("bmRequestType 0x%02x has the reserved type 3 (bits 6..5)", type));
        }
        boolean in = UsbControlRequest.direction(type) == UsbDirection.IN;
        if (in && rest.size() != 5) {
            throw new Main.Usage(String.format("bmRequestType 0x%02x is IN (bit 7 set): give the LENGTH to read", type));
        }
        int length = in ? Options.integer(rest.get(4), "LENGTH", 0, 0xffff) : 0;
        byte[] data = in ? null : rest.size() == 5 ? Options.hex(rest.get(4)) : new byte[0];
        if (data != null && data.length > 0xffff) {
            throw new Main.Usage("a control request carries at most 65535 bytes, not " + data.length);
        }
        rest.clear();
        return new Control(device, type, request, value, index, length, data, raw, timeout);
    }

    static int control(UsbContext usb, Control c, PrintStream out) throws IOException {
        UsbDevice d = usb.findOne(c.device());
        try (UsbDeviceHandle h = d.open()) {
            if (c.data() == null) {
                byte[] reply = h.control(c.requestType(), c.request(), c.value(), c.index(), c.length(), c.timeout()).await();
                if (c.raw()) {
                    out.write(reply);
                } else {
                    out.print(Options.hexDump(reply));
                    out.printf("%d bytes%n", reply.length);
                }
            } else {
                int sent = h.control(c.requestType(), c.request(), c.value(), c.index(), c.data(), c.timeout()).await();
                out.printf("sent %d bytes%n", sent);
            }
        }
        out.flush();
        return Main.OK;
    }

    // ---- reset ----

    static int reset(UsbContext usb, UsbDeviceFilter device, PrintStream out) {
        UsbDevice d = usb.findOne(device);
        out.println("reset " + label(d));
        UsbDeviceHandle h = d.open();
        try {
            h.reset();
            out.println("back as " + label(h.device()));
        } catch (UsbNotFoundException anew) {
            // the descriptors changed: the device enumerated anew, at a new address
            try (UsbDeviceHandle back = h.reopen(Duration.ofSeconds(10))) {
                out.println("enumerated anew as " + label(back.device()));
            }
        } finally {
            h.close();
        }
        out.flush();
        return Main.OK;
    }

}
