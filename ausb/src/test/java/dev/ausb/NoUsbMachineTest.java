package dev.ausb;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * On a Linux host with libusb but without usbfs (this project's build machines outside the lab),
 * creating a context fails with one clear exception instead of crashing or listing nothing.
 */
class NoUsbMachineTest {
    @Test
    void createContext_withoutUsbfs_throwsUsbUnavailable() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"));
        assumeTrue(!Files.exists(Path.of("/dev/bus/usb")) && !Files.exists(Path.of("/proc/bus/usb")),
                "this machine has usbfs");
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libusb-1.0.so.0"))
                || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libusb-1.0.so.0")), "needs libusb");
        var e = assertThrows(UsbUnavailableException.class, UsbContext::create);
        assertTrue(e.getMessage().startsWith("no USB on this machine"), e.getMessage());
    }

    @Test
    void libusbsVersion_isReadWithoutAContext_evenWithoutUsbfs() {
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libusb-1.0.so.0"))
                || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libusb-1.0.so.0")), "needs libusb");
        String v = UsbContext.loadedLibusbVersion();
        assertTrue(v.matches("1\\.0\\.\\d+\\.\\d+.*"), v);
    }
}
