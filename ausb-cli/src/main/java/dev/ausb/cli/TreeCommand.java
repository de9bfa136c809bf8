package dev.ausb.cli;

import dev.ausb.UsbConfiguration;
import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbInterface;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ausb tree}: the bus and port topology in the form of {@code lsusb -t}. */
final class TreeCommand {
    private TreeCommand() {}

    static void run(UsbContext usb, Names names, boolean json, PrintStream out) {
        List<UsbDevice> all = usb.devices();
        List<UsbDevice> roots = all.stream().filter(d -> d.portPath().isEmpty())
                .sorted(Comparator.comparingInt(UsbDevice::bus).reversed()).toList();
        if (json) {
            out.print(Json.write(roots.stream().map(r -> node(r, all, names)).toList()));
            return;
        }
        for (UsbDevice root : roots) {
            String driver = root.hostControllerDriver().orElse("");
            out.printf("/:  Bus %02d.Port 1: Dev %d, Class=root_hub, Driver=%s/%dp, %s%n", root.bus(), root.address(),
                    driver, root.hubPortCount().orElse(0), root.speed().label());
            printChildren(root, all, names, 1, out);
        }
    }

    private static List<UsbDevice> children(UsbDevice hub, List<UsbDevice> all) {
        return all.stream().filter(d -> d.parent().filter(p -> p == hub).isPresent())
                .sorted(Comparator.comparingInt(UsbDevice::portNumber)).toList();
    }

    private static List<UsbInterface> activeInterfaces(UsbDevice d) {
        int value = d.cachedActiveConfiguration().orElse(
                d.configurations().isEmpty() ? 0 : d.configurations().getFirst().value());
        return d.configuration(value).map(UsbConfiguration::interfaces).orElse(List.of());
    }

    private static void printChildren(UsbDevice hub, List<UsbDevice> all, Names names, int depth, PrintStream out) {
        for (UsbDevice d : children(hub, all)) {
            String indent = "    ".repeat(depth);
            for (UsbInterface itf : activeInterfaces(d)) {
                int cls = itf.defaultSetting().interfaceClass();
                String driver = d.kernelDriver(itf.number()).orElse("");
                if (cls == 9) {
                    driver = driver + "/" + d.hubPortCount().orElse(0) + "p";
                }
                out.printf("%s|__ Port %d: Dev %d, If %d, Class=%s, Driver=%s, %s%n", indent, d.portNumber(),
                        d.address(), itf.number(), names.usbClass(cls).orElse(""), driver, d.speed().label());
            }
            printChildren(d, all, names, depth + 1, out);
        }
    }

    private static Map<String, Object> node(UsbDevice d, List<UsbDevice> all, Names names) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bus", d.bus());
        m.put("address", d.address());
        m.put("port", d.portNumber());
        m.put("portPath", d.portPath());
        m.put("idVendor", d.vendorId());
        m.put("idProduct", d.productId());
        m.put("speed", d.speed().label());
        if (d.portPath().isEmpty()) {
            m.put("driver", d.hostControllerDriver().orElse(null));
        }
        d.hubPortCount().ifPresent(n -> m.put("ports", n));
        List<Object> ifs = new ArrayList<>();
        for (UsbInterface itf : d.portPath().isEmpty() ? List.<UsbInterface>of() : activeInterfaces(d)) {
            Map<String, Object> i = new LinkedHashMap<>();
            int cls = itf.defaultSetting().interfaceClass();
            i.put("number", itf.number());
            i.put("class", cls);
            i.put("className", names.usbClass(cls).orElse(null));
            i.put("driver", d.kernelDriver(itf.number()).orElse(null));
            ifs.add(i);
        }
        m.put("interfaces", ifs);
        m.put("children", children(d, all).stream().map(c -> node(c, all, names)).toList());
        return m;
    }
}
