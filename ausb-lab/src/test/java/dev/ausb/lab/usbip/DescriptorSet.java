package dev.ausb.lab.usbip;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a virtual device answers to GET_DESCRIPTOR: its device descriptor, configurations (by
 * index), strings (by index; index 0 is the language table), BOS, and raw answers that replace any
 * of them, or add others, byte for byte (malformed ones included).
 */
record DescriptorSet(byte[] device, List<byte[]> configurations, Map<Integer, byte[]> strings, byte[] bos,
        Map<Integer, byte[]> raw) {

    DescriptorSet {
        configurations = List.copyOf(configurations);
        strings = Map.copyOf(strings);
        raw = Map.copyOf(raw);
    }

    static int key(int type, int index) {
        return type << 8 | index;
    }

    /** The bytes for GET_DESCRIPTOR(type, index), if the device has them. */
    Optional<byte[]> lookup(int type, int index) {
        byte[] r = raw.get(key(type, index));
        if (r != null) {
            return Optional.of(r);
        }
        return Optional.ofNullable(switch (type) {
            case Descriptors.DEVICE -> index == 0 ? device : null;
            case Descriptors.CONFIGURATION -> index < configurations.size() ? configurations.get(index) : null;
            case Descriptors.STRING -> strings.get(index);
            case Descriptors.BOS -> index == 0 ? bos : null;
            default -> null;
        });
    }

    /** True if a raw answer was given for (type, index): then it is answered for any recipient. */
    boolean hasRaw(int type, int index) {
        return raw.containsKey(key(type, index));
    }

    /** bmAttributes of the configuration whose bConfigurationValue is {@code value}, or 0x80. */
    int attributesOf(int value) {
        for (byte[] c : configurations) {
            if (c.length >= 9 && (c[5] & 0xff) == value) {
                return c[7] & 0xff;
            }
        }
        return 0x80;
    }
}
