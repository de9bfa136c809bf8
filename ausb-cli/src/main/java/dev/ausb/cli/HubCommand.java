package dev.ausb.cli;

import dev.ausb.UsbAccessDeniedException;
import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbException;
import dev.ausb.hub.HubDescriptor;
import dev.ausb.hub.PortStatus;
import dev.ausb.hub.UsbHub;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code ausb hub}: the port status table of hubs, and port power and reset. */
final class HubCommand {
    static final String HELP = """
            usage: ausb hub [--json] [--timeout SECONDS] [HUB]
                   ausb hub [--timeout SECONDS] HUB (--power on|off|cycle PORT [--off-time SECONDS] [--exact] | --reset PORT)

            Prints the hub descriptor and the status of every port of a hub (or of every hub, without HUB):
            power, speed (or SuperSpeed link state), enable, connect, over-current, the change bits, and
            the device at the port. Root hubs are hubs too.

            HUB is VID:PID (or -d VID:PID), -s [BUS]:DEV, or -p PATH with PATH as Linux names it: 3-1.2 is port 2 of the
            hub on port 1 of bus 3, usb3 the root hub of bus 3. Hubs often share ids (root hubs
            all are 1d6b:0002 or 1d6b:0003), so -p is the usual way.

              --power on PORT     power the port on (SetPortFeature PORT_POWER)
              --power off PORT    power it off (ClearPortFeature PORT_POWER)
              --power cycle PORT  off, wait --off-time (default 1 s), on: the device starts afresh
              --exact             switch only this hub's port, not its USB 3 peer (see below)
              --reset PORT        reset the port and wait for the reset to end
              --timeout SECONDS   bound on each request (default 5)
              --json              the table as JSON (not with --power or --reset)

            A USB 3 hub is two hubs on two buses, its USB 2 half and its SuperSpeed half, each port of the
            one paired with a port of the other behind the same connector (Linux links them in sysfs as
            the port's peer). --power switches the port on both halves, as uhubctl does, so that a device
            cannot come back on the other half; --exact switches only the port named. The table names
            each hub's peer.

            Many hubs have no per-port power switching (the descriptor says "ganged" or "none") and accept
            the request without acting on it: the status printed after the action tells. On Linux the
            kernel's hub driver stays bound and may undo an action: after a power off it may keep the device
            listed until power returns, and after a reset it has to enumerate the device again. Where the
            kernel has it, writing 1 to /sys/bus/usb/devices/HUB:1.0/HUB-portN/disable powers a port off with
            its cooperation; the table names that file. Opening a hub needs write access to its device node
            (usually root; see ausb udev-rule).

            Exit codes: 0 done, 1 USB error, 2 usage, 3 no hub matched, 4 several matched (for an action),
            5 access denied, 6 no USB on this machine, 7 libusb missing.""";

    private HubCommand() {}

    record Args(UsbDeviceFilter hub, String action, int port, Duration offTime, Duration timeout, boolean exact) {}

    static Args parse(List<String> rest) {
        boolean exact = rest.remove("--exact");
        Duration timeout = Options.seconds(rest, "--timeout", UsbHub.DEFAULT_TIMEOUT);
        Duration offTime = Options.seconds(rest, "--off-time", Duration.ofSeconds(1));
        String[] powerArgs = Options.take(rest, "--power", 2);
        String power = powerArgs == null ? null : powerArgs[0];
        String powerPort = powerArgs == null ? null : powerArgs[1];
        String reset = Options.take(rest, "--reset");
        String action = null;
        int port = 0;
        if (power != null && reset != null) {
            throw new Main.Usage("hub takes one of --power and --reset");
        }
        if (power != null) {
            if (!List.of("on", "off", "cycle").contains(power)) {
                throw new Main.Usage("--power takes on, off or cycle, then a port number");
            }
            action = power;
            port = Options.integer(powerPort, "a port", 1, 255);
        } else if (reset != null) {
            action = "reset";
            port = Options.integer(reset, "a port", 1, 255);
        }
        UsbDeviceFilter hub = rest.isEmpty() ? null : Devices.selector(rest, "hub");
        rest.clear();
        if (action != null && hub == null) {
            throw new Main.Usage("--" + (action.equals("reset") ? "reset" : "power") + " needs a hub: VID:PID, -s [BUS]:DEV or -p PATH");
        }
        if (exact && (action == null || action.equals("reset"))) {
            throw new Main.Usage("--exact goes with --power");
        }
        return new Args(hub, action, port, offTime, timeout, exact);
    }

    /** Linux's name of a device's place: usb3 for a root hub, 3-1.2 below it. */
    static String path(UsbDevice d) {
        return d.portPath().isEmpty() ? "usb" + d.bus()
                : d.bus() + "-" + d.portPath().stream().map(String::valueOf).collect(Collectors.joining("."));
    }

