package dev.ausb.cli;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceDump;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbHotplugEvent;
import dev.ausb.UsbHotplugSubscription;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code ausb watch}: one line per device that arrives or leaves, as it happens, in lsusb's format
 * after the event's name; with {@code --json}, one JSON object per line.
 */
final class WatchCommand {
    private WatchCommand() {}

    /** Prints events until {@code count} were printed (forever if negative) or the thread is interrupted. */
    static void run(UsbContext usb, Names names, UsbDeviceFilter filter, boolean existing, long count, boolean json,
            PrintStream out, PrintStream err) {
        LinkedBlockingQueue<UsbHotplugEvent> events = new LinkedBlockingQueue<>();
        Map<UsbDevice, String[]> seen = new HashMap<>(); // names read on arrival: a device that left answers nothing
        try (UsbHotplugSubscription s = usb.watch(filter, existing, events::add)) {
            for (long n = 0; count < 0 || n < count; n++) {
                UsbHotplugEvent e = events.take();
                if (e.kind() == UsbHotplugEvent.Kind.FAILED) {
                    if (json) {
                        err.println(Json.line(Map.of("warning", Map.of("kind", "watch-failed", "message",
                                String.valueOf(e.error().orElseThrow())))));
                    } else {
                        err.println("ausb: watching: " + e.error().orElseThrow());
                    }
                    n--;
                    continue;
                }
                UsbDevice d = e.device().orElseThrow();
                String[] vp = e.kind() == UsbHotplugEvent.Kind.ARRIVED ? Main.vendorProduct(d, names)
                        : seen.containsKey(d) ? seen.get(d) : Main.vendorProduct(d, names);
                if (e.kind() == UsbHotplugEvent.Kind.ARRIVED) {
                    seen.put(d, vp);
                } else {
                    seen.remove(d);
                }
                String kind = e.kind() == UsbHotplugEvent.Kind.ARRIVED ? "arrived" : "left";
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("event", kind);
                    out.println(Json.line(ListCommand.row(m, d, vp))); // one object per line
                } else {
                    out.printf("%-7s Bus %03d Device %03d: ID %04x:%04x %s %s%n", kind, d.bus(), d.address(),
                            d.vendorId(), d.productId(), UsbDeviceDump.printable(vp[0]), UsbDeviceDump.printable(vp[1]));
                }
                out.flush();
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }
}
