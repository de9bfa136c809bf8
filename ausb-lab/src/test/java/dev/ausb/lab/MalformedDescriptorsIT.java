package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbException;
import dev.ausb.lab.usbip.Descriptors;
import dev.ausb.lab.usbip.VirtualDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault campaign's malformed descriptors: a virtual USB/IP device (the test answers every
 * GET_DESCRIPTOR itself) presents truncated descriptors, lying bLength and wTotalLength, zero-length
 * descriptors, endless chains and odd UTF-16 strings. Enumeration, the descriptor tree, string
 * reads, {@code ausb list} and {@code ausb info} never crash, and say what is wrong.
 */
@Timeout(1200)
class MalformedDescriptorsIT {
    static final int VID = 0x1209;
    static final Duration WAIT = Duration.ofSeconds(15);
    private static UsbContext usb;

    @BeforeAll
    static void context() {
        Lab.requireGuest();
        usb = UsbContext.create();
    }

    @AfterAll
    static void close() {
        if (usb != null) {
            usb.close();
        }
    }

    /** {@code malformedConfiguration}: its configuration is malformed, so descriptorProblems() must name it. */
    record Case(String name, int pid, boolean malformedConfiguration, Consumer<VirtualDevice.Builder> shape) {}

    private static byte[] bulkConfig(byte[]... extraInInterface) {
        List<byte[]> body = new ArrayList<>();
        body.add(Descriptors.bulk(0x81, 512));
        body.addAll(List.of(extraInInterface));
        body.add(Descriptors.bulk(0x02, 512));
        return Descriptors.configuration(1, 0x80, 50, Descriptors.iface(0, 0, 0xff, 0, 0, 0, body.toArray(byte[][]::new)));
    }

    private static byte[] withTotalLength(byte[] config, int total) {
        byte[] c = config.clone();
        c[2] = (byte) total;
        c[3] = (byte) (total >> 8);
        return c;
    }