    static int run(UsbContext usb, Args a, boolean json, PrintStream out, PrintStream err) {
        if (a.action() != null && json) {
            throw new Main.Usage("--json is for the port table; --power and --reset print a line per port switched");
        }
        if (a.action() != null) {
            UsbDevice d = usb.findOne(a.hub());
            try (UsbHub hub = UsbHub.open(d)) {
                hub.setTimeout(a.timeout());
                UsbHub peer = null;
                int other = 0;
                try {
                    if (a.action().equals("reset")) {
                        out.printf("%s reset: %s%n", path(d), hub.resetPort(a.port()));
                        return Main.OK;
                    }
                    hub.portStatus(a.port()); // a port the hub has, checked before anything is switched
                    Optional<UsbHub.Port> peerPort = a.exact() ? Optional.empty() : hub.peerPort(a.port());
                    if (peerPort.isPresent()) {
                        peer = UsbHub.open(peerPort.get().hub());
                        peer.setTimeout(a.timeout());
                        other = peerPort.get().port();
                        try {
                            peer.portStatus(other); // the other half has that port too, before anything is switched
                        } catch (IllegalArgumentException e) {
                            err.println("ausb: " + path(peer.device()) + ", the other half of " + path(d) + ", has no port "
                                    + other + " (" + e.getMessage() + "): switching " + path(d) + " only");
                            peer.close();
                            peer = null;
                        }
                    }
                } catch (IllegalArgumentException e) {
                    if (peer != null) {
                        peer.close();
                    }
                    throw new Main.Usage(e.getMessage()); // nothing was switched yet
                }
                try (UsbHub p = peer) {
                    int q = other;
                    switch (a.action()) {
                        case "on" -> power(hub, a.port(), p, q, true, err);
                        case "off" -> power(hub, a.port(), p, q, false, err);
                        default -> { // cycle: both halves off, the off time, both on again whatever happened
                            try {
                                power(hub, a.port(), p, q, false, err);
                                sleep(a.offTime().toMillis());
                            } finally {
                                power(hub, a.port(), p, q, true, err);
                            }
                        }
                    }
                    report(out, err, hub, d, a.port(), a.action());
                    if (p != null) {
                        report(out, err, p, p.device(), q, a.action());
                    }
                }
                return Main.OK;
            }
        }
        List<UsbDevice> hubs = usb.devices().stream().filter(UsbDevice::isHub)
                .filter(a.hub() == null ? d -> true : a.hub()).toList();
        if (a.hub() != null && hubs.isEmpty()) {
            List<UsbDevice> any = usb.findAll(a.hub());
            if (!any.isEmpty()) {
                throw new Main.Usage(any.getFirst() + " is not a hub");
            }
            usb.findOne(a.hub()); // throws the no-match error
        }
        int rc = Main.OK;
        List<Object> rows = new ArrayList<>();
        for (UsbDevice d : hubs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("bus", d.bus());
            row.put("address", d.address());
            row.put("path", path(d));
            String head = String.format("Bus %03d Device %03d: ID %04x:%04x hub %s", d.bus(), d.address(), d.vendorId(),
                    d.productId(), path(d));
            try (UsbHub hub = UsbHub.open(d)) {
                hub.setTimeout(a.timeout());
                HubDescriptor desc = hub.descriptor();
                List<PortStatus> ports = hub.portStatuses();
                if (json) {
                    row.put("descriptor", descriptor(desc));
                    row.put("peer", hub.peer().map(HubCommand::path).orElse(null));
                    List<Object> list = new ArrayList<>();
                    for (PortStatus p : ports) {
                        list.add(port(hub, p));
                    }
                    row.put("ports", list);
                    rows.add(row);
                    continue;
                }
                out.println(head + ": " + desc + hub.peer().map(p -> ", peer " + path(p)).orElse(""));
                for (PortStatus p : ports) {
                    String at = hub.deviceAt(p.port()).map(c -> String.format("  Bus %03d Device %03d: ID %04x:%04x",
                            c.bus(), c.address(), c.vendorId(), c.productId())).orElse("");
                    out.printf("  %-58s%s%n", p, at);
                }
                hub.linuxPortDisableFile(1).ifPresent(f -> out.println("  (sysfs: " + f.toString()
                        .replace(path(d) + "-port1", path(d) + "-portN") + ")"));
            } catch (UsbAccessDeniedException e) {
                rc = rc == Main.OK ? Main.ACCESS : rc;
                report(json, out, err, head, row, rows, "access denied; ausb doctor " + String.format("%04x:%04x",
                        d.vendorId(), d.productId()) + " says why");
            } catch (UsbException e) {
                rc = rc == Main.OK ? Main.ERROR : rc;
                report(json, out, err, head, row, rows, e.getMessage());
            }
        }
        if (json) {
            out.print(Json.write(rows));
        }
        out.flush();
        return rc;
    }

