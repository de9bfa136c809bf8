package dev.ausb.firmware;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Bytes to be written at an address of the target's memory.
 *
 * @param address where the first byte goes (0 to 2<sup>32</sup> - 1)
 * @param data the bytes; never empty. The array is the segment's own: it is copied in and
 *     {@link #data()} returns a copy
 */
public record FirmwareSegment(long address, byte[] data) {
    /** Checks the address and length and copies the data. */
    public FirmwareSegment {
        Objects.requireNonNull(data, "data");
        if (address < 0 || address > 0xffff_ffffL) {
            throw new IllegalArgumentException("address 0x" + Long.toHexString(address) + " is not 32-bit");
        }
        if (data.length == 0) {
            throw new IllegalArgumentException("a segment has at least one byte");
        }
        if (address + data.length - 1 > 0xffff_ffffL) {
            throw new IllegalArgumentException(String.format("%d bytes at 0x%08x pass the end of a 32-bit space",
                    data.length, address));
        }
        data = data.clone();
    }

    /**
     * A copy of the bytes.
     *
     * @return a new array of the segment's bytes
     */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /**
     * The number of bytes.
     *
     * @return the segment's length in bytes, at least 1
     */
    public int length() {
        return data.length;
    }

    /**
     * The address just past the last byte.
     *
     * @return {@code address() + length()}, at most 2<sup>32</sup>
     */
    public long end() {
        return address + data.length;
    }

    /**
     * Copies {@code length} bytes from {@code offset} of the segment into {@code dst} at {@code at}.
     *
     * @param offset where to start in the segment, from 0
     * @param dst    where to copy to
     * @param at     where to start in {@code dst}
     * @param length how many bytes to copy
     * @throws IndexOutOfBoundsException if a range does not fit its array
     */
    public void copyTo(int offset, byte[] dst, int at, int length) {
        System.arraycopy(data, offset, dst, at, length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FirmwareSegment s && s.address == address && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(address) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String head = HexFormat.of().formatHex(data, 0, Math.min(8, data.length));
        return String.format("FirmwareSegment[0x%08x, %d bytes: %s%s]", address, data.length, head,
                data.length > 8 ? "…" : "");
    }
}
