package dev.ausb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DescriptorCheck}: the configurations of well-formed devices have no problems; each kind of
 * malformed configuration (as the kernel keeps it: the device's header, then the bytes its walk
 * found valid) is named.
 */
class DescriptorCheckTest {
    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] header(int total, int interfaces) {
        return new byte[] {9, 2, (byte) total, (byte) (total >> 8), (byte) interfaces, 1, 0, (byte) 0x80, 50};
    }

    private static final byte[] IFACE_2EP = {9, 4, 0, 0, 2, (byte) 0xff, 0, 0, 0};
    private static final byte[] EP_IN = {7, 5, (byte) 0x81, 2, 0, 2, 0};
    private static final byte[] EP_OUT = {7, 5, 0x02, 2, 0, 2, 0};

    private static String only(List<String> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    @Test
    void wellFormedConfigurations_haveNoProblems() {
        for (byte[] c : List.of(Fixtures.SOURCESINK_HS, Fixtures.KEYBOARD, Fixtures.CDC_ACM_IAD,
                Fixtures.SUPERSPEED_BULK, Fixtures.AUDIO_ALT)) {
            assertEquals(List.of(), DescriptorCheck.problems(c), Fixtures.class.getSimpleName());
        }
        byte[] good = cat(header(32, 1), IFACE_2EP, EP_IN, EP_OUT);
        assertEquals(List.of(), DescriptorCheck.problems(good));
    }

    @Test
    void aTotalLengthBeyondTheBytesKept_isNamed() {
        // the device sent fewer bytes than it claimed, or the kernel stopped at a bad descriptor
        byte[] c = cat(header(72, 1), IFACE_2EP, EP_IN, EP_OUT);
        String p = only(DescriptorCheck.problems(c));
        assertTrue(p.contains("configuration 1: wTotalLength is 72, but only the first 32 bytes"), p);
    }

    @Test
    void aTotalLengthCuttingTheInterfaceOff_namesTheLengthAndTheMissingInterface() {
        // wTotalLength 12: the kernel read 12 bytes and kept the 9-byte header (the interface did not fit)
        List<String> p = DescriptorCheck.problems(header(12, 1));
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).contains("wTotalLength is 12, but only the first 9 bytes"), p.get(0));
        assertTrue(p.get(1).contains("bNumInterfaces is 1, but 0 interfaces are found"), p.get(1));
    }

    @Test
    void aZeroLengthDescriptorAfterTheFirstEndpoint_namesTheLengthAndTheMissingEndpoint() {
        byte[] c = cat(header(36, 1), IFACE_2EP, EP_IN); // the kernel stopped at {0, 0x24, 1, 2}
        List<String> p = DescriptorCheck.problems(c);
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).contains("wTotalLength is 36, but only the first 25 bytes"), p.get(0));
        assertTrue(p.get(1).contains("interface 0 alternate setting 0: bNumEndpoints is 2, but 1 endpoint descriptor is found"),
                p.get(1));
    }

    @Test
    void rawBytesThatWereNotRepaired_nameTheBadDescriptor() {
        byte[] zero = cat(header(29, 1), IFACE_2EP, EP_IN, new byte[] {0, 0x24, 1, 2});
        assertTrue(DescriptorCheck.problems(zero).stream().anyMatch(s -> s.contains("a descriptor of length 0 at offset 25")),
                DescriptorCheck.problems(zero).toString());
        byte[] past = cat(header(18, 1), new byte[] {(byte) 200, 4, 0, 0, 0, 0, 0, 0, 0});
        assertTrue(DescriptorCheck.problems(past).stream().anyMatch(s -> s.contains("claims 200 bytes, 9 remain")),
                DescriptorCheck.problems(past).toString());
    }

    @Test
    void duplicatesAndCountsAreNamed() {
        byte[] c = cat(header(41, 2), IFACE_2EP, EP_IN, EP_IN, IFACE_2EP);
        List<String> p = DescriptorCheck.problems(c);
        assertTrue(p.stream().anyMatch(s -> s.contains("has endpoint 0x81 twice")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("interface 0 has alternate setting 0 twice")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("bNumEndpoints is 2, but 0 endpoint descriptors are found")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("bNumInterfaces is 2, but 1 interface is found")), p.toString());
    }

    private static byte[] device(int bLength, int configurations) {
        byte[] d = new byte[18];
        d[0] = (byte) bLength;
        d[1] = 1;
        d[17] = (byte) configurations;
        return d;
    }

    @Test
    void sysfsDescriptors_splitIntoConfigurations() {
        byte[] one = cat(header(32, 1), IFACE_2EP, EP_IN, EP_OUT);
        byte[] two = cat(header(9, 0));
        two[5] = 2;
        List<byte[]> configs = DescriptorCheck.configurations(cat(device(18, 2), one, two));
        assertEquals(2, configs.size());
        assertTrue(Arrays.equals(one, configs.get(0)));
        assertTrue(Arrays.equals(two, configs.get(1)));
        assertEquals(List.of(), DescriptorCheck.configurations(new byte[] {1}));
    }

    @Test
    void theDeviceDescriptorIsAlways18Bytes_whateverItsBLengthSays() {
        byte[] one = cat(header(32, 1), IFACE_2EP, EP_IN, EP_OUT);
        for (int bLength : new int[] {0, 8, 0x40}) {
            List<byte[]> configs = DescriptorCheck.configurations(cat(device(bLength, 1), one));
            assertEquals(1, configs.size(), "bLength " + bLength);
            assertEquals(List.of(), DescriptorCheck.problems(configs.get(0)));
        }
    }

    @Test
    void aConfigurationDescriptorEmbeddedInAnother_staysInsideIt_andIsNamed() {
        // the kernel skips it with a warning but keeps its bytes (and counts them in wTotalLength)
        byte[] embedded = header(9, 0);
        byte[] one = cat(header(41, 1), IFACE_2EP, EP_IN, embedded, EP_OUT);
        List<byte[]> configs = DescriptorCheck.configurations(cat(device(18, 1), one));
        assertEquals(1, configs.size());
        assertEquals(List.of("configuration 1: a configuration descriptor inside it at offset 25"),
                DescriptorCheck.problems(configs.get(0)));
    }

    @Test
    void aProblemInTheSecondConfiguration_isNamedWithItsValue() {
        byte[] one = cat(header(32, 1), IFACE_2EP, EP_IN, EP_OUT);
        byte[] two = cat(header(40, 1), IFACE_2EP, EP_IN, EP_OUT);
        two[5] = 2;
        List<byte[]> configs = DescriptorCheck.configurations(cat(device(18, 2), one, two));
        assertEquals(List.of(), DescriptorCheck.problems(configs.get(0)));
        assertTrue(only(DescriptorCheck.problems(configs.get(1))).startsWith("configuration 2: wTotalLength is 40"));
    }

    @Test
    void shortStandardDescriptorsAndAStrayByte_areNamed() {
        byte[] shortIface = cat(header(21, 1), new byte[] {5, 4, 0, 0, 0}, new byte[] {6, 5, (byte) 0x81, 2, 0, 2}, new byte[] {1});
        List<String> p = DescriptorCheck.problems(shortIface);
        assertTrue(p.stream().anyMatch(x -> x.contains("an interface descriptor of 5 bytes")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("an endpoint descriptor of 6 bytes")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("a stray byte at offset 20")), p.toString());
    }
}
