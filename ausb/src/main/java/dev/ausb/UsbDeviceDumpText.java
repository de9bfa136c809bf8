package dev.ausb;

import java.util.List;
import java.util.Optional;

/** {@link UsbDeviceDump#toText()}: the lsusb -v form, with lsusb's field widths. */
final class UsbDeviceDumpText {
    private UsbDeviceDumpText() {}

    static String text(UsbDeviceDump dump, UsbDeviceDump.Names names, Optional<UsbBos> bos, List<String> notes) {
        UsbDevice d = dump.device();
        UsbDeviceDescriptor dd = d.descriptor();
        StringBuilder b = new StringBuilder();
        List<String> vp = dump.vendorAndProduct();
        b.append(String.format("Bus %03d Device %03d: ID %04x:%04x %s %s\n", d.bus(), d.address(), dd.vendorId(),
                dd.productId(), p(vp.get(0)), p(vp.get(1))));
        for (String n : notes) {
            b.append('(').append(p(n)).append(")\n");
        }
        for (String problem : d.descriptorProblems()) {
            b.append("(descriptor problem: ").append(p(problem)).append(")\n");
        }
        b.append("Negotiated speed: ").append(UsbDeviceDump.speedText(d.speed())).append('\n');
        b.append("Port path: ").append(UsbDeviceDump.portPathText(d));
        d.parent().ifPresent(hub -> b.append(String.format(" (hub: Bus %03d Device %03d)", hub.bus(), hub.address())));
        b.append('\n');
        b.append("Device Descriptor:\n");
        num(b, 2, "bLength", 18);
        num(b, 2, "bDescriptorType", 1);
        b.append(String.format("  bcdUSB              %5s\n", dd.usbVersion()));
        num(b, 2, "bDeviceClass", dd.deviceClass(), className(names, dd.deviceClass()));
        num(b, 2, "bDeviceSubClass", dd.deviceSubclass());
        num(b, 2, "bDeviceProtocol", dd.deviceProtocol());
        num(b, 2, "bMaxPacketSize0", dd.rawMaxPacketSize0());
        b.append(String.format("  idVendor           0x%04x %s\n", dd.vendorId(),
                p(names.vendor(dd.vendorId()).orElse(""))).stripTrailing()).append('\n');
        b.append(String.format("  idProduct          0x%04x %s\n", dd.productId(),
                p(names.product(dd.vendorId(), dd.productId()).orElse(""))).stripTrailing()).append('\n');
        b.append(String.format("  bcdDevice           %5s\n", dd.deviceVersion()));
        str(b, 2, "iManufacturer", dd.manufacturerIndex(), dump);
        str(b, 2, "iProduct", dd.productIndex(), dump);
        str(b, 2, "iSerial", dd.serialNumberIndex(), dump);
        num(b, 2, "bNumConfigurations", dd.numConfigurations());
        for (UsbConfiguration c : d.configurations()) {
            configuration(b, c, dump, names);
        }
        bos.ifPresent(x -> bos(b, x));
        return b.toString();
    }

