package dev.ausb.internal.libusb;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LibUsbLoaderTest {
    @Test
    void explicitPathThatDoesNotExist_namesThePathItsSourceAndHowToInstall() {
        var e = assertThrows(LibUsbLoader.LibraryMissingException.class,
                () -> LibUsbLoader.load("/nonexistent/libusb-1.0.so.0", null, "linux"));
        assertTrue(e.getMessage().contains("/nonexistent/libusb-1.0.so.0"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dausb.libusb.path"), e.getMessage());
        assertTrue(e.getMessage().contains("apt install libusb-1.0-0"), e.getMessage());
    }

    @Test
    void environmentPath_isUsedWhenNoPropertyIsSet() {
        var e = assertThrows(LibUsbLoader.LibraryMissingException.class,
                () -> LibUsbLoader.load(null, "/nowhere/libusb.so", "linux"));
        assertTrue(e.getMessage().contains("$AUSB_LIBUSB"), e.getMessage());
    }

    @Test
    void aFileThatIsNotALibrary_isReportedNotThrownAsLinkageError() throws Exception {
        var f = java.nio.file.Files.createTempFile("not-libusb", ".so");
        try {
            var e = assertThrows(LibUsbLoader.LibraryMissingException.class,
                    () -> LibUsbLoader.load(f.toString(), null, "linux"));
            assertTrue(e.getMessage().contains("could not be loaded"), e.getMessage());
        } finally {
            java.nio.file.Files.delete(f);
        }
    }

    @Test
    void installHints_matchThePlatform() {
        assertTrue(LibUsbLoader.installHint("mac os x").contains("brew install libusb"));
        assertTrue(LibUsbLoader.installHint("linux").contains("dnf install libusb1"));
        assertTrue(LibUsbLoader.candidates("mac os x").contains("/opt/homebrew/lib/libusb-1.0.0.dylib"));
        assertTrue(LibUsbLoader.candidates("windows 11").contains("libusb-1.0.dll"));
    }
}
