package dev.ausb.cli;

import dev.ausb.UsbAlternateSetting;
import dev.ausb.UsbConfiguration;
import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterface;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOutEndpoint;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/** {@code ausb read} and {@code ausb write}: bulk and interrupt transfers, several in flight. */
final class BulkCommands {
    static final String READ_HELP = """
            usage: ausb read [OPTIONS] DEVICE ENDPOINT (LENGTH | --duration TIME | --until-interrupted)

            Reads from a bulk or interrupt IN endpoint (0x81 ...), with several transfers in flight, and
            prints the bytes as a hex dump as they come (or writes them to a file with -o): LENGTH bytes,
            for a time, or until interrupted (Ctrl-C), whichever comes first. A short packet ends a
            transfer, not the read (--single: one transfer). A zero-length packet ends the read early. The
            endpoint's interface is found in the active configuration (the alternate setting that has the
            endpoint is selected) and claimed. DEVICE is VID:PID (or -d VID:PID), -s [BUS]:DEV or -p PATH (Linux's name: 3-1.2, usb3).

            LENGTH and BYTES are byte counts: a number (decimal, or hex with 0x) with an optional suffix,
            as coreutils reads them: K, M, G (or KiB, MiB, GiB) are powers of 1024, kB, MB, GB powers of
            1000: 512, 0x200, 64K, 1M, 1MB. TIME has its unit: 500ms, 10s, 1.5s, 2m, 1h.

              -o FILE                 write the bytes to FILE ("-": standard output) instead of a dump
              --single                one transfer of up to LENGTH bytes; print what it returned (a HID report)
              --duration TIME         stop after TIME (with LENGTH: whichever comes first)
              --until-interrupted     read until Ctrl-C (SIGINT) or the device ends the read
              --interface N           the interface to claim (default: the one with the endpoint)
              --detach                detach a kernel driver bound to the interface, for the read
              --transfers N           transfers in flight (default 4; 1 for interrupt endpoints)
              --transfer-size BYTES   bytes per transfer (default 16K)
              --timeout SECONDS       how long each transfer may take (default 5)
              --progress              a progress line with the throughput, updated twice a second
                                      (default when standard error is a terminal)
              --quiet                 no progress and no summary

            Never reads more than LENGTH bytes from the device. The summary on standard error gives bytes,
            seconds and MB/s, and why the read ended early. On Ctrl-C (SIGINT) the transfers in flight are
            cancelled (what they had received is not counted), the summary is printed, the device closed,
            and the exit code is 130, as for other tools that a signal ends.

            Exit codes: 0 read, 1 USB error (a transfer that times out ends the read with 1), 2 usage, 3 no
            device matched, 4 several matched, 5 access denied, 6 no USB on this machine, 7 libusb missing,
            130 interrupted (SIGINT).""";

    static final String WRITE_HELP = """
            usage: ausb write [OPTIONS] DEVICE ENDPOINT (HEX | --file FILE | --zeros COUNT)

            Writes bytes to a bulk or interrupt OUT endpoint (0x01 ...), with several transfers in flight:
            the bytes given in hex, a file's contents ("-": standard input, read as it comes), or COUNT
            zero bytes (for throughput tests; COUNT takes the suffixes of read: 64K, 1M, 1GB). The
            endpoint's interface is found and claimed as for read. DEVICE is VID:PID (or -d VID:PID), -s [BUS]:DEV or -p PATH (Linux's name: 3-1.2, usb3).

              --file FILE             the bytes to write
              --zeros COUNT           COUNT zero bytes
              --interface N, --detach, --transfers N, --transfer-size BYTES, --timeout SECONDS,
              --progress, --quiet       as for read

            A transfer size that is a multiple of the endpoint's packet size keeps packets full; no
            zero-length packet is added at the end.

            Exit codes: 0 written, 1 USB error, 2 usage, 3 no device matched, 4 several matched, 5 access
            denied, 6 no USB on this machine, 7 libusb missing.""";

    /** The exit code of a read that SIGINT ended, as shells report 128 + the signal's number. */
    static final int INTERRUPTED = 130;

    private BulkCommands() {}