    private static void configuration(StringBuilder b, UsbConfiguration c, UsbDeviceDump dump,
            UsbDeviceDump.Names names) {
        b.append("  Configuration Descriptor:\n");
        num(b, 4, "bLength", 9);
        num(b, 4, "bDescriptorType", 2);
        hex(b, 4, "wTotalLength", 4, c.totalLength());
        num(b, 4, "bNumInterfaces", c.interfaces().size());
        num(b, 4, "bConfigurationValue", c.value());
        str(b, 4, "iConfiguration", c.nameIndex(), dump);
        hex(b, 4, "bmAttributes", 2, c.attributes());
        if ((c.attributes() & 0x80) == 0) {
            b.append("      (Missing must-be-set bit!)\n");
        }
        b.append(c.selfPowered() ? "      Self Powered\n" : "      (Bus Powered)\n");
        if (c.remoteWakeup()) {
            b.append("      Remote Wakeup\n");
        }
        if ((c.attributes() & 0x10) != 0) {
            b.append("      Battery Powered\n");
        }
        b.append(String.format("    MaxPower            %5dmA\n", c.maxPowerMilliamps()));
        extra(b, 4, c.extra());
        for (UsbInterfaceAssociation a : c.associations()) {
            b.append("    Interface Association:\n");
            num(b, 6, "bLength", 8);
            num(b, 6, "bDescriptorType", 11);
            num(b, 6, "bFirstInterface", a.firstInterface());
            num(b, 6, "bInterfaceCount", a.interfaceCount());
            num(b, 6, "bFunctionClass", a.functionClass(), className(names, a.functionClass()));
            num(b, 6, "bFunctionSubClass", a.functionSubclass());
            num(b, 6, "bFunctionProtocol", a.functionProtocol());
            str(b, 6, "iFunction", a.nameIndex(), dump);
        }
        for (UsbInterface itf : c.interfaces()) {
            for (UsbAlternateSetting alt : itf.alternateSettings()) {
                b.append("    Interface Descriptor:\n");
                num(b, 6, "bLength", 9);
                num(b, 6, "bDescriptorType", 4);
                num(b, 6, "bInterfaceNumber", alt.interfaceNumber());
                num(b, 6, "bAlternateSetting", alt.alternateSetting());
                num(b, 6, "bNumEndpoints", alt.endpoints().size());
                num(b, 6, "bInterfaceClass", alt.interfaceClass(), className(names, alt.interfaceClass()));
                num(b, 6, "bInterfaceSubClass", alt.interfaceSubclass());
                num(b, 6, "bInterfaceProtocol", alt.interfaceProtocol());
                str(b, 6, "iInterface", alt.nameIndex(), dump);
                extra(b, 6, alt.extra());
                for (UsbEndpoint ep : alt.endpoints()) {
                    endpoint(b, ep, audio10(alt));
                }
            }
        }
    }

    /** Audio 1.0 streaming and MIDI interfaces, whose endpoint descriptors have 9 bytes (bRefresh, bSynchAddress). */
    private static boolean audio10(UsbAlternateSetting alt) {
        return alt.interfaceClass() == 1 && alt.interfaceProtocol() == 0
                && (alt.interfaceSubclass() == 2 || alt.interfaceSubclass() == 3);
    }

    private static void endpoint(StringBuilder b, UsbEndpoint ep, boolean audio10) {
        boolean audio = audio10 || ep.refresh() != 0 || ep.synchAddress() != 0;
        b.append("      Endpoint Descriptor:\n");
        num(b, 8, "bLength", audio ? 9 : 7);
        num(b, 8, "bDescriptorType", 5);
        b.append(String.format("        bEndpointAddress     0x%02x  EP %d %s\n", ep.address(), ep.number(),
                ep.direction()));
        num(b, 8, "bmAttributes", ep.attributes());
        b.append(String.format("          Transfer Type            %s\n", title(ep.transferType())));
        b.append(String.format("          Synch Type               %s\n", title(ep.syncType())));
        b.append(String.format("          Usage Type               %s\n", switch (ep.usageType()) {
            case DATA -> "Data";
            case FEEDBACK -> "Feedback";
            case IMPLICIT_FEEDBACK -> "Implicit feedback Data";
            case RESERVED -> "Reserved";
        }));
        b.append(String.format("        wMaxPacketSize     0x%04x  %dx %d bytes\n", ep.rawMaxPacketSize(),
                ep.transactionsPerMicroframe(), ep.maxPacketSize()));
        num(b, 8, "bInterval", ep.interval());
        if (audio) {
            num(b, 8, "bRefresh", ep.refresh());
            num(b, 8, "bSynchAddress", ep.synchAddress());
        }
        ep.superSpeedCompanion().ifPresent(cc -> {
            b.append("        SuperSpeed Endpoint Companion Descriptor:\n");
            num(b, 10, "bLength", 6);
            num(b, 10, "bDescriptorType", 48);
            num(b, 10, "bMaxBurst", cc.maxBurst());
            if (ep.transferType() == UsbTransferType.BULK) {
                num(b, 10, "MaxStreams", cc.maxStreams());
            } else if (ep.transferType() == UsbTransferType.ISOCHRONOUS) {
                num(b, 10, "Mult", cc.mult());
            }
            num(b, 10, "wBytesPerInterval", cc.bytesPerInterval());
        });
        extra(b, 8, ep.extra());
    }

