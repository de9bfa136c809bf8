package dev.ausb.internal;

import dev.ausb.UsbAlternateSetting;
import dev.ausb.UsbBos;
import dev.ausb.UsbBosCapability;
import dev.ausb.UsbConfiguration;
import dev.ausb.UsbDescriptor;
import dev.ausb.UsbDescriptorType;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInterface;
import dev.ausb.UsbInterfaceAssociation;
import dev.ausb.UsbSuperSpeedCompanion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Parses raw descriptor bytes into ausb's descriptor values: configurations with their whole tree,
 * BOS descriptors, string descriptors. Pure logic, no I/O.
 *
 * <p>Lenient like the kernel and libusb: a truncated or zero-length descriptor ends the walk, a
 * descriptor in an unexpected place is kept as an extra of whatever precedes it, and short
 * standard descriptors are skipped. Only a missing configuration or BOS header is an error
 * ({@link IllegalArgumentException}); nothing else throws, whatever the bytes.
 */
public final class DescriptorParser {
    private DescriptorParser() {}


    private static int u8(byte[] b, int i) {
        return Byte.toUnsignedInt(b[i]);
    }

    private static int u16(byte[] b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8;
    }

    private static long u32(byte[] b, int i) {
        return (u16(b, i) | (long) u16(b, i + 2) << 16);
    }

    private static final class EndpointBuilder {
        final byte[] d;
        UsbSuperSpeedCompanion companion;
        final List<UsbDescriptor> extra = new ArrayList<>();

        EndpointBuilder(byte[] d) {
            this.d = d;
        }

        UsbEndpoint build() {
            boolean audio = d.length >= 9;
            return new UsbEndpoint(u8(d, 2), u8(d, 3), u16(d, 4), u8(d, 6), audio ? u8(d, 7) : 0,
                    audio ? u8(d, 8) : 0, Optional.ofNullable(companion), extra);
        }
    }

    private static final class AltBuilder {
        final byte[] d;
        final List<EndpointBuilder> endpoints = new ArrayList<>();
        final List<UsbDescriptor> extra = new ArrayList<>();

        AltBuilder(byte[] d) {
            this.d = d;
        }

        UsbAlternateSetting build() {
            return new UsbAlternateSetting(u8(d, 2), u8(d, 3), u8(d, 5), u8(d, 6), u8(d, 7), u8(d, 8),
                    endpoints.stream().map(EndpointBuilder::build).toList(), extra);
        }
    }

