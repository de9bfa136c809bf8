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

    static void run(UsbContext usb, Names names, boolean json, PrintStream out) {
        List<Object> rows = new ArrayList<>();
        for (UsbDevice d : usb.devices()) {
            String[] vp = Main.vendorProduct(d, names);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("bus", d.bus());
                m.put("address", d.address());
                m.put("idVendor", d.vendorId());
                m.put("idProduct", d.productId());
                m.put("vendor", vp[0]);
                m.put("product", vp[1]);
                m.put("speed", d.speed().label());
                m.put("portPath", d.portPath());
                rows.add(m);
            } else {
                out.printf("Bus %03d Device %03d: ID %04x:%04x %s %s%n", d.bus(), d.address(), d.vendorId(),
                        d.productId(), vp[0], vp[1]);
            }
        }
        if (json) {
            out.print(Json.write(rows));
        }
    }
}
