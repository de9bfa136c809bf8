package dev.ausb.lab.usbip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds ordinary USB descriptors as bytes (USB 2.0 chapter 9, USB 3.x chapter 9), for a
 * {@link VirtualDevice}. Lengths and counts are computed: a configuration's wTotalLength and
 * bNumInterfaces, an interface's bNumEndpoints, a BOS's wTotalLength and bNumDeviceCaps.
 * {@snippet :
 * byte[] config = Descriptors.configuration(1, 0x80, 50,
 *         Descriptors.iface(0, 0, 0xff, 0, 0, 0,
 *                 Descriptors.bulk(0x81, 512), Descriptors.bulk(0x02, 512)));
 * }
 * For malformed descriptors, write the bytes yourself ({@link #bytes(int...)}).
 */
@SuppressWarnings("doclint:missing") // test fixture API: one-line summaries, no @param/@return
public final class Descriptors {
    public static final int DEVICE = 1;
    public static final int CONFIGURATION = 2;
    public static final int STRING = 3;
    public static final int INTERFACE = 4;
    public static final int ENDPOINT = 5;
    public static final int DEVICE_QUALIFIER = 6;
    public static final int BOS = 15;
    public static final int DEVICE_CAPABILITY = 16;
    public static final int SS_ENDPOINT_COMPANION = 48;

    private Descriptors() {}

    /** Bytes from ints (each cut to 8 bits), for hand-written or malformed descriptors. */
    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** A device descriptor (18 bytes), fluent. */
    public static Device device(int vendorId, int productId) {
        return new Device(vendorId, productId);
    }

    /** Device descriptor fields; defaults: USB 2.0, vendor class 0 (per interface), ep0 64 bytes, one configuration, no strings. */
    public static final class Device {
        private final int vendorId;
        private final int productId;
        private int bcdUsb = 0x0200;
        private int deviceClass;
        private int subclass;
        private int protocol;
        private int maxPacketSize0 = 64;
        private int bcdDevice = 0x0100;
        private int manufacturer;
        private int product;
        private int serial;
        private int configurations = 1;

        private Device(int vendorId, int productId) {
            this.vendorId = vendorId;
            this.productId = productId;
        }

        /** bcdUSB, e.g. 0x0110, 0x0200, 0x0210, 0x0320. */
        public Device usb(int bcd) {
            this.bcdUsb = bcd;
            return this;
        }

        public Device deviceClass(int cls, int sub, int proto) {
            this.deviceClass = cls;
            this.subclass = sub;
            this.protocol = proto;
            return this;
        }

        /** bMaxPacketSize0: 8, 16, 32, 64; for SuperSpeed the exponent 9 (512 bytes). */
        public Device maxPacketSize0(int size) {
            this.maxPacketSize0 = size;
            return this;
        }

        public Device bcdDevice(int bcd) {
            this.bcdDevice = bcd;
            return this;
        }

        /** String indexes of iManufacturer, iProduct, iSerialNumber (0 = none). */
        public Device strings(int manufacturer, int product, int serial) {
            this.manufacturer = manufacturer;
            this.product = product;
            this.serial = serial;
            return this;
        }

        public Device configurations(int count) {
            this.configurations = count;
            return this;
        }

        public byte[] build() {
            return bytes(18, DEVICE, bcdUsb, bcdUsb >> 8, deviceClass, subclass, protocol, maxPacketSize0, vendorId,
                    vendorId >> 8, productId, productId >> 8, bcdDevice, bcdDevice >> 8, manufacturer, product, serial,
                    configurations);
        }
    }

    /**
     * A configuration descriptor followed by {@code body} (interfaces with their endpoints, or any
     * descriptors); wTotalLength and bNumInterfaces (distinct interface numbers) are computed.
     */
    public static byte[] configuration(int value, int attributes, int maxPower, byte[]... body) {
        byte[] b = concat(body);
        int total = 9 + b.length;
        return concat(bytes(9, CONFIGURATION, total, total >> 8, countInterfaces(b), value, 0, attributes, maxPower), b);
    }

    /** As {@link #configuration(int, int, int, byte[]...)}, with a string index for iConfiguration. */
    public static byte[] configuration(int value, int stringIndex, int attributes, int maxPower, byte[]... body) {
        byte[] c = configuration(value, attributes, maxPower, body);
        c[6] = (byte) stringIndex;
        return c;
    }

    /** An interface descriptor followed by {@code endpoints} (and their companions or class descriptors); bNumEndpoints is counted. */
    public static byte[] iface(int number, int alternate, int cls, int sub, int proto, int stringIndex, byte[]... endpoints) {
        byte[] e = concat(endpoints);
        return concat(bytes(9, INTERFACE, number, alternate, count(e, ENDPOINT), cls, sub, proto, stringIndex), e);
    }

    /** An interface association descriptor (IAD). */
    public static byte[] association(int firstInterface, int count, int cls, int sub, int proto, int stringIndex) {
        return bytes(8, 11, firstInterface, count, cls, sub, proto, stringIndex);
    }

    /** An endpoint descriptor. {@code attributes}: bits 1..0 type (0 control, 1 iso, 2 bulk, 3 interrupt), iso sync and usage above. */
    public static byte[] endpoint(int address, int attributes, int maxPacketSize, int interval) {
        return bytes(7, ENDPOINT, address, attributes, maxPacketSize, maxPacketSize >> 8, interval);
    }

    public static byte[] bulk(int address, int maxPacketSize) {
        return endpoint(address, 2, maxPacketSize, 0);
    }

    public static byte[] interrupt(int address, int maxPacketSize, int interval) {
        return endpoint(address, 3, maxPacketSize, interval);
    }

    /** An isochronous endpoint, asynchronous data ({@code attributes} 0x05). */
    public static byte[] iso(int address, int maxPacketSize, int interval) {
        return endpoint(address, 0x05, maxPacketSize, interval);
    }

    /** A SuperSpeed endpoint companion (follows each endpoint of a SuperSpeed configuration). */
    public static byte[] ssCompanion(int maxBurst, int attributes, int bytesPerInterval) {
        return bytes(6, SS_ENDPOINT_COMPANION, maxBurst, attributes, bytesPerInterval, bytesPerInterval >> 8);
    }

    /** A string descriptor with {@code s} in UTF-16LE. */
    public static byte[] string(String s) {
        byte[] u = s.getBytes(StandardCharsets.UTF_16LE);
        return concat(bytes(2 + u.length, STRING), u);
    }

    /** String descriptor 0: the language ids. */
    public static byte[] languages(int... langIds) {
        byte[] b = new byte[2 + 2 * langIds.length];
        b[0] = (byte) b.length;
        b[1] = STRING;
        for (int i = 0; i < langIds.length; i++) {
            b[2 + 2 * i] = (byte) langIds[i];
            b[3 + 2 * i] = (byte) (langIds[i] >> 8);
        }
        return b;
    }

    /** A BOS descriptor followed by its device capabilities; wTotalLength and bNumDeviceCaps are computed. */
    public static byte[] bos(byte[]... capabilities) {
        byte[] c = concat(capabilities);
        int total = 5 + c.length;
        return concat(bytes(5, BOS, total, total >> 8, count(c, DEVICE_CAPABILITY)), c);
    }

    /** The USB 2.0 extension capability; {@code attributes} bit 1 = LPM. */
    public static byte[] usb2Extension(int attributes) {
        return bytes(7, DEVICE_CAPABILITY, 2, attributes, attributes >> 8, attributes >> 16, attributes >> 24);
    }

    /** The SuperSpeed USB capability: supported speeds (bit 1 full, 2 high, 3 super), lowest functional speed, U1/U2 exit latencies. */
    public static byte[] superSpeedCapability(int speedsSupported, int functionality, int u1Exit, int u2Exit) {
        return bytes(10, DEVICE_CAPABILITY, 3, 0, speedsSupported, speedsSupported >> 8, functionality, u1Exit, u2Exit,
                u2Exit >> 8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Walks the descriptors in {@code b} (bLength, bDescriptorType, ...) and counts those of {@code type}. */
    private static int count(byte[] b, int type) {
        int n = 0;
        for (int i = 0; i + 1 < b.length && (b[i] & 0xff) >= 2; i += b[i] & 0xff) {
            if ((b[i + 1] & 0xff) == type) {
                n++;
            }
        }
        return n;
    }

    private static int countInterfaces(byte[] b) {
        java.util.Set<Integer> numbers = new java.util.HashSet<>();
        for (int i = 0; i + 2 < b.length && (b[i] & 0xff) >= 2; i += b[i] & 0xff) {
            if ((b[i + 1] & 0xff) == INTERFACE) {
                numbers.add(b[i + 2] & 0xff);
            }
        }
        return numbers.size();
    }
}
