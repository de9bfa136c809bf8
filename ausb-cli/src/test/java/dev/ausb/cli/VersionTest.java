package dev.ausb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** ausb --version names this build's version, from the resource Maven fills in, and libusb's without a context. */
class VersionTest {
    @Test
    void theVersionIsTheBuildsOwn_andLibusbsIsReadWithoutUsb() {
        String v = Version.ausb();
        assertEquals(System.getProperty("ausb.expected.version"), v, "set by the POM for this test");
        assertTrue(v.matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), "a Maven version, not 'dev' or a placeholder: " + v);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        assertEquals(0, Version.print(false, new PrintStream(b, true, StandardCharsets.UTF_8)));
        String out = b.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("ausb " + v + "\n"), out);
        assertTrue(out.matches("(?s).*\\nlibusb 1\\.0\\.\\d+.*"), "libusb's version, even with no usbfs here: " + out);
    }
}
