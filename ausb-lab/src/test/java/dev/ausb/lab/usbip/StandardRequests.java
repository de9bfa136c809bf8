package dev.ausb.lab.usbip;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A virtual device's answers to the standard control requests of enumeration and of usbfs:
 * GET_DESCRIPTOR from its {@link DescriptorSet}, GET_STATUS, GET/SET_CONFIGURATION, GET/SET_INTERFACE,
 * CLEAR/SET_FEATURE, SET_SEL, SET_ISOCH_DELAY; it keeps the configuration and alternate settings.
 * (SET_ADDRESS never reaches a USB/IP device: vhci_hcd completes it itself.)
 */
final class StandardRequests {
    private final DescriptorSet descriptors;
    private volatile int configuration;
    private final Map<Integer, Integer> alternates = new ConcurrentHashMap<>();

    StandardRequests(DescriptorSet descriptors) {
        this.descriptors = descriptors;
    }

    int configuration() {
        return configuration;
    }

    int alternate(int itf) {
        return alternates.getOrDefault(itf, 0);
    }

    /** The answer to {@code s}, or null if it is not one of the requests answered here. */
    Reply answer(Setup s) {
        if (!s.standard()) {
            return null;
        }
        if (s.in()) {
            return switch (s.request()) {
                case Setup.GET_DESCRIPTOR -> descriptor(s);
                case Setup.GET_STATUS -> Reply.data(status(s));
                case Setup.GET_CONFIGURATION -> Reply.data(new byte[] {(byte) configuration});
                case Setup.GET_INTERFACE -> Reply.data(new byte[] {(byte) alternate(s.index() & 0xff)});
                default -> null;
            };
        }
        return switch (s.request()) {
            case Setup.SET_CONFIGURATION -> {
                configuration = s.value() & 0xff;
                alternates.clear();
                yield Reply.ok();
            }
            case Setup.SET_INTERFACE -> {
                alternates.put(s.index() & 0xff, s.value() & 0xff);
                yield Reply.ok();
            }
            case Setup.CLEAR_FEATURE, Setup.SET_FEATURE, Setup.SET_ADDRESS, Setup.SET_SEL, Setup.SET_ISOCH_DELAY -> Reply.ok();
            default -> null;
        };
    }

    private Reply descriptor(Setup s) {
        int type = s.descriptorType();
        int index = s.descriptorIndex();
        if (s.recipient() != 0 && !descriptors.hasRaw(type, index)) {
            return null; // e.g. a class descriptor of an interface (HID report): the test's handler decides
        }
        return descriptors.lookup(type, index).map(Reply::data).orElseGet(Reply::stall);
    }

    private byte[] status(Setup s) {
        if (s.recipient() == 0) {
            boolean selfPowered = (descriptors.attributesOf(configuration) & 0x40) != 0;
            return new byte[] {(byte) (selfPowered ? 1 : 0), 0};
        }
        return new byte[2];
    }
}