    /**
     * Switches a port, and its peer on the hub's other half when there is one: off on the
     * SuperSpeed half first (a device there would otherwise fall back to the USB 2 half), on on the
     * USB 2 half first. Both halves are tried even if the first fails; a failure says which half
     * was switched and which was not, then is thrown.
     */
    private static void power(UsbHub hub, int port, UsbHub peer, int peerPort, boolean on, PrintStream err) {
        if (peer == null) {
            hub.setPortPower(port, on);
        } else {
            boolean hubFirst = hub.isSuperSpeed() != on;
            UsbHub first = hubFirst ? hub : peer;
            UsbHub second = hubFirst ? peer : hub;
            int firstPort = hubFirst ? port : peerPort;
            int secondPort = hubFirst ? peerPort : port;
            RuntimeException failed = null;
            for (int i = 0; i < 2; i++) {
                UsbHub h = i == 0 ? first : second;
                int n = i == 0 ? firstPort : secondPort;
                try {
                    h.setPortPower(n, on);
                } catch (RuntimeException e) {
                    err.println("ausb: power " + (on ? "on" : "off") + " of " + path(h.device()) + " port " + n
                            + " failed (" + e.getMessage() + "); " + path((i == 0 ? second : first).device()) + " port "
                            + (i == 0 ? secondPort : firstPort) + (i == 0 ? " is switched anyway" : " was switched"));
                    if (failed == null) {
                        failed = e;
                    } else {
                        failed.addSuppressed(e);
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
        if (on) {
            sleep(Math.max(hub.descriptor().powerOnToPowerGoodMillis(),
                    peer == null ? 0 : peer.descriptor().powerOnToPowerGoodMillis()));
        }
    }

    private static void report(PrintStream out, PrintStream err, UsbHub hub, UsbDevice d, int port, String action) {
        PortStatus after = hub.portStatus(port);
        out.printf("%s power %s: %s%n", path(d), action, after);
        if (action.equals("off") && after.powered()) {
            err.println("ausb: " + path(d) + " port " + port + " still reads as powered: this hub does not switch port"
                    + " power (its descriptor says " + hub.descriptor().powerSwitching().name().toLowerCase(Locale.ROOT)
                    + " switching)");
        }
    }

    private static void report(boolean json, PrintStream out, PrintStream err, String head, Map<String, Object> row,
            List<Object> rows, String why) {
        if (json) {
            row.put("error", why);
            rows.add(row);
        } else {
            out.println(head + ": (" + why + ")");
        }
    }

    private static Map<String, Object> descriptor(HubDescriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("superSpeed", d.superSpeed());
        m.put("ports", d.portCount());
        m.put("characteristics", d.characteristics());
        m.put("powerSwitching", d.powerSwitching().name().toLowerCase(Locale.ROOT));
        m.put("overCurrentProtection", d.overCurrentProtection().name().toLowerCase(Locale.ROOT));
        m.put("compound", d.compound());
        m.put("indicators", d.indicatorsSupported());
        m.put("powerOnToPowerGoodMs", d.powerOnToPowerGoodMillis());
        m.put("controllerCurrentMa", d.controllerCurrent());
        if (d.superSpeed()) {
            m.put("headerDecodeLatency", d.headerDecodeLatency());
            m.put("hubDelayNs", d.hubDelayNanos());
        } else {
            m.put("ttThinkTime", d.ttThinkTimeBitTimes());
        }
        m.put("nonRemovablePorts", d.nonRemovablePorts());
        return m;
    }

    private static Map<String, Object> port(UsbHub hub, PortStatus p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("port", p.port());
        m.put("status", p.status());
        m.put("change", p.change());
        m.put("connected", p.connected());
        m.put("enabled", p.enabled());
        m.put("powered", p.powered());
        m.put("suspended", p.suspended());
        m.put("overCurrent", p.overCurrent());
        m.put("reset", p.resetting());
        m.put("speed", p.speed().map(s -> s.label()).orElse(null));
        m.put("linkState", p.linkState().map(Enum::name).orElse(null));
        m.put("changes", p.changes().stream().map(Enum::name).toList());
        hub.deviceAt(p.port()).ifPresent(c -> m.put("device", Map.of("bus", c.bus(), "address", c.address(),
                "idVendor", c.vendorId(), "idProduct", c.productId())));
        return m;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
