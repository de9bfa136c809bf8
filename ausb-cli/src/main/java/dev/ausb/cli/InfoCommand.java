package dev.ausb.cli;

import dev.ausb.UsbAlternateSetting;
import dev.ausb.UsbBos;
import dev.ausb.UsbBosCapability;
import dev.ausb.UsbConfiguration;
import dev.ausb.UsbDescriptor;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceDescriptor;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbException;
import dev.ausb.UsbInterface;
import dev.ausb.UsbInterfaceAssociation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code ausb info}: one device's whole descriptor tree with its strings, in the shape of the
 * Python original's {@code dev_info} sample; {@code --json} uses the USB field names lsusb prints.
 */
final class InfoCommand {
    private InfoCommand() {}

    /** Strings by index, read once through one open handle; empty when the device cannot be opened. */
    private record Strings(Map<Integer, String> byIndex, Optional<UsbBos> bos, String problem) {
        String get(int index) {
            return index == 0 ? null : byIndex.get(index);
        }
    }

    static void run(UsbDevice d, boolean json, PrintStream out) {
        Strings s = readStrings(d);
        out.print(json ? Json.write(toJson(d, s)) : text(d, s));
    }

    private static Strings readStrings(UsbDevice d) {
        Map<Integer, String> map = new HashMap<>();
        List<Integer> indexes = new ArrayList<>();
        UsbDeviceDescriptor dd = d.descriptor();
        indexes.addAll(List.of(dd.manufacturerIndex(), dd.productIndex(), dd.serialNumberIndex()));
        for (UsbConfiguration c : d.configurations()) {
            indexes.add(c.nameIndex());
            c.associations().forEach(a -> indexes.add(a.nameIndex()));
            c.interfaces().forEach(i -> i.alternateSettings().forEach(a -> indexes.add(a.nameIndex())));
        }
        try (UsbDeviceHandle h = d.open()) {
            for (int i : indexes) {
                if (i != 0 && !map.containsKey(i)) {
                    try {
                        h.readString(i).ifPresent(v -> map.put(i, v));
                    } catch (UsbException bad) {
                        map.put(i, "(unreadable: " + bad.errorName() + ")");
                    }
                }
            }
            Optional<UsbBos> bos = dd.usbVersion().bcd() >= 0x0201 ? h.readBos() : Optional.empty();
            return new Strings(map, bos, null);
        } catch (dev.ausb.UsbAccessDeniedException e) {
            return new Strings(map, Optional.empty(), e.getMessage() + String.format(
                    "; ausb doctor %04x:%04x explains why and how to fix it", d.vendorId(), d.productId()));
        } catch (UsbException e) {
            return new Strings(map, Optional.empty(), e.getMessage());
        }
    }

