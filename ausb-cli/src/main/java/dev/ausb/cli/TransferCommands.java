package dev.ausb.cli;

import dev.ausb.UsbAlternateSetting;
import dev.ausb.UsbConfiguration;
import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDirection;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterface;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbNotFoundException;
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

/** {@code ausb control}, {@code ausb read}, {@code ausb write} and {@code ausb reset}. */
final class TransferCommands {
    static final String CONTROL_HELP = """
            usage: ausb control [--timeout SECONDS] [--raw] DEVICE BMREQUESTTYPE BREQUEST WVALUE WINDEX [LENGTH | DATA]

            Sends one control request through endpoint 0 and prints the reply as a hex dump. The numbers are
            decimal or hex with 0x; BMREQUESTTYPE is the whole byte as libusb takes it, its bit 7 the
            direction: set (IN, 0x80 and up), the request reads up to LENGTH bytes (required, 0 to 65535);
            clear (OUT), DATA is the data stage in hex ("de ad be ef" or deadbeef; none if left out).

              --raw              write the reply's bytes as they are to standard output, not a dump
              --timeout SECONDS  how long the device may take (default 5)

            Examples:
              ausb control 1a0a:badd 0x80 6 0x0100 0 18       the device descriptor (GET_DESCRIPTOR)
              ausb control -p 3-1 0xa3 0 0 1 4                 status of port 1 of the hub at 3-1
              ausb control 1a0a:badd 0x40 0x5c 1 0 "01 02"      a vendor request with two bytes of data

            A request with recipient interface or endpoint needs the interface free of kernel drivers
            (Linux claims it for the request). Exit codes: 0 answered, 1 stalled or failed, 2 usage, 3 no
            device matched, 4 several matched, 5 access denied.""";

    static final String READ_HELP = """
            usage: ausb read [OPTIONS] DEVICE ENDPOINT LENGTH

            Reads LENGTH bytes from a bulk or interrupt IN endpoint (0x81 ...), with several transfers in
            flight, and prints them as a hex dump (or writes them to a file with -o). A short packet ends a
            transfer, not the read: the read goes on until LENGTH bytes have come (--single: one transfer).
            A zero-length packet ends the read early. The endpoint's interface is found in the active
            configuration (the alternate setting that has the endpoint is selected) and claimed.

              -o FILE               write the bytes to FILE ("-": standard output) instead of a dump
              --single              one transfer of up to LENGTH bytes; print what it returned (a HID report)
              --interface N         the interface to claim (default: the one with the endpoint)
              --detach              detach a kernel driver bound to the interface, for the read
              --transfers N         transfers in flight (default 4; 1 for interrupt endpoints)
              --transfer-size BYTES bytes per transfer (default 16384)
              --timeout SECONDS     how long each transfer may take (default 5)
              --progress            a progress line with the throughput, updated twice a second
                                    (default when standard error is a terminal)
              --quiet               no progress and no summary

            Never reads more than LENGTH bytes from the device. The summary on standard error gives bytes,
            seconds and MB/s. Exit codes as for control; a transfer that times out ends the read with 1.""";

    static final String WRITE_HELP = """
            usage: ausb write [OPTIONS] DEVICE ENDPOINT (HEX | --file FILE | --zeros COUNT)

            Writes bytes to a bulk or interrupt OUT endpoint (0x01 ...), with several transfers in flight:
            the bytes given in hex, a file's contents ("-": standard input, read as it comes), or COUNT
            zero bytes (for throughput tests). The endpoint's interface is found and claimed as for read.

              --file FILE           the bytes to write
              --zeros COUNT         COUNT zero bytes
              --interface N, --detach, --transfers N, --transfer-size BYTES, --timeout SECONDS,
              --progress, --quiet   as for read

            A transfer size that is a multiple of the endpoint's packet size keeps packets full; no
            zero-length packet is added at the end. Exit codes as for read.""";

    static final String RESET_HELP = """
            usage: ausb reset DEVICE

            Resets the device (a USB port reset, then the operating system sets its address and
            configuration again: drivers and claims are restored where the descriptors did not change).
            Prints the device before and after; if the reset made it enumerate anew (its descriptors
            changed, as after a firmware update), waits up to 10 s for it on the same port.

            Exit codes: 0 reset, 1 USB error or it did not come back, 2 usage, 3 no device matched,
            4 several matched, 5 access denied.""";

