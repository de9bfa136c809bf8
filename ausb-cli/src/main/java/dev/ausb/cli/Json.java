package dev.ausb.cli;

import dev.ausb.UsbDeviceDump;

/** The CLI's {@code --json} output, written by the library's writer so every string is escaped alike. */
final class Json {
    private Json() {}

    /** {@code value} as indented JSON, with a final newline. */
    static String write(Object value) {
        return UsbDeviceDump.json(value, true) + "\n";
    }

    /** {@code value} as JSON on one line, without a newline (NDJSON, error objects). */
    static String line(Object value) {
        return UsbDeviceDump.json(value, false);
    }
}
