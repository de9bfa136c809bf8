package dev.ausb.internal;

import dev.ausb.UsbDescriptorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is wrong with a device's configuration descriptors as the device sent them. The kernel and
 * libusb repair quietly what they can (a {@code wTotalLength} beyond the bytes, a zero-length or
 * overlong descriptor ends the walk, counts are recounted), so the tree ausb builds is usable; this
 * says what they repaired, for {@link dev.ausb.UsbDevice#descriptorProblems()} and {@code ausb info}.
 * Pure logic over bytes; never throws, whatever the bytes.
 *
 * <p>On Linux the bytes are sysfs's {@code descriptors} file: the device descriptor, then each
 * configuration as the kernel kept it. Each configuration's header is the device's own (its
 * {@code wTotalLength} and {@code bNumInterfaces} as sent), while the kernel serves only the bytes
 * its own walk found valid; so a header that disagrees with what follows it is the device's fault.
 */
final class DescriptorCheck {
    private DescriptorCheck() {}

    private static int u8(byte[] b, int i) {
        return Byte.toUnsignedInt(b[i]);
    }

    /**
     * Splits sysfs's {@code descriptors} bytes into the configurations after the 18-byte device
     * descriptor (the kernel serves 18 bytes whatever its bLength says): each starts at a
     * configuration descriptor and runs to the next one, walking by {@code bLength} (the kernel
     * served only descriptors whose bLength fits). The kernel keeps a configuration descriptor
     * embedded in another (it skips it with a warning), so only the first {@code bNumConfigurations}
     * start one, as libusb splits them; a later one stays inside the last, where
     * {@link #problems} names it.
     */
    static List<byte[]> configurations(byte[] sysfs) {
        List<byte[]> out = new ArrayList<>();
        if (sysfs.length < 18) {
            return out;
        }
        int count = Math.max(1, Math.min(u8(sysfs, 17), 8)); // the kernel reads at most USB_MAXCONFIG
        int pos = 18;
        int start = -1;
        while (pos + 2 <= sysfs.length) {
            int len = u8(sysfs, pos);
            if (len < 2 || pos + len > sysfs.length) {
                break;
            }
            if (u8(sysfs, pos + 1) == UsbDescriptorType.CONFIGURATION && (start < 0 || out.size() + 1 < count)) {
                if (start >= 0) {
                    out.add(Arrays.copyOfRange(sysfs, start, pos));
                }
                start = pos;
            }
            pos += len;
        }
        if (start >= 0) {
            out.add(Arrays.copyOfRange(sysfs, start, pos));
        }
        return out;
    }

    /**
     * The problems of one configuration's bytes (its header first), each a sentence naming the
     * configuration by its {@code bConfigurationValue}; empty when nothing is wrong.
     */
    static List<String> problems(byte[] config) {
        List<String> problems = new ArrayList<>();
        if (config.length < 9 || u8(config, 1) != UsbDescriptorType.CONFIGURATION || u8(config, 0) < 9) {
            problems.add("a configuration descriptor is missing or shorter than 9 bytes");
            return problems;
        }
        String c = "configuration " + u8(config, 5);
        int total = u8(config, 2) | u8(config, 3) << 8;
        if (total > config.length) {
            problems.add(String.format("%s: wTotalLength is %d, but only the first %d bytes hold valid descriptors"
                    + " (the rest was missing or malformed, and is ignored)", c, total, config.length));
        } else if (total < config.length) {
            problems.add(String.format("%s: wTotalLength is %d, but its descriptors take %d bytes", c, total,
                    config.length));
        }
        Set<Integer> interfaces = new HashSet<>();
        Map<Long, Integer> altsSeen = new HashMap<>();
        int pos = u8(config, 0);
        int altNumber = -1;
        int altSetting = -1;
        int claimedEndpoints = 0;
        int endpoints = 0;
        Set<Integer> addresses = new HashSet<>();
        while (pos < config.length) {
            if (pos + 2 > config.length) {
                problems.add(String.format("%s: a stray byte at offset %d", c, pos));
                break;
            }
            int len = u8(config, pos);
            int type = u8(config, pos + 1);
            if (len < 2) {
                problems.add(String.format("%s: a descriptor of length %d at offset %d (it and everything after it"
                        + " are ignored)", c, len, pos));
                break;
            }
            if (pos + len > config.length) {
                problems.add(String.format("%s: the descriptor at offset %d claims %d bytes, %d remain", c, pos, len,
                        config.length - pos));
                break;
            }
            if (type == UsbDescriptorType.INTERFACE) {
                if (len < 9) {
                    problems.add(String.format("%s: an interface descriptor of %d bytes at offset %d (9 needed)", c,
                            len, pos));
                } else {
                    endpointCount(problems, c, altNumber, altSetting, claimedEndpoints, endpoints);
                    altNumber = u8(config, pos + 2);
                    altSetting = u8(config, pos + 3);
                    claimedEndpoints = u8(config, pos + 4);
                    endpoints = 0;
                    addresses.clear();
                    interfaces.add(altNumber);
                    if (altsSeen.merge(((long) altNumber << 8) | altSetting, 1, Integer::sum) == 2) {
                        problems.add(String.format("%s: interface %d has alternate setting %d twice", c, altNumber,
                                altSetting));
                    }
                }
            } else if (type == UsbDescriptorType.ENDPOINT) {
                if (len < 7) {
                    problems.add(String.format("%s: an endpoint descriptor of %d bytes at offset %d (7 needed)", c,
                            len, pos));
                } else if (altNumber < 0) {
                    problems.add(String.format("%s: an endpoint descriptor at offset %d before any interface", c, pos));
                } else {
                    endpoints++;
                    int address = u8(config, pos + 2);
                    if (!addresses.add(address)) {
                        problems.add(String.format("%s: interface %d alternate setting %d has endpoint 0x%02x twice",
                                c, altNumber, altSetting, address));
                    }
                }
            } else if (type == UsbDescriptorType.CONFIGURATION || type == UsbDescriptorType.DEVICE) {
                problems.add(String.format("%s: a %s descriptor inside it at offset %d", c,
                        type == UsbDescriptorType.DEVICE ? "device" : "configuration", pos));
            }
            pos += len;
        }
        endpointCount(problems, c, altNumber, altSetting, claimedEndpoints, endpoints);
        int claimedInterfaces = u8(config, 4);
        if (claimedInterfaces != interfaces.size()) {
            problems.add(String.format("%s: bNumInterfaces is %d, but %d interface%s found", c, claimedInterfaces,
                    interfaces.size(), interfaces.size() == 1 ? " is" : "s are"));
        }
        return problems;
    }

    private static void endpointCount(List<String> problems, String c, int number, int alt, int claimed, int found) {
        if (number >= 0 && claimed != found) {
            problems.add(String.format("%s: interface %d alternate setting %d: bNumEndpoints is %d, but %d endpoint"
                    + " descriptor%s found", c, number, alt, claimed, found, found == 1 ? " is" : "s are"));
        }
    }
}
