package dev.ausb;

/** An endpoint's transfer type, bits 1..0 of {@code bmAttributes}. */
public enum UsbTransferType {
    /** Control transfers (endpoint 0, or a rare message pipe). */
    CONTROL,
    /** Isochronous transfers: a guaranteed share of each (micro)frame, no retries. */
    ISOCHRONOUS,
    /** Bulk transfers: all the bandwidth left, with retries. */
    BULK,
    /** Interrupt transfers: polled at a guaranteed interval. */
    INTERRUPT;

    /**
     * The transfer type in bits 1..0 of an endpoint's {@code bmAttributes}.
     *
     * @param bmAttributes an endpoint descriptor's {@code bmAttributes}; the other bits are ignored
     * @return the type that bits 1..0 encode
     */
    public static UsbTransferType ofAttributes(int bmAttributes) {
        return values()[bmAttributes & 0x3];
    }
}
