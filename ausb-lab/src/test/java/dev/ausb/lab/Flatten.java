package dev.ausb.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns {@code ausb info --json} into the sections {@link Lsusb#parseVerbose} reads from lsusb. */
final class Flatten {
    private Flatten() {}

    static List<Lsusb.Section> sections(Map<String, Object> dev) {
        List<Lsusb.Section> out = new ArrayList<>();
        out.add(section("Device Descriptor", dev, List.of("bcdUSB", "bDeviceClass", "bDeviceSubClass",
                "bDeviceProtocol", "bMaxPacketSize0", "idVendor", "idProduct", "bcdDevice", "iManufacturer:manufacturer",
                "iProduct:product", "iSerial:serial", "bNumConfigurations")));
        for (Object c : MiniJson.array(dev.get("configurations"))) {
            Map<String, Object> cfg = MiniJson.object(c);
            out.add(section("Configuration Descriptor", cfg, List.of("wTotalLength", "bNumInterfaces",
                    "bConfigurationValue", "iConfiguration:configuration", "bmAttributes", "MaxPower")));
            for (Object a : MiniJson.array(cfg.get("associations"))) {
                out.add(section("Interface Association", MiniJson.object(a), List.of("bFirstInterface",
                        "bInterfaceCount", "bFunctionClass", "bFunctionSubClass", "bFunctionProtocol",
                        "iFunction:function")));
            }
            for (Object i : MiniJson.array(cfg.get("interfaces"))) {
                Map<String, Object> alt = MiniJson.object(i);
                out.add(section("Interface Descriptor", alt, List.of("bInterfaceNumber", "bAlternateSetting",
                        "bNumEndpoints", "bInterfaceClass", "bInterfaceSubClass", "bInterfaceProtocol",
                        "iInterface:interface")));
                for (Object e : MiniJson.array(alt.get("endpoints"))) {
                    Map<String, Object> ep = MiniJson.object(e);
                    Lsusb.Section s = section("Endpoint Descriptor", ep, List.of("bEndpointAddress", "bmAttributes",
                            "wMaxPacketSize", "bInterval"));
                    if (ep.get("companion") != null) {
                        Map<String, Object> cc = MiniJson.object(ep.get("companion"));
                        s.fields().put("bMaxBurst", String.valueOf(cc.get("bMaxBurst")));
                    }
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** Fields named as lsusb names them; "iX:name" joins a string index and its text as "1 Lab". */
    private static Lsusb.Section section(String kind, Map<String, Object> m, List<String> names) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String n : names) {
            String[] p = n.split(":");
            Object v = m.get(p[0]);
            if (p.length == 2 && m.get(p[1]) != null) {
                f.put(p[0], v + " " + m.get(p[1]));
            } else {
                f.put(p[0], String.valueOf(v));
            }
        }
        return new Lsusb.Section(kind, f);
    }
}
