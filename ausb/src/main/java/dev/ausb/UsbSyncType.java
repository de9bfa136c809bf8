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

    /** The synchronisation type in bits 3..2 of an endpoint's {@code bmAttributes}. */
    public static UsbSyncType ofAttributes(int bmAttributes) {
        return values()[(bmAttributes >> 2) & 0x3];
    }
}
