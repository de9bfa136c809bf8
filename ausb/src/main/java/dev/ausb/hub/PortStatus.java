package dev.ausb.hub;

import dev.ausb.UsbSpeed;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A hub port's status and change bits as GetPortStatus returns them, decoded by the hub's kind:
 * the USB 2.0 layout (USB 2.0 tables 11-21 and 11-22) or the SuperSpeed one (USB 3.2 tables 10-13
 * and 10-14), which moves the power bit and replaces the speed and suspend bits with a link state
 * and a speed field.
 *
 * @param port       the port number, from 1
 * @param superSpeed true if the hub is a SuperSpeed hub (the SuperSpeed layout)
 * @param status     {@code wPortStatus}
 * @param change     {@code wPortChange}
 */
public record PortStatus(int port, boolean superSpeed, int status, int change) {
    /** Checks the widths. */
    public PortStatus {
        if (port < 1 || port > 255) {
            throw new IllegalArgumentException("a hub port is 1..255, not " + port);
        }
        if (status < 0 || status > 0xffff || change < 0 || change > 0xffff) {
            throw new IllegalArgumentException("port status and change are 16 bits each");
        }
    }

    /**
     * Decodes the 4 bytes of a GetPortStatus reply.
     *
     * @param port       the port number, 1..255
     * @param superSpeed true for a SuperSpeed hub's reply, false for a USB 2.0 hub's
     * @param reply      the reply: {@code wPortStatus}, then {@code wPortChange}, little-endian
     * @return the decoded status
     * @throws IllegalArgumentException if the reply is not 4 bytes, or the port not 1..255
     */
    public static PortStatus parse(int port, boolean superSpeed, byte[] reply) {
        if (reply.length != 4) {
            throw new IllegalArgumentException("a port status is 4 bytes, the hub sent " + reply.length);
        }
        return new PortStatus(port, superSpeed, Bytes.u16(reply, 0), Bytes.u16(reply, 2));
    }

    private boolean bit(int n) {
        return (status & 1 << n) != 0;
    }

    /**
     * A device is connected.
     *
     * @return true when a device is connected (bit 0)
     */
    public boolean connected() {
        return bit(0);
    }

    /**
     * The port is enabled (a connected device was reset and may be addressed).
     *
     * @return true when the port is enabled (bit 1)
     */
    public boolean enabled() {
        return bit(1);
    }

    /**
     * The port is suspended: USB 2.0's suspend bit, or a SuperSpeed link in U3.
     *
     * @return true when the port is suspended
     */
    public boolean suspended() {
        return superSpeed ? linkState().orElseThrow() == LinkState.U3 : bit(2);
    }

    /**
     * The port reports an over-current condition.
     *
     * @return true while the port reports over-current (bit 3)
     */
    public boolean overCurrent() {
        return bit(3);
    }

    /**
     * The port is being reset.
     *
     * @return true while the port is being reset (bit 4)
     */
    public boolean resetting() {
        return bit(4);
    }

    /**
     * The port is powered (bit 8 on a USB 2.0 hub, bit 9 on a SuperSpeed one).
     *
     * @return true when the port is powered
     */
    public boolean powered() {
        return bit(superSpeed ? 9 : 8);
    }

    /**
     * In a test mode (USB 2.0 hubs).
     *
     * @return true when a USB 2.0 port is in a test mode (bit 11); false on a SuperSpeed hub
     */
    public boolean testMode() {
        return !superSpeed && bit(11);
    }

    /**
     * The port's indicator is under software control (USB 2.0 hubs; see {@link UsbHub#setPortIndicator}).
     *
     * @return true when software sets a USB 2.0 port's indicator (bit 12); false on a SuperSpeed hub
     */
    public boolean indicatorControlled() {
        return !superSpeed && bit(12);
    }

    /**
     * The link state of a SuperSpeed port; empty on a USB 2.0 hub.
     *
     * @return the link state (bits 8..5), or empty on a USB 2.0 hub
     */
    public Optional<LinkState> linkState() {
        return superSpeed ? Optional.of(LinkState.of(status >> 5 & 0xf)) : Optional.empty();
    }

    /**
     * The connected device's speed: low, full or high on a USB 2.0 hub, {@link UsbSpeed#SUPER} for a
     * SuperSpeed hub's speed field 0 ({@link UsbSpeed#UNKNOWN} for its other values, which only the
     * extended port status tells apart); empty if nothing is connected.
     *
     * @return the speed, or empty when nothing is connected
     */
    public Optional<UsbSpeed> speed() {
        if (!connected()) {
            return Optional.empty();
        }
        if (superSpeed) {
            return Optional.of((status >> 10 & 0x7) == 0 ? UsbSpeed.SUPER : UsbSpeed.UNKNOWN);
        }
        return Optional.of(bit(9) ? UsbSpeed.LOW : bit(10) ? UsbSpeed.HIGH : UsbSpeed.FULL);
    }

    /**
     * The change bits set, in the layout of this hub's kind.
     *
     * @return the changes whose bit is set in {@code wPortChange}; empty for none
     */
    public Set<PortChange> changes() {
        Set<PortChange> set = EnumSet.noneOf(PortChange.class);
        for (PortChange c : PortChange.values()) {
            int b = c.bit(superSpeed);
            if (b >= 0 && (change & 1 << b) != 0) {
                set.add(c);
            }
        }
        return set;
    }

    /**
     * True if the change bit is set (false for a change this kind of hub does not have).
     *
     * @param c the change to look at
     * @return true if its bit is set in {@code wPortChange}
     */
    public boolean changed(PortChange c) {
        int b = c.bit(superSpeed);
        return b >= 0 && (change & 1 << b) != 0;
    }

    /** Like {@code lsusb -v}'s port lines: {@code port 1: 0x0503 power highspeed enable connect}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format("port %d: 0x%04x", port, status));
        if (superSpeed) {
            s.append(' ').append(linkState().orElseThrow());
        }
        if (powered()) {
            s.append(" power");
        }
        speed().ifPresent(sp -> s.append(' ').append(sp.label()));
        if (overCurrent()) {
            s.append(" over-current");
        }
        if (resetting()) {
            s.append(" reset");
        }
        if (!superSpeed && suspended()) {
            s.append(" suspend");
        }
        if (enabled()) {
            s.append(" enable");
        }
        if (connected()) {
            s.append(" connect");
        }
        if (change != 0) {
            s.append(" changed ").append(changes());
        }
        return s.toString();
    }
}
