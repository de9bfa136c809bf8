package dev.ausb.examples;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbException;
import dev.ausb.UsbTimeoutException;
import dev.ausb.hub.PortStatus;
import dev.ausb.hub.UsbHub;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Power-cycles one port of a hub, as {@code uhubctl -a cycle} does, so that the device on it starts
 * afresh as if unplugged and plugged in again: prints the hub's ports, switches the port off and on,
 * waits for the device to enumerate again (at a new device number) and prints it.
 *
 * <p>The hub is named by its bus and port path, as Linux's sysfs and {@code lsusb -t} show it:
 * {@code 3} is bus 3's root hub, {@code 3-1.2} the hub on port 2 of the hub on port 1 of bus 3.
 * Many hubs cannot switch a port's power on its own (they switch all ports together, or not at all,
 * or accept the request and leave the power on): the port status printed after the cycle, and
 * whether the device came back at a new number, say what happened.
 *
 * <p>Usage: {@code CycleHubPort HUB PORT OFF_MILLIS}, for example {@code CycleHubPort 1-1 2 1000}.
 */
public final class CycleHubPort {
    private static final String USAGE = "usage: CycleHubPort HUB PORT OFF_MILLIS   (HUB: BUS or BUS-PORT.PORT..., e.g. 1-1 2 1000)";
    private static final Pattern HUB = Pattern.compile("([0-9]{1,3})(?:-([0-9]{1,3}(?:\\.[0-9]{1,3}){0,6}))?");
    /** How long a device may take to enumerate again after the power comes back. */
    private static final Duration COME_BACK = Duration.ofSeconds(30);

    private CycleHubPort() {}

    /**
     * Runs the program and exits with its status when that is not 0.
     *
     * @param args the hub, the port and how long it stays off in milliseconds
     */
    public static void main(String[] args) {
        int status = run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the program.
     *
     * @param args the hub, the port and how long it stays off in milliseconds
     * @return the exit status: 0 when the port was cycled (and its device, if it had one, came back),
     *     1 when the hub could not be used or the device did not come back, 2 for bad arguments
     */
    public static int run(String... args) {
        UsbDeviceFilter hubFilter;
        int port;
        Duration offTime;
        try {
            Args.count(args, 3, 3);
            hubFilter = hub(args[0]);
            port = Args.positive("PORT", args[1], 255);
            offTime = Duration.ofMillis(Args.positive("OFF_MILLIS", args[2], 60_000));
        } catch (IllegalArgumentException e) {
            return Args.usage(USAGE, e.getMessage());
        }
        try (UsbContext usb = UsbContext.create(); UsbHub hub = UsbHub.open(usb.findOne(hubFilter))) {
            System.out.println(hub + ", " + hub.descriptor().portCount() + " ports");
            for (PortStatus status : hub.portStatuses()) {
                System.out.println("  " + status + hub.deviceAt(status.port()).map(d -> " -> " + d).orElse(""));
            }
            // @start region="cycle-port"
            Optional<UsbDevice> before = hub.deviceAt(port);
            System.out.println("power off port " + port + " for " + offTime.toMillis() + " ms, then on");
            hub.cyclePortPower(port, offTime); // returns once the power is good again
            if (before.isEmpty()) {
                System.out.println("nothing was on port " + port + ": not waiting for a device");
                return 0;
            }
            // the device on that port with another device number: it was enumerated again
            UsbDeviceFilter again = UsbDeviceFilter.any().bus(hub.device().bus()).portPath(portPath(hub, port))
                    .matching("a new device number", d -> d.address() != before.get().address());
            UsbDevice back = usb.awaitDevice(again, COME_BACK).await();
            System.out.println("back: " + back + " (was " + before.get() + ")");
            // @end
            System.out.println("  " + hub.portStatus(port));
            return 0;
        } catch (UsbTimeoutException e) {
            System.err.println("CycleHubPort: the device did not come back within " + COME_BACK.toSeconds() + " s");
            return 1;
        } catch (UsbException | IllegalArgumentException e) {
            System.err.println("CycleHubPort: " + e.getMessage());
            return 1;
        }
    }

    /** {@code BUS} or {@code BUS-PORT.PORT...}: the filter for the hub there. */
    private static UsbDeviceFilter hub(String arg) {
        Matcher m = HUB.matcher(arg);
        if (!m.matches()) {
            throw new IllegalArgumentException("HUB is a bus number (3) or a bus and port path (3-1.2), not \"" + arg + "\"");
        }
        int[] path = m.group(2) == null ? new int[0]
                : Arrays.stream(m.group(2).split("\\.")).mapToInt(Integer::parseInt).toArray();
        int bus = Integer.parseInt(m.group(1));
        if (bus > 255 || Arrays.stream(path).anyMatch(p -> p < 1 || p > 255)) {
            throw new IllegalArgumentException("a bus number is 0..255 and a port 1..255: \"" + arg + "\"");
        }
        return UsbDeviceFilter.any().bus(bus).portPath(path).matching("a hub", UsbDevice::isHub);
    }

    /** The port path of {@code port} of the hub: the hub's own path, and the port. */
    private static int[] portPath(UsbHub hub, int port) {
        int[] path = Arrays.copyOf(hub.device().portPath().stream().mapToInt(Integer::intValue).toArray(),
                hub.device().portPath().size() + 1);
        path[path.length - 1] = port;
        return path;
    }
}
