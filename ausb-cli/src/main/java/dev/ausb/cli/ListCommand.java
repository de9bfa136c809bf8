package dev.ausb.cli;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ausb list}: one line per device in lsusb's format and order. */
final class ListCommand {
    private ListCommand() {}

    static void run(UsbContext usb, Names names, boolean json, PrintStream out, PrintStream err) {
        List<Object> rows = new ArrayList<>();
        List<UsbDevice> denied = new ArrayList<>();
        for (UsbDevice d : usb.devices()) {
            String[] vp = Main.vendorProduct(d, names, denied);
            if (json) {
                rows.add(row(new LinkedHashMap<>(), d, vp));
            } else {
                out.printf("Bus %03d Device %03d: ID %04x:%04x %s %s%n", d.bus(), d.address(), d.vendorId(),
                        d.productId(), vp[0], vp[1]);
            }
        }
        if (json) {
            out.print(Json.write(rows));
        }
        out.flush();
        if (!denied.isEmpty()) {
            UsbDevice first = denied.getFirst();
            err.printf("ausb: %d %s could not be opened to read %s own strings (access denied): ausb doctor %04x:%04x "
                    + "explains why and how to fix it%n", denied.size(), denied.size() == 1 ? "device" : "devices",
                    denied.size() == 1 ? "its" : "their", first.vendorId(), first.productId());
        }
    }

    /** A device as {@code list --json} shows it (and {@code watch --json}, after the event), into {@code m}. */
    static Map<String, Object> row(Map<String, Object> m, UsbDevice d, String[] vendorProduct) {
        m.put("bus", d.bus());
        m.put("address", d.address());
        m.put("idVendor", d.vendorId());
        m.put("idProduct", d.productId());
        m.put("vendor", vendorProduct[0]);
        m.put("product", vendorProduct[1]);
        m.put("speed", d.speed().label());
        m.put("portPath", d.portPath());
        return m;
    }
}
