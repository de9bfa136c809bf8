package dev.ausb;

import dev.ausb.internal.Errors;

/** The checks of {@link UsbDeviceHandle#readDescriptor(int, int)}. */
final class UsbDescriptorReads {
    private UsbDescriptorReads() {}

    /** Throws {@link UsbIoException} unless {@code b} starts as a descriptor of {@code type}. */
    static void checkType(byte[] b, int type, UsbDevice device) {
        if (b.length < 2 || (b[1] & 0xff) != type) {
            throw Errors.of(Errors.ERROR_IO, String.format("read descriptor type 0x%02x of %s", type, device),
                    "the device sent " + (b.length < 2 ? b.length + " bytes"
                            : String.format("a descriptor of type 0x%02x", b[1] & 0xff)));
        }
    }

    /** Throws {@link UsbIoException} if {@code b} is shorter than {@code min} bytes. */
    static void checkLength(byte[] b, int min, int type, UsbDevice device) {
        if (b.length < min) {
            throw Errors.of(Errors.ERROR_IO, String.format("read descriptor type 0x%02x of %s", type, device),
                    "the device sent " + b.length + " bytes of its header, fewer than " + min);
        }
    }
}
