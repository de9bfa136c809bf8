package dev.ausb.lab.usbip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's USB/IP virtual host controller, vhci_hcd.0, through its sysfs files: {@code status}
 * (one line per port), {@code attach} ("PORT SOCKFD DEVID SPEED") and {@code detach} ("PORT").
 */
final class Vhci {
    static final Path DIR = Path.of("/sys/devices/platform/vhci_hcd.0");
    /** VDEV_ST_NULL: the port is free. */
    static final int FREE = 4;
    /** VDEV_ST_USED: a device is attached and addressed. */
    static final int USED = 6;

    private Vhci() {}

    /** One line of the status file. {@code busId} is the attached device's sysfs name, "0-0" if none. */
    record Port(String hub, int port, int state, int speed, long devid, String busId) {
        boolean free() {
            return state == FREE;
        }
    }

    /** True if vhci_hcd is loaded. */
    static boolean present() {
        return Files.isRegularFile(DIR.resolve("attach"));
    }

    static List<Port> status() {
        try {
            List<Port> ports = new ArrayList<>();
            for (String line : Files.readAllLines(DIR.resolve("status"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 7 || !(f[0].equals("hs") || f[0].equals("ss"))) {
                    continue;
                }
                ports.add(new Port(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                        Long.parseLong(f[4], 16), f[6]));
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<Port> port(int port) {
        return status().stream().filter(p -> p.port() == port).findFirst();
    }

    /**
     * Attaches the socket {@code sockfd} (a descriptor of this process) as a device at {@code speed}
     * on the first free port of the matching hub; returns the port. A port taken by someone else
     * meanwhile is skipped.
     */
    static int attach(int sockfd, int devid, Speed speed) throws IOException {
        return attach(sockfd, devid, speed, -1);
    }

    /** As {@link #attach(int, int, Speed)} on port {@code only} if it is not negative. */
    static int attach(int sockfd, int devid, Speed speed, int only) throws IOException {
        IOException last = null;
        for (Port p : status()) {
            if (!p.hub().equals(speed.hub()) || !p.free() || (only >= 0 && p.port() != only)) {
                continue;
            }
            try {
                Files.writeString(DIR.resolve("attach"), p.port() + " " + sockfd + " " + devid + " " + speed.kernelValue);
                return p.port();
            } catch (IOException e) {
                last = e; // EBUSY / "already used": a race with another attach; try the next port
            }
        }
        throw new IOException("no free " + speed.hub() + " port on vhci_hcd.0 took the device: " + status(), last);
    }

    /**
     * The port of the other root hub with the same connector (the kernel links the two root hubs'
     * ports of the same number as USB 3 peers): status numbers the high-speed hub's ports first.
     */
    static int peer(int port) {
        List<Port> all = status();
        long hs = all.stream().filter(p -> p.hub().equals("hs")).count();
        Port p = all.stream().filter(q -> q.port() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("vhci_hcd.0 has no port " + port));
        return (int) (p.hub().equals("hs") ? port + hs : port - hs);
    }

    /** Writes the port to {@code detach}: the kernel drops the connection and the device is unplugged. */
    static void detach(int port) throws IOException {
        Files.writeString(DIR.resolve("detach"), String.valueOf(port));
    }
}