    static List<Case> cases() {
        byte[] good = bulkConfig();
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("truncated configuration (wTotalLength beyond the bytes sent)", 0x7b01, true,
                b -> b.configuration(good).descriptor(0x02, 0, withTotalLength(good, good.length + 40))));
        cases.add(new Case("wTotalLength shorter than the descriptors", 0x7b02, true,
                b -> b.configuration(withTotalLength(good, 12))));
        byte[] lying = good.clone();
        lying[9] = (byte) 200; // the interface descriptor claims 200 bytes
        cases.add(new Case("a descriptor whose bLength runs past the end", 0x7b03, true, b -> b.configuration(lying)));
        byte[] zero = bulkConfig(new byte[] {0, 0x24, 1, 2});
        cases.add(new Case("a zero-length descriptor", 0x7b04, true, b -> b.configuration(zero)));
        byte[][] chain = new byte[300][];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = new byte[] {3, 0x24, (byte) i};
        }
        cases.add(new Case("an endless chain of class descriptors", 0x7b05, false, b -> b.configuration(bulkConfig(chain))));
        byte[] oneByte = bulkConfig(new byte[] {1});
        cases.add(new Case("a one-byte descriptor", 0x7b06, true, b -> b.configuration(oneByte)));
        cases.add(new Case("odd UTF-16 strings (odd length, a lone surrogate, wrong type, empty language table)",
                0x7b07, false, b -> b.configuration(good)
                        .descriptor(0x03, 1, new byte[] {7, 3, 'L', 0, 'a', 0, 'b'})
                        .descriptor(0x03, 2, new byte[] {6, 3, 0x00, (byte) 0xd8, 'x', 0})
                        .descriptor(0x03, 3, new byte[] {4, 0x21, 'y', 0})
                        .descriptor(0x03, 0, new byte[] {2, 3})));
        cases.add(new Case("a language table of odd length", 0x7b08, false, b -> b.configuration(good)
                .descriptor(0x03, 0, new byte[] {5, 3, 0x09, 0x04, 0x07})));
        return cases;
    }

    @Test
    void malformedDescriptors_neverCrashEnumerationStringsListOrInfo_andAreNamed() throws Exception {
        int devices = 0;
        int problemsNamed = 0;
        int stringFailuresTyped = 0;
        boolean forkedWithProblems = false;
        List<String> seen = new ArrayList<>();
        for (Case c : cases()) {
            System.out.println("malformed case: " + c.name());
            VirtualDevice.Builder b = VirtualDevice.builder()
                    .device(Descriptors.device(VID, c.pid()).strings(1, 2, 3).build());
            b.strings("Lab", "Malformed", "0001");
            c.shape().accept(b);
            try (VirtualDevice v = b.attach()) {
                VirtualDevice.Location at = v.awaitLocation(WAIT);
                UsbDevice d = find(at, c.pid());
                devices++;
                assertFalse(usb.devices().isEmpty(), c.name());
                if (!d.descriptorProblems().isEmpty()) {
                    problemsNamed++;
                }
                // the kernel and libusb repair a malformed configuration quietly: ausb still says what was wrong,
                // and says nothing of a well-formed one (the chain of class descriptors is legal)
                assertEquals(c.malformedConfiguration(), !d.descriptorProblems().isEmpty(),
                        c.name() + ": " + d.descriptorProblems());
                // strings: a value or a typed UsbException, never anything else
                try (UsbDeviceHandle h = d.open()) {
                    for (int i = 1; i <= 3; i++) {
                        try {
                            h.readString(i);
                        } catch (UsbException typed) {
                            stringFailuresTyped++;
                        }
                    }
                    try {
                        h.readLanguages();
                    } catch (UsbException typed) {
                        stringFailuresTyped++;
                    }
                } catch (UsbException cannotOpen) {
                    // a device the kernel left unconfigured may refuse: that is a typed answer too
                }
                String id = String.format("%04x:%04x", VID, c.pid());
                // the real launcher (its own JVM: a crash there is an exit code) for the first case and
                // the first with a problem; in-process otherwise (a JVM start costs 20 s in the lab,
                // and a crash in-process fails the run as loudly, with its hs_err file)
                boolean fork = devices == 1 || !d.descriptorProblems().isEmpty() && !forkedWithProblems;
                forkedWithProblems |= fork && !d.descriptorProblems().isEmpty();
                LabResult list = fork ? Lab.ausb("list") : dev.ausb.cli.InProcess.ausb("list");
                assertEquals(0, list.exitCode(), c.name() + ": ausb list: " + list.err());
                assertTrue(list.out().contains(id), c.name() + ": ausb list does not show " + id);
                LabResult info = fork ? Lab.ausb("info", id) : dev.ausb.cli.InProcess.ausb("info", id);
                assertNotEquals(134, info.exitCode(), c.name() + ": ausb info crashed");
                assertNotEquals(139, info.exitCode(), c.name() + ": ausb info crashed");
                assertEquals(0, info.exitCode(), c.name() + ": ausb info: " + info.err());
                for (String p : d.descriptorProblems()) {
                    assertTrue(info.out().contains(p), c.name() + ": ausb info does not say " + p);
                }
                if (fork) {
                    LabResult json = Lab.ausb("info", "--json", id);
                    assertEquals(0, json.exitCode(), c.name() + ": ausb info --json: " + json.err());
                }
                seen.add(c.name() + " -> " + (d.descriptorProblems().isEmpty() ? "accepted: " + d.configurations().size()
                        + " configuration(s)" : d.descriptorProblems()));
                v.detach();
            }
        }
        seen.forEach(s -> System.out.println("malformed: " + s));
        var fig = Campaign.figures();
        fig.put("cases", cases().size());
        fig.put("devicesEnumerated", devices);
        fig.put("withProblemsNamed", problemsNamed);
        fig.put("stringFailuresTyped", stringFailuresTyped);
        fig.put("crashes", 0);
        Campaign.report("malformed-descriptors", fig);
        assertEquals(cases().size(), devices);
    }

    private static UsbDevice find(VirtualDevice.Location at, int pid) throws InterruptedException {
        UsbDeviceFilter filter = UsbDeviceFilter.of(VID, pid).bus(at.bus()).address(at.address());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<UsbDevice> d = usb.findAny(filter);
            if (d.isPresent()) {
                return d.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("libusb does not list " + filter + " within " + WAIT);
    }
}
