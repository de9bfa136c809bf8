package dev.ausb.firmware;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Cypress FX3 boot image (the {@code .img} that the SDK's {@code elf2img} writes), as the FX3's
 * USB bootloader takes it: its sections, each to be written at its address, and the entry point to
 * jump to.
 *
 * <p>The format (Cypress AN76405, little-endian): the signature {@code "CY"}; {@code bImageCTL}
 * (bit 0 set marks a data file, not code); {@code bImageType} ({@code 0xB0}: firmware with a
 * checksum); then sections of {@code dLength} (in 32-bit words), {@code dAddress} and the words; a
 * section of length 0 whose address is the entry point ends them; the last word is the checksum, the
 * 32-bit sum of every section's words. Every part is checked and a file that fails is refused with
 * what and where; a gzip-compressed file is decompressed first.
 */
public final class Fx3Image {
    /** {@code bImageType} of a firmware image with a checksum, the one the USB bootloader runs. */
    public static final int IMAGE_TYPE_FIRMWARE = 0xB0;

    private final List<FirmwareSegment> sections;
    private final long entryPoint;
    private final long checksum;

    private Fx3Image(List<FirmwareSegment> sections, long entryPoint, long checksum) {
        this.sections = List.copyOf(sections);
        this.entryPoint = entryPoint;
        this.checksum = checksum;
    }

    /**
     * Reads and parses a file (gzip-compressed or not).
     *
     * @param file the {@code .img} file, perhaps gzip-compressed; at most 8 MiB
     * @return the parsed image
     * @throws FirmwareFormatException if the file is not a valid FX3 firmware image (the message starts
     *                                 with its path)
     * @throws IOException if the file cannot be read
     */
    public static Fx3Image read(Path file) throws IOException {
        return Files.parse(file, Fx3Image::parse);
    }

    /**
     * Parses an image's bytes.
     *
     * @param file the image's bytes, perhaps gzip-compressed
     * @return the parsed image
     * @throws FirmwareFormatException if the bytes are not a valid FX3 firmware image: what and where
     */
    public static Fx3Image parse(byte[] file) throws FirmwareFormatException {
        byte[] bytes = Files.gunzipped(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 4) {
            throw new FirmwareFormatException("a file of " + bytes.length + " bytes is shorter than an FX3 image's header");
        }
        if (bytes[0] != 'C' || bytes[1] != 'Y') {
            throw new FirmwareFormatException(String.format(
                    "no FX3 image: it starts with 0x%02x 0x%02x, not \"CY\"", bytes[0] & 0xff, bytes[1] & 0xff));
        }
        int control = bytes[2] & 0xff;
        int type = bytes[3] & 0xff;
        if ((control & 1) != 0) {
            throw new FirmwareFormatException(String.format(
                    "bImageCTL 0x%02x marks a data file, not firmware that runs (bit 0 is set)", control));
        }
        if (type != IMAGE_TYPE_FIRMWARE) {
            throw new FirmwareFormatException(String.format(
                    "bImageType 0x%02x: the USB bootloader loads firmware images, type 0x%02x", type, IMAGE_TYPE_FIRMWARE));
        }
        b.position(4);
        List<FirmwareSegment> sections = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>(); // each section's byte offset in the file, for messages
        long sum = 0;
        while (true) {
            int at = b.position();
            if (b.remaining() < 8) {
                throw new FirmwareFormatException("truncated at byte " + at + ": a section header needs 8 bytes, "
                        + b.remaining() + " left (no entry-point section)");
            }
            long words = Integer.toUnsignedLong(b.getInt());
            long address = Integer.toUnsignedLong(b.getInt());
            if (words == 0) {
                if (b.remaining() < 4) {
                    throw new FirmwareFormatException("truncated at byte " + b.position()
                            + ": the checksum after the entry point is missing");
                }
                long stored = Integer.toUnsignedLong(b.getInt());
                long computed = sum & 0xffff_ffffL;
                if (stored != computed) {
                    throw new FirmwareFormatException(String.format(
                            "checksum 0x%08x at byte %d, the sections' words add up to 0x%08x: the image is corrupt",
                            stored, b.position() - 4, computed));
                }
                if (b.hasRemaining()) {
                    throw new FirmwareFormatException(b.remaining() + " bytes after the checksum at byte "
                            + (b.position() - 4) + ": not one FX3 image");
                }
                if (sections.isEmpty()) {
                    throw new FirmwareFormatException("an image with no sections");
                }
                checkDisjoint(sections, offsets);
                return new Fx3Image(sections, address, stored);
            }
            long length = words * 4;
            if (length > b.remaining()) {
                throw new FirmwareFormatException(String.format(
                        "truncated: the section at byte %d says %d words (%d bytes) for 0x%08x, %d bytes are left",
                        at, words, length, address, b.remaining()));
            }
            if (address + length - 1 > 0xffff_ffffL) {
                throw new FirmwareFormatException(String.format(
                        "the section at byte %d, %d bytes at 0x%08x, passes the end of the 32-bit space", at, length, address));
            }
            byte[] data = new byte[(int) length];
            b.get(data);
            ByteBuffer w = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            while (w.hasRemaining()) {
                sum += Integer.toUnsignedLong(w.getInt());
            }
            sections.add(new FirmwareSegment(address, data));
            offsets.add(at);
        }
    }

    /** Refuses sections that overlap: sorted by address, each must end before the next begins. */
    private static void checkDisjoint(List<FirmwareSegment> sections, List<Integer> offsets)
            throws FirmwareFormatException {
        Integer[] order = new Integer[sections.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> sections.get(i).address()));
        for (int k = 1; k < order.length; k++) {
            FirmwareSegment before = sections.get(order[k - 1]);
            FirmwareSegment s = sections.get(order[k]);
            if (s.address() < before.end()) {
                int later = Math.max(order[k - 1], order[k]);
                FirmwareSegment a = sections.get(later);
                FirmwareSegment o = sections.get(later == order[k] ? order[k - 1] : order[k]);
                throw new FirmwareFormatException(String.format(
                        "the section at byte %d (0x%08x..0x%08x) overlaps the one at 0x%08x..0x%08x",
                        offsets.get(later), a.address(), a.end() - 1, o.address(), o.end() - 1));
            }
        }
    }

    /**
     * The sections in the order of the file; each is written at its address.
     *
     * @return the sections, an immutable list
     */
    public List<FirmwareSegment> sections() {
        return sections;
    }

    /**
     * Where the bootloader jumps once the sections are written.
     *
     * @return the entry point's 32-bit address
     */
    public long entryPoint() {
        return entryPoint;
    }

    /**
     * The image's checksum (verified).
     *
     * @return the checksum, the 32-bit sum of the sections' words, 0..2<sup>32</sup>-1
     */
    public long checksum() {
        return checksum;
    }

    /**
     * The number of bytes in the sections.
     *
     * @return the sum of the sections' lengths, in bytes
     */
    public long size() {
        long n = 0;
        for (FirmwareSegment s : sections) {
            n += s.length();
        }
        return n;
    }

    /**
     * The image's bytes in the FX3 format, for tests and for tools that build an image in memory.
     * {@link #parse} reads them back unless the sections overlap, which it refuses.
     *
     * @param sections   the sections, at least one, each of whole 32-bit words
     * @param entryPoint the address to jump to, 0..2<sup>32</sup>-1
     * @return the file's bytes, with its checksum
     * @throws IllegalArgumentException if there is no section, one is not whole words, the entry point
     *                                  is not 32-bit, or the image would exceed 8 MiB
     */
    public static byte[] encode(List<FirmwareSegment> sections, long entryPoint) {
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("an image has at least one section");
        }
        if (entryPoint < 0 || entryPoint > 0xffff_ffffL) {
            throw new IllegalArgumentException("entry point 0x" + Long.toHexString(entryPoint) + " is not 32-bit");
        }
        long total = 4 + 8 + 4;
        for (FirmwareSegment s : sections) {
            if (s.length() % 4 != 0) {
                throw new IllegalArgumentException(s + " is not whole 32-bit words");
            }
            total += 8 + s.length();
        }
        if (total > Files.MAX_BYTES) {
            throw new IllegalArgumentException(total + " bytes: larger than any FX3 image");
        }
        ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'C').put((byte) 'Y').put((byte) 0).put((byte) IMAGE_TYPE_FIRMWARE);
        long sum = 0;
        for (FirmwareSegment s : sections) {
            byte[] d = s.data();
            b.putInt(d.length / 4).putInt((int) s.address()).put(d);
            ByteBuffer w = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
            while (w.hasRemaining()) {
                sum += Integer.toUnsignedLong(w.getInt());
            }
        }
        b.putInt(0).putInt((int) entryPoint).putInt((int) sum);
        return b.array();
    }

    @Override
    public String toString() {
        return String.format("Fx3Image[%d sections, %d bytes, entry 0x%08x]", sections.size(), size(), entryPoint);
    }
}
