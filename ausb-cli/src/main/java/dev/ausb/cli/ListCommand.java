package dev.ausb.cli;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceDump;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbMatchException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ausb list}: one line per device in lsusb's format and order; lsusb's -d, -s, -v and -t. */
final class ListCommand {
    private ListCommand() {}

    /** The options: a filter (null for none), -v, -t. */
    record Args(UsbDeviceFilter filter, boolean verbose, boolean tree) {}

    static Args parse(List<String> rest) {
        boolean verbose = rest.remove("-v") | rest.remove("--verbose");
        boolean tree = rest.remove("-t") | rest.remove("--tree");
        String d = Options.take(rest, "-d");
        String s = Options.take(rest, "-s");
        UsbDeviceFilter f = null;
        if (d != null) {
            f = Devices.option("-d", d);
        }
        if (s != null) {
            UsbDeviceFilter bs = Devices.option("-s", s);
            f = f == null ? bs : f.matching(bs.toString(), bs);
        }
        if (tree && (f != null || verbose)) {
            throw new Main.Usage("list -t prints the whole tree: it takes no -d, -s or -v");
        }
        Options.none(rest);
        return new Args(f, verbose, tree);
    }

    static int run(UsbContext usb, Names names, Args a, boolean json, PrintStream out, PrintStream err) {
        if (a.tree()) {
            TreeCommand.run(usb, names, json, out);
            return Main.OK;
        }
        List<UsbDevice> devices = usb.devices().stream().filter(a.filter() == null ? d -> true : a.filter()).toList();
        if (a.filter() != null && devices.isEmpty()) {
            throw new UsbMatchException(a.filter(), List.of());
        }
        List<UsbDevice> denied = new ArrayList<>();
        if (a.verbose()) {
            List<String> dumps = new ArrayList<>();
            for (UsbDevice d : devices) {
                UsbDeviceDump dump = InfoCommand.dump(d, names, denied);
                dumps.add(json ? dump.toJson().stripTrailing().indent(2).stripTrailing() : dump.toText());
            }
            out.print(json ? dumps.isEmpty() ? "[]\n" : "[\n" + String.join(",\n", dumps) + "\n]\n"
                    : String.join("\n", dumps));
        } else {
            List<Object> rows = new ArrayList<>();
            for (UsbDevice d : devices) {
                String[] vp = Main.vendorProduct(d, names, denied);
                if (json) {
                    rows.add(row(new LinkedHashMap<>(), d, vp));
                } else {
                    out.printf("Bus %03d Device %03d: ID %04x:%04x %s %s%n", d.bus(), d.address(), d.vendorId(),
                            d.productId(), UsbDeviceDump.printable(vp[0]), UsbDeviceDump.printable(vp[1]));
                }
            }
            if (json) {
                out.print(Json.write(rows));
            }
        }
        out.flush();
        if (!denied.isEmpty() && !json) {
            UsbDevice first = denied.getFirst();
            err.printf("ausb: %d %s could not be opened to read %s own strings (access denied): ausb doctor %04x:%04x "
                    + "explains why and how to fix it%n", denied.size(), denied.size() == 1 ? "device" : "devices",
                    denied.size() == 1 ? "its" : "their", first.vendorId(), first.productId());
        }
        return Main.OK;
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
