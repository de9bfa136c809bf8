package dev.ausb;

/**
 * A binary-coded-decimal version from a descriptor, such as {@code bcdUSB} or {@code bcdDevice}.
 *
 * <p>{@code 0x0210} reads as {@code 2.10}: {@link #major()} 2, {@link #minor()} 1, {@link #subminor()} 0.
 *
 * @param bcd the 16-bit field as it stands in the descriptor
 */
public record UsbVersion(int bcd) implements Comparable<UsbVersion> {
    /**
     * Checks the field fits in 16 bits.
     *
     * @throws IllegalArgumentException if {@code bcd} is not in 0..0xffff
     */
    public UsbVersion {
        if (bcd < 0 || bcd > 0xffff) {
            throw new IllegalArgumentException("a BCD version is 16 bits, not 0x" + Integer.toHexString(bcd));
        }
    }

    /**
     * The major version: the upper byte read as two decimal digits (for {@code 0x0210}, 2).
     *
     * @return the major version, 0..99 for valid BCD
     */
    public int major() {
        return ((bcd >> 12) & 0xf) * 10 + ((bcd >> 8) & 0xf);
    }

    /**
     * The minor version, the third digit (for {@code 0x0210}, 1).
     *
     * @return the minor version, 0..9 for valid BCD
     */
    public int minor() {
        return (bcd >> 4) & 0xf;
    }

    /**
     * The sub-minor version, the last digit (for {@code 0x0210}, 0).
     *
     * @return the sub-minor version, 0..9 for valid BCD
     */
    public int subminor() {
        return bcd & 0xf;
    }

    /** The form {@code lsusb} prints: {@code 2.00}, {@code 3.10}, {@code 6.01}. */
    @Override
    public String toString() {
        return String.format("%x.%02x", bcd >> 8, bcd & 0xff);
    }

    @Override
    public int compareTo(UsbVersion other) {
        return Integer.compare(bcd, other.bcd);
    }
}
