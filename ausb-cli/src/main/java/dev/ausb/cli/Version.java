package dev.ausb.cli;

import dev.ausb.UsbContext;
import dev.ausb.UsbLibraryMissingException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ausb version}, {@code --version}, {@code -V}: works on a machine without USB or libusb. */
final class Version {
    private Version() {}

    /** This build's version, from version.properties (Maven fills it in); "dev" if the build left it out. */
    static String ausb() {
        try (java.io.InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return v;
                }
            }
        } catch (java.io.IOException e) {
            // unreadable: say "dev" below
        }
        return "dev";
    }

    static int print(boolean json, PrintStream out) {
        String libusb = null;
        String libusbError = null;
        try {
            libusb = UsbContext.loadedLibusbVersion(); // no context: a machine without USB has a version to say too
        } catch (UsbLibraryMissingException e) {
            libusbError = "not loaded: " + e.getMessage();
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
