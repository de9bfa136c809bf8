package dev.ausb.firmware;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reading firmware files: whole, bounded, and gunzipped when they start with gzip's magic. */
final class Files {
    /**
     * No firmware for these chips comes near this (an FX2 has 16.5 KiB to fill, an FX3 512 KiB; its
     * Intel HEX text is under 3 times that); a larger file, or gzip stream, is refused.
     */
    static final int MAX_BYTES = 8 << 20;

    private Files() {}

    /** A parser of a file's bytes. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(byte[] bytes) throws FirmwareFormatException;
    }

    /** Reads the file and parses it; a refusal's message starts with the file's path. */
    static <T> T parse(Path file, Parser<T> parser) throws IOException {
        try {
            return parser.parse(read(file));
        } catch (FirmwareFormatException e) {
            throw new FirmwareFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** The file's bytes, read up to the bound (a pipe or a growing file included). */
    static byte[] read(Path file) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] b = in.readNBytes(MAX_BYTES + 1);
            if (b.length > MAX_BYTES) {
                throw new FirmwareFormatException("more than " + MAX_BYTES + " bytes: larger than any firmware image");
            }
            return b;
        }
    }

    /** The bytes as they are, or decompressed if they are gzip's. */
    static byte[] gunzipped(byte[] bytes) throws FirmwareFormatException {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
            return bytes;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (out.size() + n > MAX_BYTES) {
                    throw new FirmwareFormatException("the gzip file expands past " + MAX_BYTES + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (FirmwareFormatException e) {
            throw e;
        } catch (ZipException | java.io.EOFException e) {
            throw new FirmwareFormatException("a corrupt or truncated gzip file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new FirmwareFormatException("the gzip file could not be read: " + e.getMessage(), e);
        }
    }
}