    private TransferCommands() {}

    static String label(UsbDevice d) {
        return String.format("Bus %03d Device %03d: ID %04x:%04x", d.bus(), d.address(), d.vendorId(), d.productId());
    }

    // ---- control ----

    record Control(UsbDeviceFilter device, int requestType, int request, int value, int index, int length,
            byte[] data, boolean raw, Duration timeout) {}

    static Control parseControl(List<String> rest) {
        Duration timeout = Options.seconds(rest, "--timeout", Duration.ofSeconds(5));
        boolean raw = rest.remove("--raw");
        UsbDeviceFilter device = Main.takeDevice(rest, "control");
        if (rest.size() < 4 || rest.size() > 5) {
            throw new Main.Usage("control needs BMREQUESTTYPE BREQUEST WVALUE WINDEX, then LENGTH (IN) or DATA (OUT)");
        }
        int type = Options.integer(rest.get(0), "bmRequestType", 0, 0xff);
        int request = Options.integer(rest.get(1), "bRequest", 0, 0xff);
        int value = Options.integer(rest.get(2), "wValue", 0, 0xffff);
        int index = Options.integer(rest.get(3), "wIndex", 0, 0xffff);
        if ((type >> 5 & 3) == 3) {
            throw new Main.Usage(String.format("bmRequestType 0x%02x has the reserved type 3 (bits 6..5)", type));
        }
        boolean in = UsbControlRequest.direction(type) == UsbDirection.IN;
        if (in && rest.size() != 5) {
            throw new Main.Usage(String.format("bmRequestType 0x%02x is IN (bit 7 set): give the LENGTH to read", type));
        }
        int length = in ? Options.integer(rest.get(4), "LENGTH", 0, 0xffff) : 0;
        byte[] data = in ? null : rest.size() == 5 ? Options.hex(rest.get(4)) : new byte[0];
        if (data != null && data.length > 0xffff) {
            throw new Main.Usage("a control request carries at most 65535 bytes, not " + data.length);
        }
        rest.clear();
        return new Control(device, type, request, value, index, length, data, raw, timeout);
    }

    static int control(UsbContext usb, Control c, PrintStream out) throws IOException {
        UsbDevice d = usb.findOne(c.device());
        try (UsbDeviceHandle h = d.open()) {
            if (c.data() == null) {
                byte[] reply = h.control(c.requestType(), c.request(), c.value(), c.index(), c.length(), c.timeout()).await();
                if (c.raw()) {
                    out.write(reply);
                } else {
                    out.print(Options.hexDump(reply));
                    out.printf("%d bytes%n", reply.length);
                }
            } else {
                int sent = h.control(c.requestType(), c.request(), c.value(), c.index(), c.data(), c.timeout()).await();
                out.printf("sent %d bytes%n", sent);
            }
        }
        out.flush();
        return Main.OK;
    }

    // ---- read and write ----

    record Bulk(UsbDeviceFilter device, int endpoint, long length, boolean single, String output, Integer iface,
            boolean detach, Integer transfers, int transferSize, Duration timeout, Boolean progress,
            String hex, String file, Long zeros) {}

