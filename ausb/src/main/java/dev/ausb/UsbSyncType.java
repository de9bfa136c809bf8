package dev.ausb;

/** An isochronous endpoint's synchronisation type, bits 3..2 of {@code bmAttributes}. */
public enum UsbSyncType {
    /** No synchronisation. */
    NONE,
    /** Asynchronous. */
    ASYNCHRONOUS,
    /** Adaptive. */
    ADAPTIVE,
    /** Synchronous. */
    SYNCHRONOUS;

    /**
     * The synchronisation type in bits 3..2 of an endpoint's {@code bmAttributes}.
     *
     * @param bmAttributes an endpoint descriptor's {@code bmAttributes}; the other bits are ignored
     * @return the synchronisation type that bits 3..2 encode
     */
    public static UsbSyncType ofAttributes(int bmAttributes) {
        return values()[(bmAttributes >> 2) & 0x3];
    }
}