    private static String text(UsbDevice d, Strings s) {
        StringBuilder b = new StringBuilder();
        UsbDeviceDescriptor dd = d.descriptor();
        b.append(String.format("Bus %03d Device %03d: ID %04x:%04x v.%s usb v.%s speed %s (%s)%n", d.bus(),
                d.address(), dd.vendorId(), dd.productId(), dd.deviceVersion(), dd.usbVersion(),
                d.speed().name().toLowerCase(Locale.ROOT), d.speed().label()));
        if (s.problem() != null) {
            b.append(" (strings not read: ").append(s.problem()).append(")\n");
        }
        for (String p : d.descriptorProblems()) {
            b.append(" (descriptor problem: ").append(p).append(")\n");
        }
        line(b, 1, "Manufacturer", s.get(dd.manufacturerIndex()));
        line(b, 1, "Product", s.get(dd.productIndex()));
        line(b, 1, "Serial number", s.get(dd.serialNumberIndex()));
        if (!d.portPath().isEmpty()) {
            b.append(String.format(" Port path %d-%s%s%n", d.bus(),
                    d.portPath().stream().map(String::valueOf).collect(Collectors.joining(".")),
                    d.parent().map(p -> ", parent hub: " + p).orElse("")));
        }
        b.append(String.format(" Device class %02x/%02x/%02x%n", dd.deviceClass(), dd.deviceSubclass(),
                dd.deviceProtocol()));
        b.append(String.format(" Control Endpoint 00, MPS=%d%n", dd.maxPacketSize0()));
        for (UsbConfiguration c : d.configurations()) {
            b.append(String.format(" Configuration #%d, attributes 0x%02x%s%s, MaxPower %dmA%s%n", c.value(),
                    c.attributes(), c.selfPowered() ? " self-powered" : " bus-powered",
                    c.remoteWakeup() ? " remote-wakeup" : "", c.maxPowerMilliamps(), quoted(s.get(c.nameIndex()))));
            extra(b, 2, c.extra());
            for (UsbInterfaceAssociation a : c.associations()) {
                b.append(String.format("  Interface Association: interfaces %d..%d, class %02x/%02x/%02x%s%n",
                        a.firstInterface(), a.firstInterface() + a.interfaceCount() - 1, a.functionClass(),
                        a.functionSubclass(), a.functionProtocol(), quoted(s.get(a.nameIndex()))));
            }
            for (UsbInterface itf : c.interfaces()) {
                b.append(String.format("  Interface #%d%n", itf.number()));
                for (UsbAlternateSetting alt : itf.alternateSettings()) {
                    b.append(String.format("   Alternate Setting %d, class %02x/%02x/%02x%s%n",
                            alt.alternateSetting(), alt.interfaceClass(), alt.interfaceSubclass(),
                            alt.interfaceProtocol(), quoted(s.get(alt.nameIndex()))));
                    extra(b, 4, alt.extra());
                    for (UsbEndpoint ep : alt.endpoints()) {
                        b.append(String.format("    %s %s Endpoint %02x, MPS=%d%s, interval=%d%n",
                                capitalize(ep.transferType().name()), capitalize(ep.direction().name()),
                                ep.address(), ep.maxPacketSize(),
                                ep.transactionsPerMicroframe() > 1 ? "x" + ep.transactionsPerMicroframe() : "",
                                ep.interval()));
                        ep.superSpeedCompanion().ifPresent(cc -> b.append(String.format(
                                "     SuperSpeed companion: max burst %d, attributes 0x%02x, bytes per interval %d%n",
                                cc.maxBurst(), cc.attributes(), cc.bytesPerInterval())));
                        extra(b, 5, ep.extra());
                    }
                }
            }
        }
        s.bos().ifPresent(bos -> {
            b.append(String.format(" BOS, %d capabilities%n", bos.capabilities().size()));
            for (UsbBosCapability cap : bos.capabilities()) {
                b.append("  ").append(describe(cap)).append('\n');
            }
        });
        return b.toString();
    }

    private static String describe(UsbBosCapability cap) {
        return switch (cap) {
            case UsbBosCapability.Usb2Extension e -> String.format("USB 2.0 Extension, attributes 0x%08x%s",
                    e.attributes(), e.linkPowerManagement() ? " (LPM)" : "");
            case UsbBosCapability.SuperSpeed ss -> String.format(
                    "SuperSpeed, attributes 0x%02x, speeds 0x%04x, functionality %d, U1 exit %d us, U2 exit %d us",
                    ss.attributes(), ss.speedsSupported(), ss.functionalitySupport(), ss.u1DeviceExitLatency(),
                    ss.u2DeviceExitLatency());
            case UsbBosCapability.SuperSpeedPlus ssp -> String.format("SuperSpeedPlus, attributes 0x%08x, %d sublink speeds",
                    ssp.attributes(), ssp.sublinkSpeeds().size());
            case UsbBosCapability.ContainerId c -> "Container ID {" + c.containerId() + "}";
            case UsbBosCapability.Platform p -> "Platform {" + p.platformId() + "}, " + p.capabilityData().length
                    + " bytes of data";
            case UsbBosCapability.Other o -> String.format("Capability 0x%02x: %s", o.capabilityType(), o.raw());
        };
    }