    private static void bos(StringBuilder b, UsbBos bos) {
        b.append("Binary Object Store Descriptor:\n");
        num(b, 2, "bLength", 5);
        num(b, 2, "bDescriptorType", 15);
        hex(b, 2, "wTotalLength", 4, bos.totalLength());
        num(b, 2, "bNumDeviceCaps", bos.capabilities().size());
        for (UsbBosCapability cap : bos.capabilities()) {
            b.append("  ").append(switch (cap) {
                case UsbBosCapability.Usb2Extension x -> "USB 2.0 Extension";
                case UsbBosCapability.SuperSpeed x -> "SuperSpeed USB";
                case UsbBosCapability.SuperSpeedPlus x -> "SuperSpeedPlus USB";
                case UsbBosCapability.ContainerId x -> "Container ID";
                case UsbBosCapability.Platform x -> "Platform";
                case UsbBosCapability.Other x -> String.format("Capability 0x%02x", x.capabilityType());
            }).append(" Device Capability:\n");
            num(b, 4, "bLength", cap.raw().length());
            num(b, 4, "bDescriptorType", 16);
            num(b, 4, "bDevCapabilityType", cap.capabilityType());
            switch (cap) {
                case UsbBosCapability.Usb2Extension x -> {
                    hex(b, 4, "bmAttributes", 8, x.attributes());
                    if (x.linkPowerManagement()) {
                        b.append("      Link Power Management (LPM) Supported\n");
                    }
                }
                case UsbBosCapability.SuperSpeed x -> {
                    hex(b, 4, "bmAttributes", 2, x.attributes());
                    hex(b, 4, "wSpeedsSupported", 4, x.speedsSupported());
                    num(b, 4, "bFunctionalitySupport", x.functionalitySupport());
                    b.append(String.format("    bU1DevExitLat       %5d micro seconds\n", x.u1DeviceExitLatency()));
                    b.append(String.format("    bU2DevExitLat       %5d micro seconds\n", x.u2DeviceExitLatency()));
                }
                case UsbBosCapability.SuperSpeedPlus x -> {
                    hex(b, 4, "bmAttributes", 8, x.attributes());
                    hex(b, 4, "wFunctionalitySupport", 4, x.functionalitySupport());
                    for (int i = 0; i < x.sublinkSpeeds().size(); i++) {
                        b.append(String.format("    bmSublinkSpeedAttr[%d]   0x%08x\n", i, x.sublinkSpeeds().get(i)));
                    }
                }
                case UsbBosCapability.ContainerId x -> b.append("    ContainerID             {")
                        .append(x.containerId()).append("}\n");
                case UsbBosCapability.Platform x -> {
                    b.append("    PlatformCapabilityUUID    {").append(x.platformId()).append("}\n");
                    bytes(b, 4, "CapabilityData", x.capabilityData());
                }
                case UsbBosCapability.Other x -> bytes(b, 4, "Data", x.raw().bytes());
            }
        }
    }

    private static String title(Enum<?> e) {
        String s = UsbDeviceDump.lower(e);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String className(UsbDeviceDump.Names names, int cls) {
        return names.usbClass(cls).orElse(cls == 0 ? "[unknown]" : "");
    }

    private static String p(String s) {
        return UsbDeviceDump.printable(s);
    }

    private static void num(StringBuilder b, int indent, String field, long value) {
        num(b, indent, field, value, "");
    }

    /** As lsusb prints a field: its value ends in column {@code indent + 25}, a space at least before it. */
    private static void num(StringBuilder b, int indent, String field, long value, String text) {
        String head = " ".repeat(indent) + field;
        String v = String.valueOf(value);
        b.append(head).append(" ".repeat(Math.max(1, indent + 25 - head.length() - v.length()))).append(v);
        if (!text.isEmpty()) {
            b.append(' ').append(p(text));
        }
        b.append('\n');
    }

    private static void hex(StringBuilder b, int indent, String field, int digits, long value) {
        String head = " ".repeat(indent) + field;
        String v = String.format("0x%0" + digits + "x", value);
        b.append(head).append(" ".repeat(Math.max(1, indent + 25 - head.length() - v.length()))).append(v).append('\n');
    }

    private static void str(StringBuilder b, int indent, String field, int index, UsbDeviceDump dump) {
        num(b, indent, field, index, dump.string(index).orElse(""));
    }

    private static void bytes(StringBuilder b, int indent, String field, byte[] data) {
        b.append(" ".repeat(indent)).append(field).append(':');
        for (byte x : data) {
            b.append(String.format(" %02x", x & 0xff));
        }
        b.append('\n');
    }

    private static void extra(StringBuilder b, int indent, List<UsbDescriptor> extra) {
        for (UsbDescriptor x : extra) {
            b.append(" ".repeat(indent + 2)).append(String.format("Descriptor 0x%02x, %d bytes: %s\n", x.type(),
                    x.length(), x));
        }
    }
}
