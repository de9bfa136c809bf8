package dev.ausb;

/**
 * A SuperSpeed endpoint companion descriptor (type 0x30), which follows each endpoint of a
 * device operating at SuperSpeed or faster.
 *
 * <p>Immutable value; no I/O.
 *
 * @param maxBurst         {@code bMaxBurst}: packets the endpoint can send or receive in a burst, minus one
 * @param attributes       {@code bmAttributes}: max streams (bulk) or the mult field (isochronous)
 * @param bytesPerInterval {@code wBytesPerInterval}: bytes moved per service interval (periodic endpoints)
 */
public record UsbSuperSpeedCompanion(int maxBurst, int attributes, int bytesPerInterval) {
    /**
     * For a bulk endpoint, the number of streams it supports: {@code 2^(bmAttributes & 0x1f)}, or 0.
     *
     * @return 2..65536 streams in a valid descriptor, or 0 when the endpoint has none (meaningful for bulk
     *         endpoints only)
     */
    public int maxStreams() {
        int exp = attributes & 0x1f;
        return exp == 0 ? 0 : 1 << exp;
    }

    /**
     * For an isochronous endpoint, the mult field (bits 1..0): bursts per interval, minus one.
     *
     * @return 0..3 (the field is meaningful for isochronous endpoints only)
     */
    public int mult() {
        return attributes & 0x3;
    }

    /**
     * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
     * hex): {@code UsbSuperSpeedCompanion[maxBurst=15, attributes=0x00, bytesPerInterval=0]}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return String.format("UsbSuperSpeedCompanion[maxBurst=%d, attributes=0x%02x, bytesPerInterval=%d]", maxBurst,
                attributes, bytesPerInterval);
    }
}