    /**
     * Parses a whole configuration descriptor (as {@code GET_DESCRIPTOR(CONFIGURATION)} returns it,
     * {@code wTotalLength} bytes).
     *
     * @param raw        the bytes
     * @param superSpeed whether the device runs at SuperSpeed or faster ({@code bMaxPower} is then in 8 mA units)
     * @throws IllegalArgumentException if the bytes do not start with a configuration descriptor
     */
    public static UsbConfiguration parseConfiguration(byte[] raw, boolean superSpeed) {
        if (raw.length < 9 || u8(raw, 0) < 9 || u8(raw, 1) != UsbDescriptorType.CONFIGURATION) {
            throw new IllegalArgumentException("not a configuration descriptor: " + preview(raw));
        }
        int maxPower = u8(raw, 8);
        List<UsbDescriptor> configExtra = new ArrayList<>();
        List<UsbInterfaceAssociation> associations = new ArrayList<>();
        Map<Integer, List<AltBuilder>> interfaces = new LinkedHashMap<>();
        AltBuilder alt = null;
        EndpointBuilder ep = null;

        int pos = Math.min(u8(raw, 0), raw.length);
        while (pos + 2 <= raw.length) {
            int len = u8(raw, pos);
            if (len < 2 || pos + len > raw.length) {
                break; // zero-length or truncated: stop, as libusb does
            }
            byte[] d = Arrays.copyOfRange(raw, pos, pos + len);
            int type = u8(d, 1);
            if (type == UsbDescriptorType.INTERFACE && len >= 9) {
                alt = new AltBuilder(d);
                ep = null;
                interfaces.computeIfAbsent(u8(d, 2), k -> new ArrayList<>()).add(alt);
            } else if (type == UsbDescriptorType.ENDPOINT && len >= 7 && alt != null) {
                ep = new EndpointBuilder(d);
                alt.endpoints.add(ep);
            } else if (type == UsbDescriptorType.INTERFACE_ASSOCIATION && len >= 8) {
                associations.add(new UsbInterfaceAssociation(u8(d, 2), u8(d, 3), u8(d, 4), u8(d, 5), u8(d, 6),
                        u8(d, 7)));
            } else if (type == UsbDescriptorType.SUPERSPEED_ENDPOINT_COMPANION && len >= 6 && ep != null && ep.companion == null) {
                ep.companion = new UsbSuperSpeedCompanion(u8(d, 2), u8(d, 3), u16(d, 4));
            } else {
                UsbDescriptor extra = new UsbDescriptor(d);
                (ep != null ? ep.extra : alt != null ? alt.extra : configExtra).add(extra);
            }
            pos += len;
        }
        List<UsbInterface> ifaces = interfaces.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new UsbInterface(e.getKey(), e.getValue().stream().map(AltBuilder::build)
                        .sorted(Comparator.comparingInt(UsbAlternateSetting::alternateSetting)).toList()))
                .toList();
        return new UsbConfiguration(u8(raw, 5), u8(raw, 6), u8(raw, 7), maxPower,
                maxPower * (superSpeed ? 8 : 2), u16(raw, 2), ifaces, associations, configExtra);
    }

    /**
     * Parses a BOS descriptor with its device capabilities.
     *
     * @throws IllegalArgumentException if the bytes do not start with a BOS descriptor
     */
    public static UsbBos parseBos(byte[] raw) {
        if (raw.length < 5 || u8(raw, 0) < 5 || u8(raw, 1) != UsbDescriptorType.BOS) {
            throw new IllegalArgumentException("not a BOS descriptor: " + preview(raw));
        }
        List<UsbBosCapability> caps = new ArrayList<>();
        int pos = Math.min(u8(raw, 0), raw.length);
        while (pos + 3 <= raw.length) {
            int len = u8(raw, pos);
            if (len < 3 || pos + len > raw.length) {
                break;
            }
            byte[] d = Arrays.copyOfRange(raw, pos, pos + len);
            if (u8(d, 1) == UsbDescriptorType.DEVICE_CAPABILITY) {
                caps.add(capability(d));
            }
            pos += len;
        }
        return new UsbBos(u16(raw, 2), caps);
    }

    private static UsbBosCapability capability(byte[] d) {
        UsbDescriptor raw = new UsbDescriptor(d);
        int type = u8(d, 2);
        int len = d.length;
        switch (type) {
            case UsbBosCapability.USB2_EXTENSION:
                if (len >= 7) {
                    return new UsbBosCapability.Usb2Extension(u32(d, 3), raw);
                }
                break;
            case UsbBosCapability.SUPERSPEED_USB:
                if (len >= 10) {
                    return new UsbBosCapability.SuperSpeed(u8(d, 3), u16(d, 4), u8(d, 6), u8(d, 7), u16(d, 8), raw);
                }
                break;
            case UsbBosCapability.CONTAINER_ID:
                if (len >= 20) {
                    return new UsbBosCapability.ContainerId(guid(d, 4), raw);
                }
                break;
            case UsbBosCapability.PLATFORM:
                if (len >= 20) {
                    return new UsbBosCapability.Platform(guid(d, 4), raw);
                }
                break;
            case UsbBosCapability.SUPERSPEED_PLUS:
                if (len >= 12) {
                    long attributes = u32(d, 4);
                    int count = (int) (attributes & 0x1f) + 1;
                    List<Long> speeds = new ArrayList<>();
                    for (int i = 0; i < count && 12 + 4 * i + 4 <= len; i++) {
                        speeds.add(u32(d, 12 + 4 * i));
                    }
                    return new UsbBosCapability.SuperSpeedPlus(attributes, u16(d, 8), speeds, raw);
                }
                break;
            default:
                break;
        }
        return new UsbBosCapability.Other(type, raw);
    }

    /** Decodes 16 bytes as a GUID: the first three fields little-endian, the rest as they stand. */
    static UUID guid(byte[] d, int off) {
        ByteBuffer le = ByteBuffer.wrap(d, off, 16).order(ByteOrder.LITTLE_ENDIAN);
        long a = Integer.toUnsignedLong(le.getInt());
        long b = Short.toUnsignedLong(le.getShort());
        long c = Short.toUnsignedLong(le.getShort());
        long high = a << 32 | b << 16 | c;
        long low = ByteBuffer.wrap(d, off + 8, 8).order(ByteOrder.BIG_ENDIAN).getLong();
        return new UUID(high, low);
    }

    /**
     * Decodes a string descriptor's UTF-16LE text; bytes beyond {@code bLength} or an odd last byte
     * are ignored.
     *
     * @throws IllegalArgumentException if the bytes are not a string descriptor
     */
    public static String parseString(byte[] raw, int received) {
        int n = Math.min(received, raw.length);
        if (n < 2 || u8(raw, 1) != UsbDescriptorType.STRING) {
            throw new IllegalArgumentException("not a string descriptor: " + preview(Arrays.copyOf(raw, n)));
        }
        int len = Math.min(u8(raw, 0), n) & ~1;
        return len <= 2 ? "" : new String(raw, 2, len - 2, StandardCharsets.UTF_16LE);
    }

    /** Decodes string descriptor 0: the supported language ids. */
    public static List<Integer> parseLanguages(byte[] raw, int received) {
        int n = Math.min(received, raw.length);
        if (n < 2 || u8(raw, 1) != UsbDescriptorType.STRING) {
            throw new IllegalArgumentException("not a string descriptor: " + preview(Arrays.copyOf(raw, n)));
        }
        int len = Math.min(u8(raw, 0), n);
        List<Integer> ids = new ArrayList<>();
        for (int i = 2; i + 1 < len; i += 2) {
            ids.add(u16(raw, i));
        }
        return List.copyOf(ids);
    }

    private static String preview(byte[] raw) {
        return raw.length == 0 ? "no bytes"
                : java.util.HexFormat.ofDelimiter(" ").formatHex(raw, 0, Math.min(raw.length, 12))
                        + (raw.length > 12 ? " ..." : "");
    }
}
