package dev.ausb;

import java.util.List;
import java.util.UUID;

/**
 * One device capability descriptor (type 0x10) from a device's BOS descriptor.
 *
 * <p>The kinds ausb decodes are records nested here; any other capability arrives as
 * {@link Other}. Every kind keeps its raw descriptor. Immutable values; no I/O.
 */
public sealed interface UsbBosCapability {
    /** {@code bDevCapabilityType} of {@link Usb2Extension}. */
    int USB2_EXTENSION = 0x02;
    /** {@code bDevCapabilityType} of {@link SuperSpeed}. */
    int SUPERSPEED_USB = 0x03;
    /** {@code bDevCapabilityType} of {@link ContainerId}. */
    int CONTAINER_ID = 0x04;
    /** {@code bDevCapabilityType} of {@link Platform}. */
    int PLATFORM = 0x05;
    /** {@code bDevCapabilityType} of {@link SuperSpeedPlus}. */
    int SUPERSPEED_PLUS = 0x0a;

    /**
     * {@code bDevCapabilityType}.
     *
     * @return the capability type, 0..255, such as {@link #USB2_EXTENSION}
     */
    int capabilityType();

    /**
     * The whole capability descriptor as the device sent it.
     *
     * @return the capability descriptor, its header included
     */
    UsbDescriptor raw();

    /**
     * USB 2.0 Extension (type 0x02).
     *
     * @param attributes {@code bmAttributes}; bit 1 is Link Power Management support
     * @param raw        the descriptor
     */
    record Usb2Extension(long attributes, UsbDescriptor raw) implements UsbBosCapability {
        @Override
        public int capabilityType() {
            return USB2_EXTENSION;
        }

        /**
         * True when bit 1 says the device supports Link Power Management.
         *
         * @return true when bit 1 of {@code bmAttributes} is set
         */
        public boolean linkPowerManagement() {
            return (attributes & 0x2) != 0;
        }

        /**
         * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
         * hex): {@code Usb2Extension[attributes=0x0000001e, LPM]}.
         *
         * @return the text
         */
        @Override
        public String toString() {
            return String.format("Usb2Extension[attributes=0x%08x%s]", attributes, linkPowerManagement() ? ", LPM" : "");
        }
    }

    /**
     * SuperSpeed USB device capability (type 0x03).
     *
     * @param attributes            {@code bmAttributes}; bit 1 is latency tolerance messages
     * @param speedsSupported       {@code wSpeedsSupported}: bit 0 low, 1 full, 2 high, 3 5 Gbit/s
     * @param functionalitySupport  {@code bFunctionalitySupport}: the lowest speed with all functionality
     * @param u1DeviceExitLatency   {@code bU1DevExitLat}, microseconds
     * @param u2DeviceExitLatency   {@code wU2DevExitLat}, microseconds
     * @param raw                   the descriptor
     */
    record SuperSpeed(int attributes, int speedsSupported, int functionalitySupport, int u1DeviceExitLatency,
            int u2DeviceExitLatency, UsbDescriptor raw) implements UsbBosCapability {
        @Override
        public int capabilityType() {
            return SUPERSPEED_USB;
        }

        /**
         * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
         * hex): {@code SuperSpeed[attributes=0x00, speedsSupported=0x000e, ...]}.
         *
         * @return the text
         */
        @Override
        public String toString() {
            return String.format("SuperSpeed[attributes=0x%02x, speedsSupported=0x%04x, functionalitySupport=%d, "
                    + "u1DeviceExitLatency=%d us, u2DeviceExitLatency=%d us]", attributes, speedsSupported,
                    functionalitySupport, u1DeviceExitLatency, u2DeviceExitLatency);
        }
    }

    /**
     * Container ID (type 0x04): a UUID that is the same for every function of one physical device.
     *
     * @param containerId the UUID, decoded as a GUID (the first three fields little-endian)
     * @param raw         the descriptor
     */
    record ContainerId(UUID containerId, UsbDescriptor raw) implements UsbBosCapability {
        @Override
        public int capabilityType() {
            return CONTAINER_ID;
        }

        /**
         * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
         * hex): {@code ContainerId[{uuid}]}.
         *
         * @return the text
         */
        @Override
        public String toString() {
            return "ContainerId[" + containerId + "]";
        }
    }

    /**
     * Platform capability (type 0x05), such as WebUSB or Microsoft OS 2.0 descriptors.
     *
     * @param platformId the platform capability UUID, decoded as a GUID
     * @param raw        the descriptor; the capability data starts at byte 20
     */
    record Platform(UUID platformId, UsbDescriptor raw) implements UsbBosCapability {
        @Override
        public int capabilityType() {
            return PLATFORM;
        }

        /**
         * The capability data after the UUID.
         *
         * @return a new array of the bytes from byte 20 on; empty if there are none
         */
        public byte[] capabilityData() {
            byte[] all = raw.bytes();
            return java.util.Arrays.copyOfRange(all, Math.min(20, all.length), all.length);
        }

        /**
         * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
         * hex): {@code Platform[{uuid}, 8 bytes of data]}.
         *
         * @return the text
         */
        @Override
        public String toString() {
            return "Platform[" + platformId + ", " + capabilityData().length + " bytes of data]";
        }
    }

    /**
     * SuperSpeedPlus USB capability (type 0x0a).
     *
     * @param attributes            {@code bmAttributes}: sublink speed attribute count in bits 4..0
     * @param functionalitySupport  {@code wFunctionalitySupport}
     * @param sublinkSpeeds         the {@code bmSublinkSpeedAttr} entries
     * @param raw                   the descriptor
     */
    record SuperSpeedPlus(long attributes, int functionalitySupport, List<Long> sublinkSpeeds, UsbDescriptor raw)
            implements UsbBosCapability {
        /** Makes the list unmodifiable. */
        public SuperSpeedPlus {
            sublinkSpeeds = List.copyOf(sublinkSpeeds);
        }

        @Override
        public int capabilityType() {
            return SUPERSPEED_PLUS;
        }

        /**
         * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
         * hex): {@code SuperSpeedPlus[attributes=0x00000001, sublinkSpeeds=[0x00050030, ...]]}.
         *
         * @return the text
         */
        @Override
        public String toString() {
            return String.format("SuperSpeedPlus[attributes=0x%08x, functionalitySupport=0x%04x, sublinkSpeeds=%s]",
                    attributes, functionalitySupport, sublinkSpeeds.stream().map(v -> String.format("0x%08x", v))
                            .toList());
        }
    }

    /**
     * A capability ausb does not decode.
     *
     * @param capabilityType {@code bDevCapabilityType}
     * @param raw            the descriptor
     */
    record Other(int capabilityType, UsbDescriptor raw) implements UsbBosCapability {
        /**
         * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
         * hex): {@code Other[type=0x0b, bytes=...]}.
         *
         * @return the text
         */
        @Override
        public String toString() {
            return String.format("Other[type=0x%02x, bytes=%s]", capabilityType, raw);
        }
    }
}
