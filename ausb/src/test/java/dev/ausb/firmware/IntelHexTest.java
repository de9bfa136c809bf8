package dev.ausb.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntelHexTest {
    /** One record, its checksum computed: the test writes what a correct tool writes. */
    static String record(int type, int address, int... data) {
        StringBuilder s = new StringBuilder(":");
        int sum = data.length + (address >> 8) + (address & 0xff) + type;
        s.append(String.format("%02X%04X%02X", data.length, address, type));
        for (int d : data) {
            s.append(String.format("%02X", d));
            sum += d;
        }
        return s.append(String.format("%02X", (-sum) & 0xff)).toString();
    }

    static IntelHex parse(String text) throws FirmwareFormatException {
        return IntelHex.parse(text.getBytes(StandardCharsets.US_ASCII));
    }

    static String message(String text) {
        return assertThrows(FirmwareFormatException.class, () -> parse(text)).getMessage();
    }

    @Test
    void recordsAsAnSdccBuild_parseIntoTheirSegments() throws Exception {
        // written by hand in the shape SDCC gives an 8051 image (LJMPs at the reset and interrupt vectors,
        // out of address order), each checksum worked out by hand, not by record()
        String text = """
                :03000000020006F5
                :03005F0002000399
                :0300030002006296
                :00000001FF
                """;
        IntelHex hex = parse(text);
        assertEquals(List.of(
                new FirmwareSegment(0x0000, new byte[] {0x02, 0x00, 0x06, 0x02, 0x00, 0x62}),
                new FirmwareSegment(0x005f, new byte[] {0x02, 0x00, 0x03})), hex.segments());
        assertEquals(9, hex.size());
        assertEquals(0x62, hex.end());
        assertTrue(hex.startAddress().isEmpty());
    }

    @Test
    void contiguousRecords_mergeAndOutOfOrderOnesAreSorted() throws Exception {
        String text = String.join("\r\n",
                record(0, 0x0010, 1, 2, 3, 4),
                record(0, 0x0000, 9, 9),
                record(0, 0x0014, 5, 6),
                record(0, 0x0002, 8),
                record(1, 0), "");
        IntelHex hex = parse(text);
        assertEquals(2, hex.segments().size(), hex.toString());
        assertEquals(new FirmwareSegment(0, new byte[] {9, 9, 8}), hex.segments().get(0));
        assertEquals(new FirmwareSegment(0x10, new byte[] {1, 2, 3, 4, 5, 6}), hex.segments().get(1));
    }

    @Test
    void extendedAddresses_andStartAddresses() throws Exception {
        String text = String.join("\n",
                record(4, 0, 0x00, 0x01), record(0, 0x0002, 0xaa),          // 0x0001_0002
                record(2, 0, 0x10, 0x00), record(0, 0x0001, 0xbb),          // 0x1000 * 16 + 1 = 0x1_0001
                record(5, 0, 0x00, 0x01, 0x23, 0x45),
                record(1, 0));
        IntelHex hex = parse(text);
        assertEquals(List.of(new FirmwareSegment(0x1_0001, new byte[] {(byte) 0xbb, (byte) 0xaa})), hex.segments());
        assertEquals(0x12345, hex.startAddress().getAsLong());
        // type 03 is CS:IP, the address CS * 16 + IP
        assertEquals((0x8765L << 4) + 0x4321, parse(record(3, 0, 0x87, 0x65, 0x43, 0x21) + "\n" + record(1, 0))
                .startAddress().getAsLong());
    }

    @Test
    void overlappingRecords_mustAgree() throws Exception {
        IntelHex same = parse(String.join("\n", record(0, 0, 1, 2, 3), record(0, 1, 2, 3, 4), record(1, 0)));
        assertEquals(List.of(new FirmwareSegment(0, new byte[] {1, 2, 3, 4})), same.segments());
        String m = message(String.join("\n", record(0, 0, 1, 2, 3), record(0, 2, 7), record(1, 0)));
        assertEquals("line 2: address 0x2 is given 0x07 here and 0x03 by another record", m);
        String inside = message(String.join("\n", record(0, 4, 1), record(0, 0, 0, 0, 0, 0, 2), record(1, 0)));
        assertEquals("line 1: address 0x4 is given 0x01 here and 0x02 by another record", inside);
        // a record nested in an earlier one must not hide it from a third (the review's A/B/C case)
        int[] sixteen = new int[16];
        int[] differ = {0, 0, 0, 9};
        String nested = message(String.join("\n", record(0, 0, sixteen), record(0, 4, 0, 0), record(0, 8, differ),
                record(1, 0)));
        assertEquals("line 3: address 0xb is given 0x09 here and 0x00 by another record", nested);
    }

    @Test
    void badRecords_areRefusedWithTheLineAndWhy() {
        String eof = "\n" + record(1, 0);
        assertEquals("line 1: checksum 0x00, the record's bytes need 0xf5",
                message(":0300000002000600" + eof));
        assertEquals("line 1: the record says 3 data bytes but has 2 (truncated?)", message(":030000000200F9" + eof));
        assertEquals("line 1: a record of 3 bytes is shorter than its 5-byte frame (truncated?)", message(":030000" + eof));
        assertEquals("line 1: an odd number of hex digits (7)", message(":0300000" + eof));
        assertEquals("line 1: 'G' at column 4 is not a hex digit", message(":03G000000200060000" + eof));
        assertEquals("line 1: a record starts with ':', not 'x'", message("x" + eof));
        assertEquals("line 1: unknown record type 0x06", message(record(6, 0) + eof));
        assertEquals("line 1: an extended address record (type 04) has 2 data bytes, not 1", message(record(4, 0, 1) + eof));
        assertEquals("line 1: an end-of-file record with 1 data bytes", message(record(1, 0, 1)));
        assertEquals("line 3: a record after the end-of-file record", message(record(1, 0) + "\n\n" + record(0, 0, 1)));
        assertEquals("no end-of-file record after line 1: the file is truncated", message(record(0, 0, 1, 2)));
        assertEquals("an empty file, not Intel HEX", message(""));
        assertTrue(message(record(4, 0, 0xff, 0xff) + "\n" + record(0, 0xffff, 1, 2) + eof)
                .contains("pass the end of a 32-bit space"));
    }

    @Test
    void blankLinesAndSpacesAroundRecords_areAccepted() throws Exception {
        IntelHex hex = parse("\n  " + record(0, 0x100, 0x55) + " \t\r\n\n" + record(1, 0) + "\n\n");
        assertEquals(List.of(new FirmwareSegment(0x100, new byte[] {0x55})), hex.segments());
    }

    @Test
    void gzipCompressedFiles_areReadAsTheyAre_andACorruptOneIsRefused(@TempDir Path dir) throws Exception {
        String text = record(0, 0x200, 1, 2, 3) + "\n" + record(1, 0) + "\n";
        byte[] gz = gzip(text.getBytes(StandardCharsets.US_ASCII));
        Path file = dir.resolve("fw.ihx.gz");
        java.nio.file.Files.write(file, gz);
        assertEquals(parse(text).segments(), IntelHex.read(file).segments());

        byte[] truncated = java.util.Arrays.copyOf(gz, gz.length - 6);
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> IntelHex.parse(truncated));
        assertTrue(e.getMessage().startsWith("a corrupt or truncated gzip file"), e.getMessage());
        java.nio.file.Files.write(file, truncated);
        FirmwareFormatException named = assertThrows(FirmwareFormatException.class, () -> IntelHex.read(file));
        assertTrue(named.getMessage().startsWith(file + ": a corrupt or truncated gzip file"), named.getMessage());
    }

    @Test
    void aGzipBomb_isRefused() throws Exception {
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            for (int i = 0; i < (Files.MAX_BYTES >> 20) + 1; i++) { // one MiB more than the bound
                z.write(zeros);
            }
        }
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> IntelHex.parse(out.toByteArray()));
        assertTrue(e.getMessage().contains("expands past"), e.getMessage());
    }

    @Test
    void manyOneByteRecords_parseInLinearTime() throws Exception {
        // 300,000 one-byte records, the most a file under the bound holds, every one overlapping the next
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 300_000; i++) {
            b.append(record(0, i & 0xffff, 0x5a, 0x5a)).append('\n');
        }
        long t0 = System.nanoTime();
        IntelHex hex = parse(b.append(record(1, 0)).toString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, hex.segments().size());
        assertEquals(0x10001, hex.segments().getFirst().length());
        assertTrue(ms < 10_000, "took " + ms + " ms");
    }

    @Test
    void aFileLargerThanTheBound_isRefused_evenWhenItsSizeIsNotKnownAhead(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.ihx");
        java.nio.file.Files.write(big, new byte[Files.MAX_BYTES + 1]);
        FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> IntelHex.read(big));
        assertEquals(big + ": more than " + Files.MAX_BYTES + " bytes: larger than any firmware image", e.getMessage());
    }

    @Test
    void segmentsCopyTheirBytes() {
        byte[] d = HexFormat.of().parseHex("0102");
        FirmwareSegment s = new FirmwareSegment(7, d);
        d[0] = 9;
        assertArrayEquals(new byte[] {1, 2}, s.data());
        s.data()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, s.data());
        assertThrows(IllegalArgumentException.class, () -> new FirmwareSegment(0, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new FirmwareSegment(-1, d));
        assertThrows(IllegalArgumentException.class, () -> new FirmwareSegment(0xffff_ffffL, d));
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }
}