    /** A parsed read or write; {@code length} -1 for no limit, {@code duration} null for none. */
    record Bulk(UsbDeviceFilter device, int endpoint, long length, Duration duration, boolean single, String output,
            Integer iface, boolean detach, Integer transfers, int transferSize, Duration timeout, Boolean progress,
            String hex, String file, Long zeros) {
        Bulk withTransferSize(int size) {
            return new Bulk(device, endpoint, length, duration, single, output, iface, detach, transfers, size,
                    timeout, progress, hex, file, zeros);
        }
    }

    static Bulk parse(String command, List<String> rest) {
        boolean read = command.equals("read");
        Duration timeout = Options.seconds(rest, "--timeout", Duration.ofSeconds(5));
        boolean single = read && rest.remove("--single");
        boolean untilInterrupted = read && rest.remove("--until-interrupted");
        String durationArg = read ? Options.take(rest, "--duration") : null;
        Duration duration = durationArg == null ? null : Options.duration(durationArg, "--duration");
        boolean detach = rest.remove("--detach");
        Boolean progress = rest.remove("--quiet") ? Boolean.FALSE : rest.remove("--progress") ? Boolean.TRUE : null;
        String output = read ? Options.take(rest, "-o") : null;
        String ifaceArg = Options.take(rest, "--interface");
        Integer iface = ifaceArg == null ? null : Options.integer(ifaceArg, "an interface number", 0, 255);
        String transfersArg = Options.take(rest, "--transfers");
        Integer transfers = transfersArg == null ? null : Options.integer(transfersArg, "--transfers", 1, 64);
        String sizeArg = Options.take(rest, "--transfer-size");
        int size = sizeArg == null ? 16384 : (int) Options.size(sizeArg, "--transfer-size", 1, 1 << 24);
        String file = read ? null : Options.take(rest, "--file");
        String zerosArg = read ? null : Options.take(rest, "--zeros");
        Long zeros = zerosArg == null ? null : Options.size(zerosArg, "--zeros", 0, Long.MAX_VALUE);
        UsbDeviceFilter device = Devices.take(rest, command);
        if (rest.isEmpty()) {
            throw new Main.Usage(command + " needs an endpoint address after the device");
        }
        int endpoint = Options.integer(rest.removeFirst(), "an endpoint address", 0x01, 0xff);
        if ((endpoint & 0x70) != 0 || (endpoint & 0x0f) == 0) {
            throw new Main.Usage(String.format("0x%02x is not an endpoint address (1..15, with 0x80 for IN)", endpoint));
        }
        if (read != ((endpoint & 0x80) != 0)) {
            throw new Main.Usage(String.format("endpoint 0x%02x is %s: %s", endpoint, read ? "OUT" : "IN",
                    read ? "read takes an IN endpoint (0x81 ...)" : "write takes an OUT endpoint (0x01 ...)"));
        }
        long length = -1;
        String hex = null;
        if (read) {
            if (!rest.isEmpty() && !rest.getFirst().startsWith("-")) {
                length = Options.size(rest.removeFirst(), "LENGTH", 0, Long.MAX_VALUE);
            }
            if (length >= 0 && untilInterrupted) {
                throw new Main.Usage("read takes a LENGTH or --until-interrupted, not both (--duration goes with either)");
            }
            if (length < 0 && duration == null && !untilInterrupted) {
                throw new Main.Usage("read needs a LENGTH after the endpoint, --duration TIME or --until-interrupted");
            }
            if (single && length < 0) {
                throw new Main.Usage("--single needs a LENGTH: the most one transfer may return");
            }
        } else {
            int sources = (file != null ? 1 : 0) + (zeros != null ? 1 : 0) + (rest.isEmpty() ? 0 : 1);
            if (sources != 1) {
                throw new Main.Usage("write takes the bytes in hex, --file FILE or --zeros COUNT: one of them");
            }
            if (!rest.isEmpty()) {
                hex = rest.removeFirst();
                Options.hex(hex); // checked before any USB
            }
        }
        Options.none(rest);
        return new Bulk(device, endpoint, length, duration, single, output, iface, detach, transfers, size, timeout,
                progress, hex, file, zeros);
    }

    /** The interface and alternate setting in the configuration that have {@code address}. */
    private static UsbAlternateSetting find(UsbConfiguration config, int address, Integer iface) {
        for (UsbInterface i : config.interfaces()) {
            if (iface != null && i.number() != iface) {
                continue;
            }
            for (UsbAlternateSetting alt : i.alternateSettings()) {
                if (alt.endpoint(address).isPresent()) {
                    return alt;
                }
            }
        }
        throw new Main.Usage(String.format("configuration %d has no endpoint 0x%02x%s", config.value(), address,
                iface == null ? "" : " in interface " + iface));
    }

