package dev.ausb.hub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A hub descriptor, in its USB 2.0 form (type 0x29, USB 2.0 section 11.23.2.1) or its SuperSpeed
 * form (type 0x2A, USB 3.2 section 10.15.2.1), which has the header decode latency and the hub
 * delay and keeps the removable bits in two bytes.
 *
 * @param superSpeed             true for the SuperSpeed form
 * @param portCount              {@code bNbrPorts}
 * @param characteristics        {@code wHubCharacteristics}, decoded by the methods below
 * @param powerOnToPowerGoodMillis {@code bPwrOn2PwrGood} in milliseconds (the descriptor counts 2 ms units):
 *                               how long after powering a port its power is good
 * @param controllerCurrent      {@code bHubContrCurrent}: the hub controller's own current, in mA
 *                               (the SuperSpeed form counts in units of 4 mA on the wire; this is mA)
 * @param headerDecodeLatency    {@code bHubHdrDecLat} (SuperSpeed form; 0 in the USB 2.0 form)
 * @param hubDelayNanos          {@code wHubDelay} in ns (SuperSpeed form; 0 in the USB 2.0 form)
 * @param nonRemovablePorts      the ports whose {@code DeviceRemovable} bit is set: a device built
 *                               into the hub's product, ascending
 */
public record HubDescriptor(boolean superSpeed, int portCount, int characteristics, int powerOnToPowerGoodMillis,
        int controllerCurrent, int headerDecodeLatency, int hubDelayNanos, List<Integer> nonRemovablePorts) {

    /** The USB 2.0 form's descriptor type. */
    public static final int TYPE = 0x29;
    /** The SuperSpeed form's descriptor type. */
    public static final int SUPERSPEED_TYPE = 0x2a;
    /** The SuperSpeed form's length. */
    public static final int SUPERSPEED_LENGTH = 12;
    /** The most ports a SuperSpeed hub has. */
    public static final int SUPERSPEED_MAX_PORTS = 15;

    /** How a hub switches its ports' power (bits 1..0 of {@code wHubCharacteristics}). */
    public enum PowerSwitching {
        /** All ports at once: powering one off may power off all of them. */
        GANGED,
        /** Each port on its own. */
        INDIVIDUAL,
        /** The ports are always powered (hubs of USB 1.0 and many cheap ones): port power requests do nothing. */
        NONE
    }

    /** How a hub reports over-current (bits 4..3 of {@code wHubCharacteristics}). */
    public enum OverCurrentProtection {
        /** For all ports together (the hub status). */
        GLOBAL,
        /** Per port (the port status). */
        INDIVIDUAL,
        /** Not reported. */
        NONE
    }

    /** Copies the list. */
    public HubDescriptor {
        nonRemovablePorts = List.copyOf(nonRemovablePorts);
    }

    /**
     * Parses the bytes of a GetHubDescriptor reply, of either form.
     *
     * @param b the reply, starting with {@code bLength} and {@code bDescriptorType}; bytes beyond
     *          {@code bLength} are ignored
     * @return the decoded descriptor, of the form its type byte names
     * @throws IllegalArgumentException if they are not a hub descriptor: type, length and port count
     *                                  named in the message
     */
    public static HubDescriptor parse(byte[] b) {
        if (b.length < 2) {
            throw new IllegalArgumentException("a hub descriptor has at least 2 bytes, the hub sent " + b.length);
        }
        int length = b[0] & 0xff;
        int type = b[1] & 0xff;
        if (length > b.length) {
            throw new IllegalArgumentException(String.format(
                    "the hub descriptor says it has %d bytes, the hub sent %d", length, b.length));
        }
        if (type == SUPERSPEED_TYPE) {
            if (length < SUPERSPEED_LENGTH) {
                throw new IllegalArgumentException(String.format(
                        "a SuperSpeed hub descriptor has %d bytes, this one %d", SUPERSPEED_LENGTH, length));
            }
            int ports = b[2] & 0xff;
            if (ports > SUPERSPEED_MAX_PORTS) {
                throw new IllegalArgumentException("a SuperSpeed hub has at most 15 ports, this one says " + ports);
            }
            return new HubDescriptor(true, ports, Bytes.u16(b, 3), (b[5] & 0xff) * 2, (b[6] & 0xff) * 4,
                    b[7] & 0xff, Bytes.u16(b, 8), removable(b, 10, 2, ports));
        }
        if (type != TYPE) {
            throw new IllegalArgumentException(String.format(
                    "descriptor type 0x%02x is not a hub descriptor (0x29, or 0x2a for SuperSpeed)", type));
        }
        if (length < 7) {
            throw new IllegalArgumentException("a hub descriptor has at least 7 bytes, this one " + length);
        }
        int ports = b[2] & 0xff;
        int removableBytes = (ports + 1 + 7) / 8;
        if (length < 7 + removableBytes) {
            throw new IllegalArgumentException(String.format(
                    "a hub descriptor of %d ports has at least %d bytes, this one %d", ports, 7 + removableBytes, length));
        }
        return new HubDescriptor(false, ports, Bytes.u16(b, 3), (b[5] & 0xff) * 2, b[6] & 0xff, 0, 0,
                removable(b, 7, removableBytes, ports));
    }

    /** Bit n of the bitmap at {@code at} is port n (bit 0 is reserved). */
    private static List<Integer> removable(byte[] b, int at, int bytes, int ports) {
        List<Integer> fixed = new ArrayList<>();
        for (int port = 1; port <= ports && port < bytes * 8; port++) {
            if ((b[at + port / 8] & 1 << (port % 8)) != 0) {
                fixed.add(port);
            }
        }
        return Collections.unmodifiableList(fixed);
    }

    /**
     * How the hub switches port power.
     *
     * @return ganged, individual or none (the ports always powered)
     */
    public PowerSwitching powerSwitching() {
        return switch (characteristics & 0x3) {
            case 0 -> PowerSwitching.GANGED;
            case 1 -> PowerSwitching.INDIVIDUAL;
            default -> PowerSwitching.NONE;
        };
    }

    /**
     * True if the hub is part of a compound device (a product with built-in devices).
     *
     * @return true for a hub in a compound device (bit 2)
     */
    public boolean compound() {
        return (characteristics & 0x4) != 0;
    }

    /**
     * How the hub reports over-current.
     *
     * @return global, individual or none
     */
    public OverCurrentProtection overCurrentProtection() {
        return switch (characteristics >> 3 & 0x3) {
            case 0 -> OverCurrentProtection.GLOBAL;
            case 1 -> OverCurrentProtection.INDIVIDUAL;
            default -> OverCurrentProtection.NONE;
        };
    }

    /**
     * The transaction translator's think time in full-speed bit times (8, 16, 24 or 32); 0 in the SuperSpeed form.
     *
     * @return 8, 16, 24 or 32 full-speed bit times, or 0 for a SuperSpeed hub
     */
    public int ttThinkTimeBitTimes() {
        return superSpeed ? 0 : ((characteristics >> 5 & 0x3) + 1) * 8;
    }

    /**
     * True if the ports have indicators ({@link UsbHub#setPortIndicator}); never in the SuperSpeed form.
     *
     * @return true when the ports have indicators (bit 7, USB 2.0 form)
     */
    public boolean indicatorsSupported() {
        return !superSpeed && (characteristics & 0x80) != 0;
    }

    /**
     * True unless {@code port} holds a built-in, non-removable device (its {@code DeviceRemovable} bit set).
     *
     * @param port the port number, from 1 (not checked against {@link #portCount()})
     * @return false for a port listed in {@link #nonRemovablePorts()}, true for any other
     */
    public boolean isRemovable(int port) {
        return !nonRemovablePorts.contains(port);
    }

    @Override
    public String toString() {
        return String.format("%s hub, %d ports, %s power switching, %s over-current protection, power good after %d ms%s",
                superSpeed ? "SuperSpeed" : "USB 2.0", portCount, powerSwitching().name().toLowerCase(),
                overCurrentProtection().name().toLowerCase(), powerOnToPowerGoodMillis,
                indicatorsSupported() ? ", port indicators" : "");
    }
}
