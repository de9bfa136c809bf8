package dev.ausb.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * QEMU's monitor, seen from inside the lab guest: unplugs and replugs QEMU's emulated USB devices
 * (the zoo of {@code ausb-lab/lab/run --zoo}) while a test runs.
 *
 * <p>The monitor is on the host. {@code lab/run --zoo} starts {@code lab/monitor-relay} beside
 * QEMU; it watches {@code /tmp/monitor} (the run's work directory, shared over 9p), sends each line
 * of a file {@code NAME.cmd} to the monitor as an HMP command and writes the reply to
 * {@code NAME.out}; both files are written under a temporary name and renamed. {@code ready} exists
 * while the relay is connected. The zoo's devices, with the ids and arguments lab/run gave QEMU,
 * are listed in {@code /tmp/zoo-devices}, which {@link #replug} reads, so the arguments have one
 * home: lab/run.
 */
final class QemuMonitor {
    private QemuMonitor() {}

    static final Path BOX = Path.of("/tmp/monitor");
    static final Path ZOO = Path.of("/tmp/zoo-devices");
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** A monitor request that failed: no relay, no reply in time, or QEMU refused the command. */
    static final class QemuMonitorException extends RuntimeException {
        QemuMonitorException(String message) {
            super(message);
        }
    }

    /** One zoo entry of /tmp/zoo-devices: kind is "device" (-device ARGS) or "drive" (-drive ARGS). */
    record ZooEntry(String kind, String id, String args) {}

    /** Whether the relay is running (a lab run with --zoo). */
    static boolean isAvailable() {
        return Files.exists(BOX.resolve("ready"));
    }

    private static void requireRelay() {
        if (!isAvailable()) {
            throw new QemuMonitorException("no QEMU monitor relay in this lab run (" + BOX.resolve("ready")
                    + " is missing): ausb-lab/lab/run starts it only with --zoo, as ausb-lab/lab/test does;"
                    + " its log is " + BOX.resolve("relay.log") + " (the host's $WORK/monitor/relay.log)");
        }
    }

    /** Sends one HMP command (e.g. {@code info usb}) and returns QEMU's reply, waiting up to 10 s. */
    static String command(String hmp) {
        return command(hmp, TIMEOUT);
    }

    /** Sends one HMP command and returns QEMU's reply ("" for a command that says nothing). */
    static String command(String hmp, Duration timeout) {
        if (hmp.isBlank() || hmp.contains("\n") || hmp.contains("\r")) {
            throw new IllegalArgumentException("one HMP command, on one line: " + hmp);
        }
        requireRelay();
        String name = String.format("%d-%08d", ProcessHandle.current().pid(), SEQUENCE.incrementAndGet());
        Path tmp = BOX.resolve(name + ".cmd.tmp");
        Path cmd = BOX.resolve(name + ".cmd");
        Path out = BOX.resolve(name + ".out");
        try {
            Files.writeString(tmp, hmp + "\n");
            Files.move(tmp, cmd, StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    String reply = Files.readString(out);
                    Files.deleteIfExists(out);
                    return reply;
                } catch (NoSuchFileException notYet) {
                    // the relay has not answered yet
                }
                if (System.nanoTime() - deadline > 0) {
                    boolean taken = !Files.deleteIfExists(cmd);
                    throw new QemuMonitorException("no reply from QEMU's monitor to '" + hmp + "' within "
                            + timeout.toMillis() + " ms (" + (taken ? "the relay took the request" : "the relay never took it")
                            + (isAvailable() ? "" : "; the relay has stopped") + ")");
                }
                Thread.sleep(5);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("monitor request '" + hmp + "' through " + BOX, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QemuMonitorException("interrupted waiting for the reply to '" + hmp + "'");
        }
    }

    /** Sends a command that answers nothing when it works (device_del, device_add); fails on any reply. */
    static void silent(String hmp) {
        String reply = command(hmp);
        if (!reply.isBlank()) {
            throw new QemuMonitorException("'" + hmp + "': " + reply.strip());
        }
    }

    /** The zoo of this run, as lab/run wrote it, by id in lab/run's order. */
    static Map<String, ZooEntry> zoo() {
        List<String> lines;
        try {
            lines = Files.readAllLines(ZOO);
        } catch (NoSuchFileException e) {
            throw new QemuMonitorException(ZOO + " is missing: this lab run has no zoo (ausb-lab/lab/run --zoo)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, ZooEntry> zoo = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.strip().split("\\s+", 3);
            if (f.length == 3 && !f[0].startsWith("#")) {
                zoo.put(f[1], new ZooEntry(f[0], f[1], f[2]));
            }
        }
        return zoo;
    }

    /** The -device arguments lab/run gave the zoo device {@code id}, e.g. usb-kbd,bus=xhci.0,port=1.1,id=kbd. */
    static String deviceArgs(String id) {
        ZooEntry e = zoo().get(id);
        if (e == null || !e.kind().equals("device")) {
            throw new IllegalArgumentException("no zoo device '" + id + "' in " + ZOO + ": " + zoo().keySet());
        }
        return e.args();
    }

    /** The ids of the devices QEMU has on its USB buses now (from {@code info usb}). */
    static List<String> pluggedIds() {
        Matcher m = Pattern.compile("ID: (\\S+)").matcher(command("info usb"));
        return m.results().map(r -> r.group(1)).toList();
    }

    /** Whether device {@code id} is on a USB bus of QEMU now. */
    static boolean isPlugged(String id) {
        return pluggedIds().contains(id);
    }

    /**
     * Unplugs a zoo device ({@code device_del id}). QEMU removes a USB device at once; the reply
     * comes after the device has left QEMU's bus, so the guest's host controller sees the
     * disconnect from then on.
     */
    static void unplug(String id) {
        silent("device_del " + id);
    }

    /**
     * Plugs a zoo device back with the arguments lab/run used. A device with a drive (usb-storage)
     * gets its drive back first: QEMU deletes a -drive together with the device it belonged to.
     * Retries while QEMU still holds the old id (bounded by {@link #TIMEOUT}).
     */
    static void replug(String id) {
        String args = deviceArgs(id);
        Optional<String> drive = Pattern.compile("(?:^|,)drive=([^,]+)").matcher(args).results()
                .map(r -> r.group(1)).findFirst();
        if (drive.isPresent()) {
            ZooEntry d = zoo().get(drive.get());
            if (d != null && d.kind().equals("drive")) {
                String reply = command("drive_add 0 " + d.args()).strip();
                if (!reply.equals("OK") && !reply.contains("Duplicate")) {
                    throw new QemuMonitorException("drive_add for '" + id + "': " + reply);
                }
            }
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            String reply = command("device_add " + args).strip();
            if (reply.isEmpty()) {
                return;
            }
            if (!reply.contains("Duplicate") || System.nanoTime() - deadline > 0) {
                throw new QemuMonitorException("device_add " + args + ": " + reply);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QemuMonitorException("interrupted replugging " + id);
            }
        }
    }
}
