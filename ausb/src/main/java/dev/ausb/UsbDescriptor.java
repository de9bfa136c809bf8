package dev.ausb;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One raw descriptor as the device sent it: {@code bLength}, {@code bDescriptorType}, then its fields.
 *
 * <p>Class-specific descriptors (HID, audio, CDC, video...) that ausb does not parse reach the user
 * as lists of these, through {@code extra()} on configurations, alternate settings and endpoints.
 * Immutable and thread-safe; no I/O. Two descriptors are equal when their bytes are.
 */
public final class UsbDescriptor {
    private final byte[] bytes;

    /**
     * Wraps a copy of the given bytes.
     *
     * @param bytes a whole descriptor: at least 2 bytes, {@code bytes[0]} its length
     * @throws IllegalArgumentException if fewer than 2 bytes are given
     */
    public UsbDescriptor(byte[] bytes) {
        if (bytes.length < 2) {
            throw new IllegalArgumentException("a descriptor has at least 2 bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    /**
     * The descriptor type, {@code bDescriptorType} (for example 0x21 for HID, 0x24 for class interface).
     *
     * @return {@code bDescriptorType}, 0..255
     */
    public int type() {
        return Byte.toUnsignedInt(bytes[1]);
    }

    /**
     * The number of bytes held, which is {@code bLength} unless the device sent a truncated descriptor.
     *
     * @return the length in bytes, at least 2
     */
    public int length() {
        return bytes.length;
    }

    /**
     * The unsigned byte at {@code offset}.
     *
     * @param offset the byte's offset from the descriptor's start (0 is {@code bLength})
     * @return the byte, 0..255
     * @throws IndexOutOfBoundsException if {@code offset} is outside the descriptor
     */
    public int u8(int offset) {
        return Byte.toUnsignedInt(bytes[offset]);
    }

    /**
     * The little-endian unsigned 16-bit field at {@code offset}.
     *
     * @param offset the offset of the field's low byte from the descriptor's start
     * @return the field, 0..0xffff
     * @throws IndexOutOfBoundsException if the field is outside the descriptor
     */
    public int u16(int offset) {
        return u8(offset) | u8(offset + 1) << 8;
    }

    /**
     * A copy of the descriptor's bytes.
     *
     * @return a new array of the descriptor's bytes, {@code bLength} first
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsbDescriptor d && Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The bytes in hex, such as {@code 09 21 11 01 00 01 22 3f 00}. */
    @Override
    public String toString() {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
