package dev.ausb.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fx3ImageTest {
    static final List<FirmwareSegment> SECTIONS = List.of(
            new FirmwareSegment(0x0000_0000L, HexFormat.of().parseHex("0102030405060708")),
            new FirmwareSegment(0x4000_3000L, HexFormat.of().parseHex("ffffffff10203040")));

    static String message(byte[] image) {
        return assertThrows(FirmwareFormatException.class, () -> Fx3Image.parse(image)).getMessage();
    }

    @Test
    void anImageWrittenByHand_parsesIntoItsSectionsAndEntryPoint() throws Exception {
        // laid out byte by byte as AN76405 gives it, independently of encode()
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 4 + 8 + 8 + 12).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'C', 'Y', 0x1c, (byte) 0xb0}); // bImageCTL 0x1c: SPI speed bits, executable
        b.putInt(1).putInt(0x100).putInt(0x11223344);
        b.putInt(2).putInt(0x4000_0000).putInt(0xf000_0000).putInt(0x2000_0001);
        b.putInt(0).putInt(0x4000_0040);
        b.putInt((int) (0x11223344L + 0xf000_0000L + 0x2000_0001L)); // the 32-bit sum, carry dropped
        Fx3Image img = Fx3Image.parse(b.array());
        assertEquals(2, img.sections().size());
        assertEquals(new FirmwareSegment(0x100, HexFormat.of().parseHex("44332211")), img.sections().get(0));
        assertEquals(new FirmwareSegment(0x4000_0000L, HexFormat.of().parseHex("000000f001000020")), img.sections().get(1));
        assertEquals(0x4000_0040L, img.entryPoint());
        assertEquals((0x11223344L + 0xf000_0000L + 0x2000_0001L) & 0xffff_ffffL, img.checksum());
        assertEquals(12, img.size());
    }

    @Test
    void encode_andParse_roundTrip(@TempDir Path dir) throws Exception {
        byte[] bytes = Fx3Image.encode(SECTIONS, 0x4000_3000L);
        Fx3Image img = Fx3Image.parse(bytes);
        assertEquals(SECTIONS, img.sections());
        assertEquals(0x4000_3000L, img.entryPoint());
        Path gz = dir.resolve("fw.img.gz");
        java.nio.file.Files.write(gz, IntelHexTest.gzip(bytes));
        assertEquals(SECTIONS, Fx3Image.read(gz).sections());
    }

    @Test
    void aCorruptImage_isRefusedWithWhatAndWhere() {
        byte[] good = Fx3Image.encode(SECTIONS, 0x4000_3000L);
        byte[] flipped = good.clone();
        flipped[14] ^= 0x01; // a data byte of the first section
        assertTrue(message(flipped).matches("checksum 0x[0-9a-f]{8} at byte \\d+, the sections' words add up to 0x[0-9a-f]{8}: the image is corrupt"),
                message(flipped));
        byte[] badSum = good.clone();
        badSum[badSum.length - 1] ^= 0x40;
        assertTrue(message(badSum).startsWith("checksum 0x"), message(badSum));

        assertEquals("no FX3 image: it starts with 0x3a 0x30, not \"CY\"", message(":0300000002".getBytes()));
        assertEquals("a file of 2 bytes is shorter than an FX3 image's header", message(new byte[] {'C', 'Y'}));
        byte[] data = good.clone();
        data[2] = 0x01;
        assertEquals("bImageCTL 0x01 marks a data file, not firmware that runs (bit 0 is set)", message(data));
        byte[] type = good.clone();
        type[3] = (byte) 0xb1;
        assertEquals("bImageType 0xb1: the USB bootloader loads firmware images, type 0xb0", message(type));
    }

    @Test
    void aTruncatedImage_isRefusedAtEveryLength() {
        byte[] good = Fx3Image.encode(SECTIONS, 0x4000_3000L);
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            FirmwareFormatException e = assertThrows(FirmwareFormatException.class, () -> Fx3Image.parse(cut),
                    "cut to " + n + " bytes");
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("shorter than"),
                    n + ": " + e.getMessage());
        }
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        assertEquals("3 bytes after the checksum at byte " + (good.length - 4) + ": not one FX3 image", message(longer));
    }

    @Test
    void aSectionClaimingMoreWordsThanTheFileHas_isRefusedWithoutAllocatingThem() {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'C', 'Y', 0, (byte) 0xb0}).putInt(-1).putInt(0).putInt(0);
        String m = message(b.array());
        assertEquals("truncated: the section at byte 4 says 4294967295 words (17179869180 bytes) for 0x00000000, 4 bytes are left", m);
    }

    @Test
    void overlappingSections_andAnEmptyImage_areRefused() {
        byte[] overlap = Fx3Image.encode(List.of(
                new FirmwareSegment(0x100, new byte[8]), new FirmwareSegment(0x104, new byte[4])), 0);
        assertEquals("the section at byte 20 (0x00000104..0x00000107) overlaps the one at 0x00000100..0x00000107",
                message(overlap));
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'C', 'Y', 0, (byte) 0xb0}).putInt(0).putInt(0x40000000).putInt(0);
        assertEquals("an image with no sections", message(b.array()));
        assertThrows(IllegalArgumentException.class, () -> Fx3Image.encode(List.of(), 0));
        assertThrows(IllegalArgumentException.class,
                () -> Fx3Image.encode(List.of(new FirmwareSegment(0, new byte[3])), 0), "not whole words");
    }

    @Test
    void sectionsKeepTheirBytes() throws Exception {
        Fx3Image img = Fx3Image.parse(Fx3Image.encode(SECTIONS, 0));
        assertArrayEquals(SECTIONS.get(1).data(), img.sections().get(1).data());
        assertTrue(img.toString().startsWith("Fx3Image[2 sections, 16 bytes"), img.toString());
    }
}
