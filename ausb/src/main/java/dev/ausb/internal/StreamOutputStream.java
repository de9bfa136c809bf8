package dev.ausb.internal;

import dev.ausb.UsbOutStream;
import java.io.IOException;
import java.io.OutputStream;

/** An OUT endpoint as an {@link OutputStream} over a {@link UsbOutStream}; USB failures become IOExceptions. */
final class StreamOutputStream extends OutputStream {
    private final UsbOutStream out;
    private final byte[] one = new byte[1];

    StreamOutputStream(UsbOutStream out) {
        this.out = out;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Submits what is buffered and waits until the device has taken it. */
    @Override
    public void flush() throws IOException {
        try {
            out.drain();
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
