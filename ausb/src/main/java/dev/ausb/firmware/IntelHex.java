package dev.ausb.firmware;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A firmware image in Intel HEX, the format of SDCC, Keil and {@code fxload} for the 8051 cores of
 * Cypress FX2/FX2LP: its data merged into contiguous {@link FirmwareSegment}s in address order.
 *
 * <p>Every record is checked: the colon, hex digits, the byte count against the line's length, the
 * checksum. Record types 00 (data), 01 (end of file), 02 (extended segment address), 04 (extended
 * linear address), 03 and 05 (start addresses, kept as {@link #startAddress()}) are known; any
 * other, a missing end-of-file record (a truncated file), anything but blank lines after it, and
 * two records giving one address different bytes are refused. A file that starts with gzip's magic
 * is decompressed first.
 *
 * <pre>{@code
 * IntelHex image = IntelHex.read(Path.of("firmware.ihx"));
 * for (FirmwareSegment s : image.segments()) { ... }
 * }</pre>
 */
public final class IntelHex {
    private final List<FirmwareSegment> segments;
    private final long startAddress; // -1 if none

    private IntelHex(List<FirmwareSegment> segments, long startAddress) {
        this.segments = List.copyOf(segments);
        this.startAddress = startAddress;
    }

    /**
     * Reads and parses a file (gzip-compressed or not).
     *
     * @param file the Intel HEX file ({@code .ihx}, {@code .hex}), perhaps gzip-compressed; at most 8 MiB
     * @return the parsed image
     * @throws FirmwareFormatException if the file is not valid Intel HEX (the message starts with its
     *                                 path and gives the line)
     * @throws IOException if the file cannot be read
     */
    public static IntelHex read(Path file) throws IOException {
        return Files.parse(file, IntelHex::parse);
    }

    /**
     * Parses the bytes of a file (ASCII text, or gzip-compressed text).
     *
     * @param file the file's bytes
     * @return the parsed image
     * @throws FirmwareFormatException if the bytes are not valid Intel HEX: the line and what is wrong
     */
    public static IntelHex parse(byte[] file) throws FirmwareFormatException {
        byte[] text = Files.gunzipped(file);
        List<Rec> records = new ArrayList<>();
        long base = 0;
        long start = -1;
        boolean ended = false;
        int lineNo = 0;
        int pos = 0;
        while (pos < text.length) {
            int eol = pos;
            while (eol < text.length && text[eol] != '\n') {
                eol++;
            }
            lineNo++;
            int from = pos;
            int to = eol;
            pos = eol + 1;
            while (to > from && isSpace(text[to - 1])) {
                to--;
            }
            while (from < to && isSpace(text[from])) {
                from++;
            }
            if (from == to) {
                continue;
            }
            if (ended) {
                throw error(lineNo, "a record after the end-of-file record");
            }
            if (text[from] != ':') {
                throw error(lineNo, "a record starts with ':', not '" + printable(text[from]) + "'");
            }
            int digits = to - from - 1;
            if (digits % 2 != 0) {
                throw error(lineNo, "an odd number of hex digits (" + digits + ")");
            }
            byte[] rec = new byte[digits / 2];
            for (int i = 0; i < rec.length; i++) {
                int hi = hex(text[from + 1 + 2 * i]);
                int lo = hex(text[from + 2 + 2 * i]);
                if (hi < 0 || lo < 0) {
                    int at = hi < 0 ? from + 1 + 2 * i : from + 2 + 2 * i;
                    throw error(lineNo, "'" + printable(text[at]) + "' at column " + (at - from + 1) + " is not a hex digit");
                }
                rec[i] = (byte) (hi << 4 | lo);
            }
            if (rec.length < 5) {
                throw error(lineNo, "a record of " + rec.length + " bytes is shorter than its 5-byte frame (truncated?)");
            }
            int count = rec[0] & 0xff;
            if (rec.length != count + 5) {
                throw error(lineNo, "the record says " + count + " data bytes but has " + (rec.length - 5)
                        + (rec.length < count + 5 ? " (truncated?)" : ""));
            }
            int sum = 0;
            for (byte b : rec) {
                sum += b & 0xff;
            }
            if ((sum & 0xff) != 0) {
                int expected = (rec[rec.length - 1] - sum) & 0xff; // what the checksum byte should be
                throw error(lineNo, String.format("checksum 0x%02x, the record's bytes need 0x%02x",
                        rec[rec.length - 1] & 0xff, expected));
            }
            int offset = (rec[1] & 0xff) << 8 | (rec[2] & 0xff);
            int type = rec[3] & 0xff;
            switch (type) {
                case 0x00 -> {
                    if (count > 0) {
                        byte[] data = java.util.Arrays.copyOfRange(rec, 4, 4 + count);
                        long at = base + offset;
                        if (at + count - 1 > 0xffff_ffffL) {
                            throw error(lineNo, String.format("%d bytes at 0x%x pass the end of a 32-bit space", count, at));
                        }
                        records.add(new Rec(at, data, lineNo));
                    }
                }
                case 0x01 -> {
                    if (count != 0) {
                        throw error(lineNo, "an end-of-file record with " + count + " data bytes");
                    }
                    ended = true;
                }
                case 0x02, 0x04 -> {
                    if (count != 2) {
                        throw error(lineNo, String.format("an extended address record (type %02x) has 2 data bytes, not %d",
                                type, count));
                    }
                    long value = (rec[4] & 0xff) << 8 | (rec[5] & 0xff);
                    base = type == 0x02 ? value << 4 : value << 16;
                }
                case 0x03, 0x05 -> {
                    if (count != 4) {
                        throw error(lineNo, String.format("a start address record (type %02x) has 4 data bytes, not %d",
                                type, count));
                    }
                    long a = (rec[4] & 0xffL) << 24 | (rec[5] & 0xff) << 16 | (rec[6] & 0xff) << 8 | (rec[7] & 0xff);
                    start = type == 0x05 ? a : ((a >>> 16) << 4) + (a & 0xffff); // CS:IP for type 03
                }
                default -> throw error(lineNo, String.format("unknown record type 0x%02x", type));
            }
        }
        if (!ended) {
            throw new FirmwareFormatException(lineNo == 0 ? "an empty file, not Intel HEX"
                    : "no end-of-file record after line " + lineNo + ": the file is truncated");
        }
        return new IntelHex(merge(records), start);
    }

    /**
     * The data, merged into contiguous segments, in address order; empty if the file has none.
     *
     * @return the segments, an immutable list, none overlapping
     */
    public List<FirmwareSegment> segments() {
        return segments;
    }

    /**
     * The start address of a type 03 or 05 record, if the file has one (the 8051 ignores it).
     *
     * @return the start address as the record gives it, or empty
     */
    public OptionalLong startAddress() {
        return startAddress < 0 ? OptionalLong.empty() : OptionalLong.of(startAddress);
    }

    /**
     * The number of data bytes.
     *
     * @return the number of data bytes, the sum of the segments' lengths
     */
    public long size() {
        long n = 0;
        for (FirmwareSegment s : segments) {
            n += s.length();
        }
        return n;
    }

    /**
     * The address just past the highest byte (0 if there is no data).
     *
     * @return the end of the highest segment, or 0
     */
    public long end() {
        return segments.isEmpty() ? 0 : segments.getLast().end();
    }

    @Override
    public String toString() {
        return "IntelHex[" + segments.size() + " segments, " + size() + " bytes"
                + (segments.isEmpty() ? "" : String.format(", 0x%04x..0x%04x", segments.getFirst().address(), end() - 1))
                + "]";
    }

    /** A data record: where, what, and its line for messages. */
    private record Rec(long address, byte[] data, int line) {}

    /**
     * Sorts the records by address and sweeps them into contiguous segments; where records overlap
     * they must agree byte for byte. Linear in the bytes after the sort, whatever the overlaps.
     */
    private static List<FirmwareSegment> merge(List<Rec> records) throws FirmwareFormatException {
        records.sort(java.util.Comparator.comparingLong(Rec::address)); // stable: file order within an address
        List<FirmwareSegment> out = new ArrayList<>();
        byte[] cur = new byte[256];
        long start = -1;
        int size = 0;
        for (Rec r : records) {
            byte[] d = r.data();
            long end = start + size;
            if (start >= 0 && r.address() <= end) {
                int overlap = (int) Math.min(d.length, end - r.address());
                int from = (int) (r.address() - start);
                for (int i = 0; i < overlap; i++) {
                    if (cur[from + i] != d[i]) {
                        throw error(r.line(), String.format("address 0x%x is given 0x%02x here and 0x%02x by another record",
                                r.address() + i, d[i] & 0xff, cur[from + i] & 0xff));
                    }
                }
                int more = d.length - overlap;
                if (more > 0) {
                    if (size + more > cur.length) {
                        cur = java.util.Arrays.copyOf(cur, Math.max(cur.length * 2, size + more));
                    }
                    System.arraycopy(d, overlap, cur, size, more);
                    size += more;
                }
                continue;
            }
            if (start >= 0) {
                out.add(new FirmwareSegment(start, java.util.Arrays.copyOf(cur, size)));
            }
            start = r.address();
            size = d.length;
            if (size > cur.length) {
                cur = new byte[Math.max(cur.length * 2, size)];
            }
            System.arraycopy(d, 0, cur, 0, size);
        }
        if (start >= 0) {
            out.add(new FirmwareSegment(start, java.util.Arrays.copyOf(cur, size)));
        }
        return out;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\f';
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private static String printable(byte b) {
        int c = b & 0xff;
        return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
    }

    private static FirmwareFormatException error(int line, String what) {
        return new FirmwareFormatException("line " + line + ": " + what);
    }
}
