package dev.ausb.firmware;

import java.io.IOException;

/**
 * A firmware file that cannot be used as it is: a bad checksum, a truncated record, an unknown
 * record or image type, overlapping data. The message says where (line, or byte offset) and why.
 */
public final class FirmwareFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * A refusal with its message.
     *
     * @param message what is wrong and where
     */
    public FirmwareFormatException(String message) {
        super(message);
    }

    /**
     * A refusal with its message and the failure under it (a gzip stream that is corrupt).
     *
     * @param message what is wrong and where
     * @param cause   the failure under it
     */
    public FirmwareFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
