package dev.ausb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@link UsbDeviceDump#toJson()}: the descriptor tree as maps and lists, and the writer. */
final class UsbDeviceDumpJson {
    private UsbDeviceDumpJson() {}

    static Map<String, Object> tree(UsbDeviceDump dump, Optional<UsbBos> bos, List<String> notes) {
        UsbDevice d = dump.device();
        UsbDeviceDescriptor dd = d.descriptor();
        List<String> vp = dump.vendorAndProduct();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bus", d.bus());
        m.put("address", d.address());
        m.put("portPath", d.portPath());
        m.put("speed", d.speed().label());
        m.put("vendorName", vp.get(0));
        m.put("productName", vp.get(1));
        m.put("bcdUSB", dd.usbVersion().toString());
        m.put("bDeviceClass", dd.deviceClass());
        m.put("bDeviceSubClass", dd.deviceSubclass());
        m.put("bDeviceProtocol", dd.deviceProtocol());
        m.put("bMaxPacketSize0", dd.rawMaxPacketSize0());
        m.put("maxPacketSize0", dd.maxPacketSize0());
        m.put("idVendor", dd.vendorId());
        m.put("idProduct", dd.productId());
        m.put("bcdDevice", dd.deviceVersion().toString());
        m.put("iManufacturer", dd.manufacturerIndex());
        m.put("manufacturer", dump.string(dd.manufacturerIndex()));
        m.put("iProduct", dd.productIndex());
        m.put("product", dump.string(dd.productIndex()));
        m.put("iSerial", dd.serialNumberIndex());
        m.put("serial", dump.string(dd.serialNumberIndex()));
        m.put("bNumConfigurations", dd.numConfigurations());
        List<Object> configs = new ArrayList<>();
        for (UsbConfiguration c : d.configurations()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("wTotalLength", c.totalLength());
            cm.put("bNumInterfaces", c.interfaces().size());
            cm.put("bConfigurationValue", c.value());
            cm.put("iConfiguration", c.nameIndex());
            cm.put("configuration", dump.string(c.nameIndex()));
            cm.put("bmAttributes", c.attributes());
            cm.put("MaxPower", c.maxPowerMilliamps());
            cm.put("extra", hex(c.extra()));
            List<Object> iads = new ArrayList<>();
            for (UsbInterfaceAssociation a : c.associations()) {
                Map<String, Object> am = new LinkedHashMap<>();
                am.put("bFirstInterface", a.firstInterface());
                am.put("bInterfaceCount", a.interfaceCount());
                am.put("bFunctionClass", a.functionClass());
                am.put("bFunctionSubClass", a.functionSubclass());
                am.put("bFunctionProtocol", a.functionProtocol());
                am.put("iFunction", a.nameIndex());
                am.put("function", dump.string(a.nameIndex()));
                iads.add(am);
            }
            cm.put("associations", iads);
            List<Object> alts = new ArrayList<>();
            for (UsbInterface itf : c.interfaces()) {
                for (UsbAlternateSetting alt : itf.alternateSettings()) {
                    alts.add(alternateSetting(alt, dump));
                }
            }
            cm.put("interfaces", alts);
            configs.add(cm);
        }
        m.put("configurations", configs);
        m.put("descriptorProblems", d.descriptorProblems());
        m.put("notes", notes);
        bos.ifPresent(b -> m.put("bos", b.capabilities().stream().map(cap -> {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("bDevCapabilityType", cap.capabilityType());
            bm.put("description", cap.toString());
            bm.put("raw", cap.raw().toString());
            return bm;
        }).toList()));
        if (bos.isEmpty()) {
            m.put("bos", null);
        }
        return m;
    }

    private static Map<String, Object> alternateSetting(UsbAlternateSetting alt, UsbDeviceDump dump) {
        Map<String, Object> am = new LinkedHashMap<>();
        am.put("bInterfaceNumber", alt.interfaceNumber());
        am.put("bAlternateSetting", alt.alternateSetting());
        am.put("bNumEndpoints", alt.endpoints().size());
        am.put("bInterfaceClass", alt.interfaceClass());
        am.put("bInterfaceSubClass", alt.interfaceSubclass());
        am.put("bInterfaceProtocol", alt.interfaceProtocol());
        am.put("iInterface", alt.nameIndex());
        am.put("interface", dump.string(alt.nameIndex()));
        am.put("extra", hex(alt.extra()));
        List<Object> eps = new ArrayList<>();
        for (UsbEndpoint ep : alt.endpoints()) {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("bEndpointAddress", ep.address());
            em.put("bmAttributes", ep.attributes());
            em.put("wMaxPacketSize", ep.rawMaxPacketSize());
            em.put("bInterval", ep.interval());
            em.put("transferType", ep.transferType().name());
            em.put("direction", ep.direction().name());
            em.put("syncType", ep.syncType().name());
            em.put("usageType", ep.usageType().name());
            em.put("maxPacketSize", ep.maxPacketSize());
            em.put("transactionsPerMicroframe", ep.transactionsPerMicroframe());
            em.put("companion", ep.superSpeedCompanion().map(cc -> {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("bMaxBurst", cc.maxBurst());
                cm.put("bmAttributes", cc.attributes());
                cm.put("wBytesPerInterval", cc.bytesPerInterval());
                return cm;
            }));
            em.put("extra", hex(ep.extra()));
            eps.add(em);
        }
        am.put("endpoints", eps);
        return am;
    }

    private static String hex(List<UsbDescriptor> extra) {
        return extra.stream().map(UsbDescriptor::toString).collect(Collectors.joining(" "));
    }

    /** The JSON text of {@code value}, ending in a newline. */
    static String write(Object value, boolean indented) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, indented ? 0 : -1);
        return sb.append('\n').toString();
    }

    /** {@code indent} -1: all on one line. */
    private static void write(StringBuilder sb, Object v, int indent) {
        switch (v) {
            case null -> sb.append("null");
            case Optional<?> o -> write(sb, o.orElse(null), indent);
            case String s -> sb.append(UsbDeviceDump.jsonString(s));
            case Double x when x.isNaN() || x.isInfinite() -> sb.append("null");
            case Float x when x.isNaN() || x.isInfinite() -> sb.append("null");
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                sb.append('{');
                int i = 0;
                for (var e : m.entrySet()) {
                    newline(sb, indent, 1);
                    sb.append(UsbDeviceDump.jsonString(String.valueOf(e.getKey())));
                    sb.append(indent < 0 ? ":" : ": ");
                    write(sb, e.getValue(), indent < 0 ? -1 : indent + 2);
                    if (++i < m.size()) {
                        sb.append(',');
                    }
                }
                newline(sb, indent, 0);
                sb.append('}');
            }
            case List<?> l -> {
                if (l.isEmpty()) {
                    sb.append("[]");
                    return;
                }
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    newline(sb, indent, 1);
                    write(sb, l.get(i), indent < 0 ? -1 : indent + 2);
                    if (i + 1 < l.size()) {
                        sb.append(',');
                    }
                }
                newline(sb, indent, 0);
                sb.append(']');
            }
            default -> sb.append(UsbDeviceDump.jsonString(v.toString()));
        }
    }

    private static void newline(StringBuilder sb, int indent, int deeper) {
        if (indent >= 0) {
            sb.append('\n').append(" ".repeat(indent + 2 * deeper));
        }
    }
}