    private static void line(StringBuilder b, int indent, String label, String value) {
        if (value != null) {
            b.append(" ".repeat(indent)).append(label).append(": ").append(value).append('\n');
        }
    }

    private static void extra(StringBuilder b, int indent, List<UsbDescriptor> extra) {
        for (UsbDescriptor x : extra) {
            b.append(" ".repeat(indent)).append(String.format("Descriptor 0x%02x: %s%n", x.type(), x));
        }
    }

    private static String quoted(String s) {
        return s == null ? "" : " \"" + s + "\"";
    }

    private static String capitalize(String s) {
        return s.charAt(0) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String hex(List<UsbDescriptor> extra) {
        return extra.stream().map(UsbDescriptor::toString).collect(Collectors.joining(" "));
    }

    static Map<String, Object> toJson(UsbDevice d, Strings s) {
        UsbDeviceDescriptor dd = d.descriptor();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bus", d.bus());
        m.put("address", d.address());
        m.put("portPath", d.portPath());
        m.put("speed", d.speed().label());
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
        m.put("manufacturer", s.get(dd.manufacturerIndex()));
        m.put("iProduct", dd.productIndex());
        m.put("product", s.get(dd.productIndex()));
        m.put("iSerial", dd.serialNumberIndex());
        m.put("serial", s.get(dd.serialNumberIndex()));
        m.put("bNumConfigurations", dd.numConfigurations());
        List<Object> configs = new ArrayList<>();
        for (UsbConfiguration c : d.configurations()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("wTotalLength", c.totalLength());
            cm.put("bNumInterfaces", c.interfaces().size());
            cm.put("bConfigurationValue", c.value());
            cm.put("iConfiguration", c.nameIndex());
            cm.put("configuration", s.get(c.nameIndex()));
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
                am.put("function", s.get(a.nameIndex()));
                iads.add(am);
            }
            cm.put("associations", iads);
            List<Object> alts = new ArrayList<>();
            for (UsbInterface itf : c.interfaces()) {
                for (UsbAlternateSetting alt : itf.alternateSettings()) {
                    alts.add(altJson(alt, s));
                }
            }
            cm.put("interfaces", alts);
            configs.add(cm);
        }
        m.put("configurations", configs);
        if (!d.descriptorProblems().isEmpty()) {
            m.put("descriptorProblems", d.descriptorProblems());
        }
        s.bos().ifPresent(bos -> m.put("bos", bos.capabilities().stream().map(cap -> {
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("bDevCapabilityType", cap.capabilityType());
            bm.put("description", describe(cap));
            bm.put("raw", cap.raw().toString());
            return bm;
        }).toList()));
        return m;
    }

    private static Map<String, Object> altJson(UsbAlternateSetting alt, Strings s) {
        Map<String, Object> am = new LinkedHashMap<>();
        am.put("bInterfaceNumber", alt.interfaceNumber());
        am.put("bAlternateSetting", alt.alternateSetting());
        am.put("bNumEndpoints", alt.endpoints().size());
        am.put("bInterfaceClass", alt.interfaceClass());
        am.put("bInterfaceSubClass", alt.interfaceSubclass());
        am.put("bInterfaceProtocol", alt.interfaceProtocol());
        am.put("iInterface", alt.nameIndex());
        am.put("interface", s.get(alt.nameIndex()));
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
            ep.superSpeedCompanion().ifPresent(cc -> {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("bMaxBurst", cc.maxBurst());
                cm.put("bmAttributes", cc.attributes());
                cm.put("wBytesPerInterval", cc.bytesPerInterval());
                em.put("companion", cm);
            });
            em.put("extra", hex(ep.extra()));
            eps.add(em);
        }
        am.put("endpoints", eps);
        return am;
    }
}