    static int run(UsbContext usb, Bulk b, boolean read, PrintStream out, PrintStream err) throws IOException {
        UsbDevice d = usb.findOne(b.device());
        InputStream source = null;
        OutputStream sink = null;
        long deadline = b.duration() == null ? 0 : System.nanoTime() + b.duration().toNanos();
        try (BulkSupport.Stop stop = new BulkSupport.Stop(deadline, read); UsbDeviceHandle h = d.open()) {
            int active = h.activeConfiguration();
            UsbConfiguration config = d.configuration(active).orElseThrow(() -> new Main.Usage(
                    TransferCommands.label(d) + " is not configured (active configuration " + active + ")"));
            UsbAlternateSetting alt = find(config, b.endpoint(), b.iface());
            UsbEndpoint ep = alt.endpoint(b.endpoint()).orElseThrow();
            if (ep.transferType() != UsbTransferType.BULK && ep.transferType() != UsbTransferType.INTERRUPT) {
                throw new Main.Usage(String.format("endpoint 0x%02x is %s: read and write do bulk and interrupt transfers",
                        b.endpoint(), ep.transferType().toString().toLowerCase(java.util.Locale.ROOT)));
            }
            Optional<String> driver = d.kernelDriver(alt.interfaceNumber());
            if (driver.isPresent() && !b.detach()) {
                throw new Main.Usage(String.format("interface %d of %s is bound to the kernel driver %s: --detach "
                        + "detaches it for the %s (Linux binds it again after)", alt.interfaceNumber(),
                        TransferCommands.label(d), driver.get(), read ? "read" : "write"));
            }
            if (b.detach()) {
                h.setAutoDetachKernelDriver(true);
            }
            try (UsbInterfaceHandle ih = h.claimInterface(alt.interfaceNumber())) {
                if (alt.alternateSetting() != ih.alternateSetting().alternateSetting()) {
                    ih.selectAlternateSetting(alt.alternateSetting());
                }
                boolean interrupt = ep.transferType() == UsbTransferType.INTERRUPT;
                int transfers = b.transfers() != null ? b.transfers() : interrupt ? 1 : 4;
                int mps = Math.max(1, ep.maxPacketSize());
                // whole packets per transfer: a device that sends a full packet into a partial one overflows it
                Bulk sized = b.transferSize() < mps || b.transferSize() % mps == 0 ? b
                        : b.withTransferSize(b.transferSize() - b.transferSize() % mps);
                BulkSupport.Progress p = new BulkSupport.Progress(err, b.progress() != null ? b.progress()
                        : stderrIsTerminal(), b.progress() == null || b.progress(), read ? "read" : "wrote", b.endpoint());
                if (read) {
                    sink = b.output() == null ? new BulkSupport.HexDumpOutput(out)
                            : b.output().equals("-") ? out : Files.newOutputStream(Path.of(b.output()));
                    String end;
                    try {
                        end = readLoop(ih.inEndpoint(b.endpoint()), sized, transfers, sink, p, stop);
                    } catch (dev.ausb.UsbOverflowException e) {
                        // what arrived before is kept (written or dumped); the overflowed transfer's is lost
                        p.done(null);
                        err.printf("ausb: %s%nausb: the device sent more than the last transfer asked for: give a LENGTH "
                                + "(and --transfer-size) that is a multiple of endpoint 0x%02x's packet size, %d bytes%n",
                                e.getMessage(), b.endpoint(), mps);
                        return Main.ERROR;
                    }
                    if (sink instanceof BulkSupport.HexDumpOutput dump) {
                        dump.close();
                    }
                    p.done(end);
                } else {
                    source = b.hex() != null ? new ByteArrayInputStream(Options.hex(b.hex()))
                            : b.zeros() != null ? new BulkSupport.Zeros(b.zeros())
                            : b.file().equals("-") ? System.in : Files.newInputStream(Path.of(b.file()));
                    writeLoop(ih.outEndpoint(b.endpoint()), sized, transfers, source, source == System.in, p);
                    p.done(null);
                }
            }
            out.flush();
            return stop.interrupted() ? INTERRUPTED : Main.OK;
        } finally {
            if (sink != null && sink != out) {
                sink.close();
            }
            if (source != null && source != System.in) {
                source.close();
            }
        }
    }