    static Bulk parseBulk(String command, List<String> rest) {
        boolean read = command.equals("read");
        Duration timeout = Options.seconds(rest, "--timeout", Duration.ofSeconds(5));
        boolean single = read && rest.remove("--single");
        boolean detach = rest.remove("--detach");
        Boolean progress = rest.remove("--quiet") ? Boolean.FALSE : rest.remove("--progress") ? Boolean.TRUE : null;
        String output = read ? Options.take(rest, "-o") : null;
        String ifaceArg = Options.take(rest, "--interface");
        Integer iface = ifaceArg == null ? null : Options.integer(ifaceArg, "an interface number", 0, 255);
        String transfersArg = Options.take(rest, "--transfers");
        Integer transfers = transfersArg == null ? null : Options.integer(transfersArg, "--transfers", 1, 64);
        String sizeArg = Options.take(rest, "--transfer-size");
        int size = sizeArg == null ? 16384 : Options.integer(sizeArg, "--transfer-size", 1, 1 << 24);
        String file = read ? null : Options.take(rest, "--file");
        String zerosArg = read ? null : Options.take(rest, "--zeros");
        Long zeros = zerosArg == null ? null : Options.number(zerosArg, "--zeros", 0, Long.MAX_VALUE);
        UsbDeviceFilter device = Main.takeDevice(rest, command);
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
        long length = 0;
        String hex = null;
        if (read) {
            if (rest.isEmpty()) {
                throw new Main.Usage("read needs a LENGTH after the endpoint");
            }
            length = Options.number(rest.removeFirst(), "LENGTH", 0, Long.MAX_VALUE);
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
        return new Bulk(device, endpoint, length, single, output, iface, detach, transfers, size, timeout, progress,
                hex, file, zeros);
    }

    /** The interface and alternate setting in the configuration that have {@code address}. */
    private static UsbAlternateSetting find(UsbConfiguration config, int address, Integer iface) {
        for (UsbInterface i : config.interfaces()) {
            if (iface != null && i.number() != iface) {
                continue;
            }
            for (UsbAlternateSetting alt : i.alternateSettings()) {
                for (UsbEndpoint e : alt.endpoints()) {
                    if (e.address() == address) {
                        return alt;
                    }
                }
            }
        }
        throw new Main.Usage(String.format("configuration %d has no endpoint 0x%02x%s", config.value(), address,
                iface == null ? "" : " in interface " + iface));
    }

    static int bulk(UsbContext usb, Bulk b, boolean read, PrintStream out, PrintStream err) throws IOException {
        UsbDevice d = usb.findOne(b.device());
        InputStream source = null;
        OutputStream sink = null;
        try (UsbDeviceHandle h = d.open()) {
            int active = h.activeConfiguration();
            UsbConfiguration config = d.configuration(active).orElseThrow(() -> new Main.Usage(
                    label(d) + " is not configured (active configuration " + active + ")"));
            UsbAlternateSetting alt = find(config, b.endpoint(), b.iface());
            UsbEndpoint ep = alt.endpoints().stream().filter(e -> e.address() == b.endpoint()).findFirst().orElseThrow();
            if (ep.transferType() != UsbTransferType.BULK && ep.transferType() != UsbTransferType.INTERRUPT) {
                throw new Main.Usage(String.format("endpoint 0x%02x is %s: read and write do bulk and interrupt transfers",
                        b.endpoint(), ep.transferType().toString().toLowerCase(java.util.Locale.ROOT)));
            }
            Optional<String> driver = d.kernelDriver(alt.interfaceNumber());
            if (driver.isPresent() && !b.detach()) {
                throw new Main.Usage(String.format("interface %d of %s is bound to the kernel driver %s: --detach "
                        + "detaches it for the %s (Linux binds it again after)", alt.interfaceNumber(), label(d),
                        driver.get(), read ? "read" : "write"));
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
                        : withSize(b, b.transferSize() - b.transferSize() % mps);
                Progress p = new Progress(err, b.progress() != null ? b.progress() : stderrIsTerminal(),
                        b.progress() == null || b.progress(), read ? "read" : "wrote", b.endpoint());
                if (read) {
                    boolean dump = b.output() == null;
                    java.io.ByteArrayOutputStream mem = dump ? new java.io.ByteArrayOutputStream() : null;
                    sink = dump ? mem : b.output().equals("-") ? out : Files.newOutputStream(Path.of(b.output()));
                    String end;
                    try {
                        end = readLoop(ih.inEndpoint(b.endpoint()), sized, transfers, sink, p);
                    } catch (dev.ausb.UsbOverflowException e) {
                        // what arrived before is kept (written, or dumped below); the overflowed transfer's is lost
                        p.done(null);
                        if (dump) {
                            out.print(Options.hexDump(mem.toByteArray()));
                        }
                        err.printf("ausb: %s%nausb: the device sent more than the last transfer asked for: give a LENGTH "
                                + "(and --transfer-size) that is a multiple of endpoint 0x%02x's packet size, %d bytes%n",
                                e.getMessage(), b.endpoint(), mps);
                        return Main.ERROR;
                    }
                    p.done(end);
                    if (dump) {
                        out.print(Options.hexDump(mem.toByteArray()));
                    }
                } else {
                    source = b.hex() != null ? new ByteArrayInputStream(Options.hex(b.hex()))
                            : b.zeros() != null ? new Zeros(b.zeros())
                            : b.file().equals("-") ? System.in : Files.newInputStream(Path.of(b.file()));
                    writeLoop(ih.outEndpoint(b.endpoint()), sized, transfers, source, source == System.in, p);
                    p.done(null);
                }
            }
        } finally {
            if (sink != null && sink != out) {
                sink.close();
            }
            if (source != null && source != System.in) {
                source.close();
            }
        }
        out.flush();
        return Main.OK;
    }

    private static Bulk withSize(Bulk b, int size) {
        return new Bulk(b.device(), b.endpoint(), b.length(), b.single(), b.output(), b.iface(), b.detach(),
                b.transfers(), size, b.timeout(), b.progress(), b.hex(), b.file(), b.zeros());
    }

    /** Reads until {@code b.length()} bytes came; returns why it ended early, or null. */
    private static String readLoop(UsbInEndpoint in, Bulk b, int transfers, OutputStream sink, Progress p)
            throws IOException {
        Deque<UsbTransferFuture<byte[]>> queue = new ArrayDeque<>();
        Deque<Integer> asks = new ArrayDeque<>();
        long received = 0;
        long asked = 0; // bytes asked by the transfers in flight: received + asked never exceeds the length
        try {
            while (received < b.length()) {
                while (queue.size() < (b.single() ? 1 : transfers) && received + asked < b.length()
                        && !(b.single() && !queue.isEmpty())) {
                    int n = (int) Math.min(b.single() ? Math.min(b.length(), 0xffffff) : b.transferSize(),
                            b.length() - received - asked);
                    queue.add(in.read(n, b.timeout()));
                    asks.add(n);
                    asked += n;
                }
                byte[] data = queue.removeFirst().await();
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
            return null;
        } finally {
            queue.forEach(f -> f.cancel(true));
        }
    }

    private static void writeLoop(UsbOutEndpoint outEp, Bulk b, int transfers, InputStream source, boolean asItComes,
            Progress p) throws IOException {
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

    /** COUNT zero bytes. */
    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long count) {
            this.left = count;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            if (left == 0) {
                return len == 0 ? 0 : -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(buf, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }

    /** The progress line (twice a second) and the summary, on standard error. */
    private static final class Progress {
        private final PrintStream err;
        private final boolean live;
        private final boolean summary;
        private final String verb;
        private final int endpoint;
        private final long t0 = System.nanoTime();
        private long lastPrint = t0;
        private long bytes;
        private boolean printed;

        Progress(PrintStream err, boolean live, boolean summary, String verb, int endpoint) {
            this.err = err;
            this.live = live;
            this.summary = summary;
            this.verb = verb;
            this.endpoint = endpoint;
        }

        void update(long total) {
            bytes = total;
            long now = System.nanoTime();
            if (live && now - lastPrint >= 500_000_000L) {
                lastPrint = now;
                err.printf("\r%s %d bytes, %.1f MB/s", verb, total, rate(now));
                printed = true;
            }
        }

        private double rate(long now) {
            double s = (now - t0) / 1e9;
            return s <= 0 ? 0 : bytes / s / 1e6;
        }

        void done(String why) {
            long now = System.nanoTime();
            if (printed) {
                err.print("\r");
            }
            if (summary) {
                err.printf("%s %d bytes %s endpoint 0x%02x in %.3f s (%.2f MB/s)%s%n", verb, bytes,
                        verb.equals("read") ? "from" : "to", endpoint, (now - t0) / 1e9, rate(now),
                        why == null ? "" : "; " + why);
            }
            err.flush();
        }
    }

    // ---- reset ----

    static int reset(UsbContext usb, UsbDeviceFilter device, PrintStream out) {
        UsbDevice d = usb.findOne(device);
        out.println("reset " + label(d));
        UsbDeviceHandle h = d.open();
        try {
            h.reset();
            out.println("back as " + label(h.device()));
        } catch (UsbNotFoundException anew) {
            // the descriptors changed: the device enumerated anew, at a new address
            try (UsbDeviceHandle back = h.reopen(Duration.ofSeconds(10))) {
                out.println("enumerated anew as " + label(back.device()));
            }
        } finally {
            h.close();
        }
        out.flush();
        return Main.OK;
    }

}
