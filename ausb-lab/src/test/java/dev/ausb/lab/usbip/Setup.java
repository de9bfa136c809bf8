package dev.ausb.lab.usbip;

/** The 8-byte SETUP packet of a control URB, decoded (USB 2.0 table 9-2). */
@SuppressWarnings("doclint:missing") // test fixture API: one-line summaries, no @param/@return
public record Setup(int requestType, int request, int value, int index, int length) {
    public static final int GET_STATUS = 0x00;
    public static final int CLEAR_FEATURE = 0x01;
    public static final int SET_FEATURE = 0x03;
    public static final int SET_ADDRESS = 0x05;
    public static final int GET_DESCRIPTOR = 0x06;
    public static final int GET_CONFIGURATION = 0x08;
    public static final int SET_CONFIGURATION = 0x09;
    public static final int GET_INTERFACE = 0x0a;
    public static final int SET_INTERFACE = 0x0b;
    public static final int SET_SEL = 0x30;
    public static final int SET_ISOCH_DELAY = 0x31;

    /** Decodes the little-endian SETUP packet. */
    static Setup decode(byte[] b) {
        return new Setup(b[0] & 0xff, b[1] & 0xff, (b[2] & 0xff) | (b[3] & 0xff) << 8, (b[4] & 0xff) | (b[5] & 0xff) << 8,
                (b[6] & 0xff) | (b[7] & 0xff) << 8);
    }

    /** Device-to-host (an IN data stage, or none). */
    public boolean in() {
        return (requestType & 0x80) != 0;
    }

    /** 0 standard, 1 class, 2 vendor, 3 reserved. */
    public int type() {
        return (requestType >> 5) & 3;
    }

    /** 0 device, 1 interface, 2 endpoint, 3 other. */
    public int recipient() {
        return requestType & 0x1f;
    }

    /** True for a standard request ({@link #type()} 0). */
    public boolean standard() {
        return type() == 0;
    }

    /** For GET_DESCRIPTOR: the descriptor type (wValue's high byte). */
    public int descriptorType() {
        return value >> 8;
    }

    /** For GET_DESCRIPTOR: the descriptor index (wValue's low byte). */
    public int descriptorIndex() {
        return value & 0xff;
    }

    @Override
    public String toString() {
        return String.format("Setup[%02x %02x %04x %04x %d]", requestType, request, value, index, length);
    }
}
