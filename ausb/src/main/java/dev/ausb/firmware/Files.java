package dev.ausb.firmware;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** Reading firmware files: whole, bounded, and gunzipped when they start with gzip's magic. */
final class Files {
    /** No firmware for these chips comes near this; a larger file (or gzip bomb) is refused. */
    static final int MAX_BYTES = 64 << 20;

    private Files() {}

    static byte[] read(Path file) throws IOException {
        long size = java.nio.file.Files.size(file);
        if (size > MAX_BYTES) {
            throw new FirmwareFormatException(file + ": " + size + " bytes, more than any firmware image ("
                    + MAX_BYTES + ")");
        }
        return java.nio.file.Files.readAllBytes(file);
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
