package dev.ausb.hub;

/**
 * A port indicator's colour (USB 2.0 section 11.5.3), the selector of SetPortFeature(PORT_INDICATOR).
 * Only hubs whose descriptor says {@link HubDescriptor#indicatorsSupported()} have them.
 */
public enum PortIndicator {
    /** The hub drives the indicator itself (its default). */
    AUTOMATIC(0),
    /** Amber. */
    AMBER(1),
    /** Green. */
    GREEN(2),
    /** Off. */
    OFF(3);

    private final int selector;

    PortIndicator(int selector) {
        this.selector = selector;
    }

    /**
     * The selector sent in {@code wIndex}'s high byte.
     *
     * @return the indicator selector, 0..3 (0: automatic)
     */
    public int selector() {
        return selector;
    }
}
