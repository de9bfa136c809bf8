package dev.ausb.internal.libusb;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;

/**
 * Turns libusb's parsed {@code struct libusb_config_descriptor} back into the descriptor bytes it
 * came from, so one Java parser builds ausb's tree from bytes (and is tested on bytes).
 *
 * <p>libusb keeps every standard field and, in each level's {@code extra}, every other descriptor
 * in order, so the stream is the device's own but for the order of alternate settings, which
 * libusb groups by interface.
 */
public final class ConfigBytes {
    private ConfigBytes() {}

    private static final long C_IFACE = Structs.offset(Structs.CONFIG_DESCRIPTOR, "interface");
    private static final long C_EXTRA = Structs.offset(Structs.CONFIG_DESCRIPTOR, "extra");
    private static final long C_EXTRA_LEN = Structs.offset(Structs.CONFIG_DESCRIPTOR, "extra_length");
    private static final long I_ALT = Structs.offset(Structs.INTERFACE, "altsetting");
    private static final long I_NUM_ALT = Structs.offset(Structs.INTERFACE, "num_altsetting");
    private static final long A_ENDPOINT = Structs.offset(Structs.INTERFACE_DESCRIPTOR, "endpoint");
    private static final long A_EXTRA = Structs.offset(Structs.INTERFACE_DESCRIPTOR, "extra");
    private static final long A_EXTRA_LEN = Structs.offset(Structs.INTERFACE_DESCRIPTOR, "extra_length");
    private static final long E_EXTRA = Structs.offset(Structs.ENDPOINT_DESCRIPTOR, "extra");
    private static final long E_EXTRA_LEN = Structs.offset(Structs.ENDPOINT_DESCRIPTOR, "extra_length");

    /** Serializes the config descriptor libusb returned at {@code config}. */
    public static byte[] serialize(MemorySegment config) {
        MemorySegment c = config.reinterpret(Structs.CONFIG_DESCRIPTOR.byteSize());
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(9);
        out.write(c.get(JAVA_BYTE, 1));
        short total = c.get(JAVA_SHORT, 2);
        out.write(total & 0xff);
        out.write((total >> 8) & 0xff);
        for (int i = 4; i <= 8; i++) {
            out.write(c.get(JAVA_BYTE, i));
        }
        extra(out, c, C_EXTRA, C_EXTRA_LEN);
        int numInterfaces = Byte.toUnsignedInt(c.get(JAVA_BYTE, 4));
        MemorySegment ifaces = c.get(ADDRESS, C_IFACE).reinterpret(numInterfaces * Structs.INTERFACE.byteSize());
        for (int i = 0; i < numInterfaces; i++) {
            MemorySegment iface = ifaces.asSlice(i * Structs.INTERFACE.byteSize(), Structs.INTERFACE.byteSize());
            int numAlt = Math.max(0, iface.get(JAVA_INT, I_NUM_ALT));
            long altSize = Structs.INTERFACE_DESCRIPTOR.byteSize();
            MemorySegment alts = iface.get(ADDRESS, I_ALT).reinterpret(numAlt * altSize);
            for (int a = 0; a < numAlt; a++) {
                MemorySegment alt = alts.asSlice(a * altSize, altSize);
                out.write(9);
                for (int k = 1; k <= 8; k++) {
                    out.write(alt.get(JAVA_BYTE, k));
                }
                extra(out, alt, A_EXTRA, A_EXTRA_LEN);
                int numEp = Byte.toUnsignedInt(alt.get(JAVA_BYTE, 4));
                long epSize = Structs.ENDPOINT_DESCRIPTOR.byteSize();
                MemorySegment eps = alt.get(ADDRESS, A_ENDPOINT).reinterpret(numEp * epSize);
                for (int e = 0; e < numEp; e++) {
                    MemorySegment ep = eps.asSlice(e * epSize, epSize);
                    int len = Byte.toUnsignedInt(ep.get(JAVA_BYTE, 0)) >= 9 ? 9 : 7;
                    out.write(len);
                    out.write(ep.get(JAVA_BYTE, 1));
                    out.write(ep.get(JAVA_BYTE, 2));
                    out.write(ep.get(JAVA_BYTE, 3));
                    short mps = ep.get(JAVA_SHORT, 4);
                    out.write(mps & 0xff);
                    out.write((mps >> 8) & 0xff);
                    out.write(ep.get(JAVA_BYTE, 6));
                    if (len == 9) {
                        out.write(ep.get(JAVA_BYTE, 7));
                        out.write(ep.get(JAVA_BYTE, 8));
                    }
                    extra(out, ep, E_EXTRA, E_EXTRA_LEN);
                }
            }
        }
        return out.toByteArray();
    }

    private static void extra(ByteArrayOutputStream out, MemorySegment s, long ptrOff, long lenOff) {
        int len = s.get(JAVA_INT, lenOff);
        MemorySegment p = s.get(ADDRESS, ptrOff);
        if (len > 0 && !p.equals(MemorySegment.NULL)) {
            out.writeBytes(p.reinterpret(len).toArray(JAVA_BYTE));
        }
    }
}
