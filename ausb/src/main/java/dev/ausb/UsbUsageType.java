package dev.ausb;

/** An endpoint's usage type, bits 5..4 of {@code bmAttributes} (isochronous and, since USB 3, interrupt). */
public enum UsbUsageType {
    /** A data endpoint. */
    DATA,
    /** A feedback endpoint (isochronous), or a notification endpoint (interrupt, USB 3). */
    FEEDBACK,
    /** An implicit feedback data endpoint (isochronous). */
    IMPLICIT_FEEDBACK,
    /** The reserved value 3. */
    RESERVED;

    /**
     * The usage type in bits 5..4 of an endpoint's {@code bmAttributes}.
     *
     * @param bmAttributes an endpoint descriptor's {@code bmAttributes}; the other bits are ignored
     * @return the usage type that bits 5..4 encode
     */
    public static UsbUsageType ofAttributes(int bmAttributes) {
        return values()[(bmAttributes >> 4) & 0x3];
    }
}
