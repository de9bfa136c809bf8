package dev.ausb.cli;

import dev.ausb.UsbContext;
import dev.ausb.UsbException;
import dev.ausb.UsbLibraryMissingException;
import dev.ausb.UsbUnavailableException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ausb version}, {@code --version}, {@code -V}: works on a machine without USB or libusb. */
final class Version {
    private Version() {}

    static String ausb() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    static int print(boolean json, PrintStream out) {
        String libusb = null;
        String libusbError = null;
        try (UsbContext usb = UsbContext.create()) {
            libusb = usb.libusbVersion();
        } catch (UsbUnavailableException e) {
            // libusb loaded (the library looks for it first), but it reports its version only through a context
            libusbError = "found, version unknown without USB: " + e.getMessage();
        } catch (UsbLibraryMissingException e) {
            libusbError = "not loaded: " + e.getMessage();
        } catch (UsbException e) {
            libusbError = "not initialised: " + e.getMessage();
        }
        String java = System.getProperty("java.runtime.version", Runtime.version().toString()) + " ("
                + System.getProperty("java.vendor", "unknown vendor") + ")";
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ausb", ausb());
            m.put("libusb", libusb);
            m.put("libusbError", libusbError);
            m.put("java", java);
            m.put("os", os);
            out.print(Json.write(m));
        } else {
            out.println("ausb " + ausb());
            out.println(libusb != null ? "libusb " + libusb : "libusb: " + libusbError);
            out.println("Java " + java + ", " + os);
        }
        out.flush();
        return Main.OK;
    }
}