    /** Reads until {@code b.length()} bytes came (or it stopped); returns why it ended early, or null. */
    private static String readLoop(UsbInEndpoint in, Bulk b, int transfers, OutputStream sink, BulkSupport.Progress p,
            BulkSupport.Stop stop) throws IOException {
        Deque<UsbTransferFuture<byte[]>> queue = new ArrayDeque<>();
        Deque<Integer> asks = new ArrayDeque<>();
        long limit = b.length() < 0 ? Long.MAX_VALUE : b.length();
        long received = 0;
        long asked = 0; // bytes asked by the transfers in flight: received + asked never exceeds the length
        try {
            while (received < limit && stop.reason() == null) {
                while (queue.size() < (b.single() ? 1 : transfers) && received + asked < limit
                        && !(b.single() && !queue.isEmpty()) && stop.reason() == null) {
                    int n = (int) Math.min(b.single() ? Math.min(limit, 0xffffff) : b.transferSize(),
                            limit - received - asked);
                    UsbTransferFuture<byte[]> f = in.read(n, b.timeout());
                    queue.add(f);
                    stop.inFlight.add(f);
                    asks.add(n);
                    asked += n;
                }
                if (stop.reason() != null) {
                    break;
                }
                UsbTransferFuture<byte[]> f = queue.removeFirst();
                byte[] data;
                try {
                    data = f.await();
                } catch (CancellationException cancelled) {
                    if (stop.reason() != null) {
                        break;
                    }
                    throw cancelled;
                } finally {
                    stop.inFlight.remove(f);
                }
                asked -= asks.removeFirst();
                sink.write(data);
                received += data.length;
                p.update(received);
                if (b.single()) {
                    return null;
                }
                if (data.length == 0) {
                    return "the device ended the read with a zero-length packet";
                }
            }
            return stop.reason();
        } finally {
            queue.forEach(f -> f.cancel(true));
            stop.inFlight.clear();
        }
    }

    private static void writeLoop(UsbOutEndpoint outEp, Bulk b, int transfers, InputStream source, boolean asItComes,
            BulkSupport.Progress p) throws IOException {
        Deque<UsbTransferFuture<Integer>> queue = new ArrayDeque<>();
        Deque<Integer> sizes = new ArrayDeque<>();
        long sent = 0;
        boolean eof = false;
        int mps = Math.max(1, outEp.descriptor().maxPacketSize());
        byte[] carry = asItComes ? new byte[Math.max(b.transferSize(), mps)] : null;
        int carried = 0;
        try {
            while (!eof || !queue.isEmpty()) {
                while (!eof && queue.size() < transfers) {
                    byte[] chunk;
                    if (asItComes) {
                        // a pipe: send what has come, in whole packets (a short packet ends a message on many
                        // devices); the remainder waits for more, and goes last, short, at the end
                        int n = source.read(carry, carried, carry.length - carried);
                        int whole;
                        if (n < 0) {
                            eof = true;
                            whole = carried;
                        } else {
                            carried += n;
                            whole = carried - carried % mps;
                            if (whole == 0) {
                                continue;
                            }
                        }
                        chunk = Arrays.copyOf(carry, whole);
                        System.arraycopy(carry, whole, carry, 0, carried - whole);
                        carried -= whole;
                        if (chunk.length == 0) {
                            break;
                        }
                    } else {
                        chunk = source.readNBytes(b.transferSize());
                        if (chunk.length == 0) {
                            eof = true;
                            break;
                        }
                    }
                    queue.add(outEp.write(chunk, b.timeout()));
                    sizes.add(chunk.length);
                }
                if (queue.isEmpty()) {
                    break;
                }
                int n = queue.removeFirst().await();
                int want = sizes.removeFirst();
                sent += n;
                p.update(sent);
                if (n != want) {
                    throw new IOException(String.format("the device took %d of %d bytes of a transfer", n, want));
                }
            }
        } finally {
            queue.forEach(f -> f.cancel(true));
        }
    }

    /**
     * Whether standard error is a terminal, where the progress line goes: on Linux what fd 2 links
     * to (a tty or pty); elsewhere the console's own answer, which is about standard input and output.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException notLinux) {
            java.io.Console console = System.console();
            return console != null && console.isTerminal();
        }
    }
}
