package dev.ausb.hub;

/** Little-endian fields of hub replies. */
final class Bytes {
    private Bytes() {}

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }
}
