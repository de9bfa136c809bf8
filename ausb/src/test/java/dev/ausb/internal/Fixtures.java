package dev.ausb.internal;

import java.util.HexFormat;

/** Descriptor bytes of real and typical devices, for the parser tests. */
final class Fixtures {
    private Fixtures() {}

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[^0-9a-fA-F]", ""));
    }

    /** Linux SourceSink gadget at high speed (lsusb -v in the lab). */
    static final byte[] SOURCESINK_HS = hex("""
            09 02 20 00 01 01 00 80 01
            09 04 00 00 02 ff 00 00 00
            07 05 81 02 00 02 00
            07 05 02 02 00 02 00
            """);

    /** QEMU usb-kbd: a HID boot keyboard with its HID class descriptor. */
    static final byte[] KEYBOARD = hex("""
            09 02 22 00 01 01 06 a0 32
            09 04 00 00 01 03 01 01 07
            09 21 11 01 00 01 22 3f 00
            07 05 81 03 08 00 07
            """);

    /** A CDC ACM function behind an interface association, with class-specific descriptors. */
    static final byte[] CDC_ACM_IAD = hex("""
            09 02 4b 00 02 01 00 80 32
            08 0b 00 02 02 02 01 05
            09 04 00 00 01 02 02 01 00
            05 24 00 10 01
            05 24 01 00 01
            04 24 02 02
            05 24 06 00 01
            07 05 82 03 08 00 10
            09 04 01 00 02 0a 00 00 00
            07 05 01 02 40 00 00
            07 05 81 02 40 00 00
            """);

    /** A SuperSpeed vendor interface with endpoint companions (burst 16, 16 streams on OUT). */
    static final byte[] SUPERSPEED_BULK = hex("""
            09 02 2c 00 01 01 00 c0 32
            09 04 00 00 02 ff 00 00 00
            07 05 81 02 00 04 00
            06 30 0f 00 00 00
            07 05 02 02 00 04 00
            06 30 0f 04 00 00
            """);

    /** Audio streaming: alternate setting 1 has a 9-byte isochronous endpoint with a class endpoint descriptor; high-bandwidth mult 3. */
    static final byte[] AUDIO_ALT = hex("""
            09 02 3d 00 01 01 00 80 32
            09 04 01 00 00 01 02 00 00
            09 04 01 01 01 01 02 00 00
            07 24 01 01 01 01 00
            0b 24 02 01 02 02 10 01 80 bb 00
            09 05 01 0d 00 14 04 00 00
            07 25 01 01 00 00 00
            """);

    /** BOS: USB 2.0 extension (LPM), SuperSpeed, container id 03020100-0504-0706-0809-0a0b0c0d0e0f. */
    static final byte[] BOS = hex("""
            05 0f 2a 00 03
            07 10 02 02 00 00 00
            0a 10 03 00 0e 00 01 0a ff 07
            14 10 04 00 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
            """);
}
