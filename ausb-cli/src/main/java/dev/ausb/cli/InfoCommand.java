package dev.ausb.cli;

import dev.ausb.UsbAccessDeniedException;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceDump;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code ausb info}: one device's whole descriptor tree with its strings, written by the library's
 * {@link UsbDeviceDump} in the form of lsusb -v, or as JSON.
 */
final class InfoCommand {
    private InfoCommand() {}

    static void run(UsbDevice d, Names names, boolean json, PrintStream out) {
        UsbDeviceDump dump = dump(d, names, new java.util.ArrayList<>());
        out.print(json ? dump.toJson() : dump.toText());
        out.flush();
    }

    /**
     * The dump with the strings and BOS read through a handle; without them, and a note that says
     * why, when the device cannot be opened ({@code d} added to {@code denied} when for lack of access).
     */
    static UsbDeviceDump dump(UsbDevice d, Names names, List<UsbDevice> denied) {
        UsbDeviceDump dump = UsbDeviceDump.of(d).withNames(names);
        try (UsbDeviceHandle h = d.open()) {
            return dump.withStringsFrom(h);
        } catch (UsbAccessDeniedException e) {
            denied.add(d);
            return dump.withNote("strings not read: " + e.getMessage() + String.format(
                    "; ausb doctor %04x:%04x explains why and how to fix it", d.vendorId(), d.productId()));
        } catch (UsbException e) {
            return dump.withNote("strings not read: " + e.getMessage());
        }
    }
}
