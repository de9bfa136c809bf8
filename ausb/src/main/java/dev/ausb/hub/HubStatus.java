package dev.ausb.hub;

/**
 * A hub's status and change bits as GetHubStatus returns them (USB 2.0 section 11.24.2.6).
 *
 * @param status {@code wHubStatus}
 * @param change {@code wHubChange}
 */
public record HubStatus(int status, int change) {
    /** Checks the widths. */
    public HubStatus {
        if (status < 0 || status > 0xffff || change < 0 || change > 0xffff) {
            throw new IllegalArgumentException("hub status and change are 16 bits each");
        }
    }

    /**
     * Decodes the 4 bytes of a GetHubStatus reply.
     *
     * @param reply the reply: {@code wHubStatus}, then {@code wHubChange}, little-endian
     * @return the decoded status
     * @throws IllegalArgumentException if the reply is not 4 bytes
     */
    public static HubStatus parse(byte[] reply) {
        if (reply.length != 4) {
            throw new IllegalArgumentException("a hub status is 4 bytes, the hub sent " + reply.length);
        }
        return new HubStatus(Bytes.u16(reply, 0), Bytes.u16(reply, 2));
    }

    /**
     * The hub's local power supply is lost (a self-powered hub running from the bus).
     *
     * @return true when local power is lost (bit 0 of {@code wHubStatus})
     */
    public boolean localPowerLost() {
        return (status & 1) != 0;
    }

    /**
     * The hub reports an over-current condition on all its ports together.
     *
     * @return true while the hub reports over-current (bit 1 of {@code wHubStatus})
     */
    public boolean overCurrent() {
        return (status & 2) != 0;
    }

    /**
     * The local power status changed (clear with {@link HubFeature#C_HUB_LOCAL_POWER}).
     *
     * @return true when bit 0 of {@code wHubChange} is set
     */
    public boolean localPowerChanged() {
        return (change & 1) != 0;
    }

    /**
     * The over-current status changed (clear with {@link HubFeature#C_HUB_OVER_CURRENT}).
     *
     * @return true when bit 1 of {@code wHubChange} is set
     */
    public boolean overCurrentChanged() {
        return (change & 2) != 0;
    }

    @Override
    public String toString() {
        return String.format("hub status 0x%04x change 0x%04x%s%s", status, change,
                localPowerLost() ? " local-power-lost" : "", overCurrent() ? " over-current" : "");
    }
}
