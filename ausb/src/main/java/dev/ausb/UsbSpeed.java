package dev.ausb;

/**
 * The speed a device operates at, as the host controller reports it.
 *
 * <p>Obtained from {@link UsbDevice#speed()}; no I/O.
 */
public enum UsbSpeed {
    /** The operating system did not say. */
    UNKNOWN(0, "unknown"),
    /** Low speed, 1.5 Mbit/s (USB 1.0). */
    LOW(1.5, "1.5M"),
    /** Full speed, 12 Mbit/s (USB 1.1). */
    FULL(12, "12M"),
    /** High speed, 480 Mbit/s (USB 2.0). */
    HIGH(480, "480M"),
    /** SuperSpeed, 5 Gbit/s (USB 3.0, USB 3.2 Gen 1). */
    SUPER(5000, "5000M"),
    /** SuperSpeed+, 10 Gbit/s (USB 3.1 Gen 2, USB 3.2 Gen 2x1). */
    SUPER_PLUS(10000, "10000M"),
    /** SuperSpeed+ dual lane, 20 Gbit/s (USB 3.2 Gen 2x2). */
    SUPER_PLUS_X2(20000, "20000M");

    private final double megabits;
    private final String label;

    UsbSpeed(double megabits, String label) {
        this.megabits = megabits;
        this.label = label;
    }

    /**
     * The signalling rate in Mbit/s; 0 for {@link #UNKNOWN}.
     *
     * @return the rate in Mbit/s, such as 480 for {@link #HIGH}
     */
    public double megabitsPerSecond() {
        return megabits;
    }

    /**
     * The short form {@code lsusb -t} prints, such as {@code 480M}.
     *
     * @return the label, such as {@code 480M}; {@code unknown} for {@link #UNKNOWN}
     */
    public String label() {
        return label;
    }

}
