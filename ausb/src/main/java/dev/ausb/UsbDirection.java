package dev.ausb;

/** The direction of an endpoint or a control transfer's data stage, seen from the host. */
public enum UsbDirection {
    /** Host to device (bit 7 of the endpoint address clear). */
    OUT,
    /** Device to host (bit 7 of the endpoint address set). */
    IN;

    /**
     * The direction encoded in bit 7 of an endpoint address or {@code bmRequestType}.
     *
     * @param address an endpoint address or {@code bmRequestType}; only bit 7 counts
     * @return {@link #IN} when bit 7 is set, else {@link #OUT}
     */
    public static UsbDirection ofAddress(int address) {
        return (address & 0x80) != 0 ? IN : OUT;
    }
}
