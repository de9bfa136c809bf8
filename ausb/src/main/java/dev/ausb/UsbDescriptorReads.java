package dev.ausb;

import dev.ausb.internal.Errors;
import java.util.concurrent.CompletionException;

/** The waits and checks of {@link UsbDeviceHandle#readDescriptor(int, int)}. */
final class UsbDescriptorReads {
    private UsbDescriptorReads() {}

    /** The future's result; its failure thrown as it is, not wrapped. */
    static <T> T await(UsbTransferFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Throws {@link UsbIoException} unless {@code b} starts as a descriptor of {@code type}. */
    static void checkType(byte[] b, int type, UsbDevice device) {
        if (b.length < 2 || (b[1] & 0xff) != type) {
            throw Errors.of(Errors.ERROR_IO, String.format("read descriptor type 0x%02x of %s", type, device),
                    "the device sent " + (b.length < 2 ? b.length + " bytes"
                            : String.format("a descriptor of type 0x%02x", b[1] & 0xff)));
        }
    }
}
