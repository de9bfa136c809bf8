package dev.ausb.lab.usbip;

import dev.ausb.lab.usbip.Reply.Complete;
import dev.ausb.lab.usbip.Reply.Delayed;
import dev.ausb.lab.usbip.Reply.Hold;
import dev.ausb.lab.usbip.Reply.Iso;
import dev.ausb.lab.usbip.Reply.Packet;
import dev.ausb.lab.usbip.Reply.Standard;
import dev.ausb.lab.usbip.UsbipEvent.Disconnected;
import dev.ausb.lab.usbip.UsbipEvent.Submitted;
import dev.ausb.lab.usbip.UsbipEvent.Unlinked;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A USB device implemented by the test, in this JVM, attached to the kernel's USB/IP virtual host
 * controller (vhci_hcd): to the kernel, usbfs and libusb it is a real device on a real bus, with
 * whatever descriptors the test wrote, at full, high or super speed, with endpoints of every type.
 *
 * <p>The device end of an AF_UNIX socket pair serves the USB/IP protocol on a reader thread; the
 * other end is handed to vhci_hcd's {@code attach} file. The device answers enumeration's standard
 * requests itself ({@link StandardRequests}), and every other URB (control requests to ep0, bulk,
 * interrupt, isochronous) goes to the test's {@link UrbHandler}, which answers with data, a status
 * (stall, any errno), isochronous packet results, a delay, or holds it until the test answers or the
 * kernel unlinks it. Every URB and every unlink is an {@link UsbipEvent} the test can await.
 * {@snippet :
 * try (VirtualDevice dev = VirtualDevice.builder()
 *         .device(Descriptors.device(0x1209, 0x0001).strings(1, 2, 0))
 *         .configuration(Descriptors.configuration(1, 0x80, 50,
 *                 Descriptors.iface(0, 0, 0xff, 0, 0, 0, Descriptors.bulk(0x81, 512))))
 *         .strings("Lab", "Virtual")
 *         .handler(urb -> urb.endpoint() == 0x81 ? Reply.data(new byte[] {1, 2, 3}) : Reply.standard())
 *         .speed(Speed.HIGH)
 *         .attach()) {
 *     dev.awaitConfigured(Duration.ofSeconds(15));
 *     // ... libusb reads 0x81 and gets 1, 2, 3
 * }
 * }
 * {@link #detach()} unplugs it (and fails the kernel's pending URBs); {@link #close()} unplugs it
 * if still attached and frees everything. Every wait here is bounded.
 */
@SuppressWarnings("doclint:missing") // test fixture API: one-line summaries, no @param/@return
public final class VirtualDevice implements AutoCloseable {
    private static final AtomicInteger DEVIDS = new AtomicInteger();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final Speed speed;
    private final int devid;
    private final UrbHandler handler;
    private final boolean standardToHandler;
    private volatile boolean history = true;
    private final StandardRequests standard;
    private final int fd;
    private final Object writeLock = new Object();
    private final Map<Integer, Urb> pending = new ConcurrentHashMap<>();
    private final Map<Integer, Urb> seen = new ConcurrentHashMap<>();
    private final List<UsbipEvent> events = new ArrayList<>();
    private final ScheduledExecutorService timers;
    private final Thread reader;
    private volatile int port = -1;
    private volatile boolean disconnected;
    private volatile boolean closed;
    private volatile Throwable failure;

    private VirtualDevice(Builder b, int fd) {
        this.speed = b.speed;
        this.devid = b.devid != 0 ? b.devid : 0x00ab_0000 | (DEVIDS.incrementAndGet() & 0xffff);
        this.handler = b.handler;
        this.standardToHandler = b.standardToHandler;
        this.standard = new StandardRequests(b.descriptors());
        this.fd = fd;
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "usbip-device-timer");
            t.setDaemon(true);
            return t;
        });
        this.reader = new Thread(this::serve, "usbip-device");
        this.reader.setDaemon(true);
    }

    /** A new device to describe and attach. */
    public static Builder builder() {
        return new Builder();
    }

    /** True if the kernel's vhci_hcd is loaded (the lab guest's init loads it). */
    public static boolean available() {
        return Vhci.present();
    }

    /** Descriptors, speed and handler of a device to attach. */
    public static final class Builder {
        private byte[] device;
        private final List<byte[]> configurations = new ArrayList<>();
        private final Map<Integer, byte[]> strings = new LinkedHashMap<>();
        private final Map<Integer, byte[]> raw = new LinkedHashMap<>();
        private byte[] bos;
        private Speed speed = Speed.HIGH;
        private UrbHandler handler = urb -> Reply.standard();
        private boolean standardToHandler;
        private int devid;
        private int port = -1;

        private Builder() {
            strings.put(0, Descriptors.languages(0x0409));
        }

        /** The device descriptor's bytes (18, or anything for a malformed one). */
        public Builder device(byte[] descriptor) {
            this.device = descriptor.clone();
            return this;
        }

        public Builder device(Descriptors.Device descriptor) {
            return device(descriptor.build());
        }

        /** Adds a configuration (the whole wTotalLength bytes), answered for the next index. */
        public Builder configuration(byte[] configuration) {
            configurations.add(configuration.clone());
            return this;
        }

        /** Strings with indexes 1, 2, 3, ... in US English (language table: 0x0409). */
        public Builder strings(String... values) {
            for (int i = 0; i < values.length; i++) {
                string(i + 1, values[i]);
            }
            return this;
        }

        public Builder string(int index, String value) {
            strings.put(index, Descriptors.string(value));
            return this;
        }

        /** The BOS descriptor with its capabilities (asked for when bcdUSB is 0x0201 or more). */
        public Builder bos(byte[] bos) {
            this.bos = bos.clone();
            return this;
        }

        /**
         * Answers GET_DESCRIPTOR(type, index) with exactly {@code bytes} (cut to wLength only), to any
         * recipient; replaces the built one of that type and index. For malformed descriptors and for
         * types the device does not otherwise know (device qualifier, HID report, ...).
         */
        public Builder descriptor(int type, int index, byte[] bytes) {
            raw.put(DescriptorSet.key(type, index), bytes.clone());
            return this;
        }

        /** The speed it attaches at; default high speed. */
        public Builder speed(Speed speed) {
            this.speed = Objects.requireNonNull(speed);
            return this;
        }

        /** Answers every URB the device does not answer itself; default {@link Reply#standard()}. */
        public Builder handler(UrbHandler handler) {
            this.handler = Objects.requireNonNull(handler);
            return this;
        }

        /** Sends standard control requests to the handler too (it may still return {@link Reply#standard()}). */
        public Builder standardRequestsToHandler() {
            this.standardToHandler = true;
            return this;
        }

        /** Attaches on vhci_hcd.0's port {@code port} (as {@link #port()} numbers them), which must be free. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The devid of USB/IP's headers (default: unique per device). */
        public Builder devid(int devid) {
            this.devid = devid;
            return this;
        }

        DescriptorSet descriptors() {
            return new DescriptorSet(device, configurations, strings, bos, raw);
        }

        /**
         * Starts serving and attaches to vhci_hcd on a free port of the speed's hub; the kernel starts
         * enumerating at once. Fails if vhci_hcd is not there or has no free port.
         */
        public VirtualDevice attach() {
            if (device == null) {
                throw new IllegalStateException("a device descriptor is needed");
            }
            int[] pair;
            try {
                pair = Libc.socketPair();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            VirtualDevice d = new VirtualDevice(this, pair[0]);
            d.reader.start();
            try {
                d.port = Vhci.attach(pair[1], d.devid, speed, port);
            } catch (IOException | RuntimeException e) {
                Libc.close(pair[1]);
                d.close();
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
            Libc.close(pair[1]); // the kernel holds its own reference to its end
            return d;
        }
    }

    /**
     * From now on keeps no record of URBs once answered, and forgets those so far (for a
     * benchmark's long run, whose memory would otherwise grow with every URB): {@link #events()}
     * and the awaits then see only unlinks and the disconnect, and an unlink of an answered URB
     * finds nothing.
     */
    public void keepNoHistory() {
        history = false;
        seen.clear();
        synchronized (events) {
            events.clear();
        }
    }

    /** The USB 3 peer of vhci_hcd.0's port {@code port}: the other root hub's port of the same connector. */
    public static int peerPort(int port) {
        return Vhci.peer(port);
    }

    /** The vhci_hcd port it is attached on. */
    public int port() {
        return port;
    }

    public Speed speed() {
        return speed;
    }

    /** The bConfigurationValue the host set (0 until SET_CONFIGURATION). */
    public int configuration() {
        return standard.configuration();
    }

    /** The alternate setting the host set for interface {@code itf}. */
    public int alternateSetting(int itf) {
        return standard.alternate(itf);
    }

    /** The first failure: a handler's exception, a protocol error, a failed write; null if none. */
    public Throwable failure() {
        return failure;
    }

    /** Fails (AssertionError, with the cause) if the device saw a {@link #failure()}. */
    public void checkHealthy() {
        if (failure != null) {
            throw new AssertionError("virtual device failed: " + failure, failure);
        }
    }

    /** True once the connection has ended. */
    public boolean disconnected() {
        return disconnected;
    }

    // ---- events

    /** Everything so far, in order. */
    public List<UsbipEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** Every URB the kernel submitted so far, in order. */
    public List<Urb> urbs() {
        return events().stream().filter(Submitted.class::isInstance).map(e -> ((Submitted) e).urb()).toList();
    }

    /** Every URB submitted to endpoint address {@code endpoint} (0x81, 0x02, ...; ep0 IN requests are 0x80). */
    public List<Urb> urbs(int endpoint) {
        return urbs().stream().filter(u -> u.endpoint() == endpoint).toList();
    }

    /** Every unlink so far. */
    public List<Unlinked> unlinks() {
        return events().stream().filter(Unlinked.class::isInstance).map(Unlinked.class::cast).toList();
    }

    /**
     * Waits up to {@code timeout} for the first event of {@code type} that matches (past events
     * count); fails with the events seen so far if none comes.
     */
    public <E extends UsbipEvent> E await(Class<E> type, Predicate<? super E> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (UsbipEvent e : events) {
                    if (type.isInstance(e) && match.test(type.cast(e))) {
                        return type.cast(e);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + type.getSimpleName() + " matched within " + timeout.toMillis()
                            + " ms; last events: " + tail(events));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(events, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Waits for the first URB that matches. */
    public Urb awaitUrb(Predicate<Urb> match, Duration timeout) {
        return await(Submitted.class, s -> match.test(s.urb()), timeout).urb();
    }

    /** Waits for the oldest URB on {@code endpoint} that is still pending (e.g. one the handler holds). */
    public Urb awaitPending(int endpoint, Duration timeout) {
        return awaitUrb(u -> u.endpoint() == endpoint && u.state() == Urb.State.PENDING, timeout);
    }

    /** Waits until the kernel unlinks the URB {@code seqnum}. */
    public Unlinked awaitUnlink(int seqnum, Duration timeout) {
        return await(Unlinked.class, u -> u.unlinkSeqnum() == seqnum, timeout);
    }

    /** Waits until the connection has ended. */
    public Disconnected awaitDisconnected(Duration timeout) {
        return await(Disconnected.class, d -> true, timeout);
    }

    /** Waits until the host has set a configuration (the kernel's generic driver does, after enumeration). */
    public void awaitConfigured(Duration timeout) {
        await(Submitted.class, s -> s.urb().control() && s.urb().setup().standard()
                && s.urb().setup().request() == Setup.SET_CONFIGURATION && s.urb().state() == Urb.State.COMPLETED, timeout);
    }

    private void record(UsbipEvent e) {
        synchronized (events) {
            events.add(e);
            events.notifyAll();
        }
    }

    private static String tail(List<UsbipEvent> events) {
        return events.subList(Math.max(0, events.size() - 8), events.size()).toString();
    }

    // ---- where the kernel put it

    /** The device's place in sysfs, bus number and address, as the kernel gave them. */
    public record Location(String busId, int bus, int address) {}

    /** Waits until the kernel has addressed the device, and tells where it is. */
    public Location awaitLocation(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var p = Vhci.port(port);
            if (p.isPresent() && p.get().state() == Vhci.USED && !p.get().busId().equals("0-0")) {
                Path dir = Path.of("/sys/bus/usb/devices", p.get().busId());
                try {
                    return new Location(p.get().busId(), Integer.parseInt(Files.readString(dir.resolve("busnum")).trim()),
                            Integer.parseInt(Files.readString(dir.resolve("devnum")).trim()));
                } catch (IOException | NumberFormatException e) {
                    // not in sysfs yet
                }
            }
            sleep(20);
        }
        throw new AssertionError("vhci port " + port + " has no addressed device after " + timeout.toMillis() + " ms: "
                + Vhci.port(port));
    }

    // ---- unplugging

    /**
     * Unplugs the device through vhci_hcd's {@code detach} file and waits (bounded) until the
     * kernel has closed the connection; the kernel fails the URBs it still had.
     */
    public void detach() {
        if (disconnected) {
            return;
        }
        try {
            Vhci.detach(port);
        } catch (IOException e) {
            throw new UncheckedIOException("detach port " + port, e);
        }
        awaitDisconnected(CLOSE_WAIT);
    }

    /** Unplugs the device by shutting its socket down, as a dead network link would; waits (bounded) for the end. */
    public void disconnect() {
        Libc.shutdown(fd);
        awaitDisconnected(CLOSE_WAIT);
    }

    /** Unplugs the device if still attached, stops its threads, closes its socket, and waits (bounded) until the port is free. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!disconnected && port >= 0) {
            try {
                Vhci.detach(port);
            } catch (IOException | RuntimeException e) {
                // already going away
            }
        }
        Libc.shutdown(fd);
        try {
            reader.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        if (!reader.isAlive()) {
            Libc.close(fd); // a reader stuck in read(2) keeps the descriptor: never close it under it
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (port >= 0 && System.nanoTime() < deadline && Vhci.port(port).map(p -> !p.free()).orElse(false)) {
            sleep(20);
        }
    }

    // ---- serving

    private void serve() {
        String reason = "connection closed";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment headerBuf = arena.allocate(Wire.HEADER);
            while (true) {
                byte[] h = readFully(headerBuf, Wire.HEADER);
                if (h == null) {
                    reason = closed ? "closed by the test" : "the kernel closed the connection";
                    break;
                }
                Wire.Header header = Wire.Header.decode(h);
                switch (header.command()) {
                    case Wire.CMD_SUBMIT -> submit(header);
                    case Wire.CMD_UNLINK -> unlink(header);
                    default -> throw new IOException("protocol error: command " + header.command() + " " + Arrays.toString(h));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                fail(e);
            }
            reason = String.valueOf(e);
        } finally {
            disconnected = true;
            for (Urb u : pending.values()) {
                u.state.compareAndSet(Urb.State.PENDING, Urb.State.DROPPED);
            }
            pending.clear();
            record(new Disconnected(reason));
        }
    }

    private byte[] readFully(MemorySegment small, int length) throws IOException {
        if (length == 0) {
            return new byte[0];
        }
        try (Arena arena = length > small.byteSize() ? Arena.ofConfined() : null) {
            MemorySegment buf = arena != null ? arena.allocate(length) : small;
            int done = 0;
            while (done < length) {
                int n = Libc.read(fd, buf.asSlice(done), length - done);
                if (n == 0) {
                    if (done == 0) {
                        return null;
                    }
                    throw new IOException("connection ended inside a message (" + done + " of " + length + " bytes)");
                }
                done += n;
            }
            return buf.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private void submit(Wire.Header h) throws IOException {
        boolean in = h.direction() == Wire.DIR_IN;
        int length = h.bufferLength();
        if (length < 0) {
            throw new IOException("protocol error: transfer_buffer_length " + length);
        }
        byte[] out = new byte[0];
        if (!in && length > 0) {
            out = readOrFail(length);
        }
        List<IsoPacket> iso = List.of();
        int np = h.numberOfPackets();
        if (np != 0 && np != -1) {
            if (np < 0 || np > Wire.MAX_ISO_PACKETS) {
                throw new IOException("protocol error: number_of_packets " + np);
            }
            iso = Wire.decodeIso(readOrFail(Wire.ISO_DESCRIPTOR * np), np);
        }
        Setup setup = h.ep() == 0 ? Setup.decode(h.setup()) : null;
        Urb u = new Urb(this, h.seqnum(), in, h.ep(), h.transferFlags(), length, h.startFrame(), h.interval(), setup, out, iso);
        pending.put(u.seqnum(), u);
        if (history) {
            seen.put(u.seqnum(), u);
            record(new Submitted(u));
        }
        dispatch(u);
    }

    private byte[] readOrFail(int length) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            byte[] b = readFully(arena.allocate(1), length);
            if (b == null) {
                throw new IOException("connection ended before " + length + " bytes of a CMD_SUBMIT");
            }
            return b;
        }
    }

    private void dispatch(Urb u) {
        Reply r = null;
        if (u.control() && !standardToHandler) {
            r = standard.answer(u.setup());
        }
        if (r == null) {
            try {
                r = Objects.requireNonNull(handler.onSubmit(u), "the handler returned null for " + u);
            } catch (Throwable t) {
                fail(t);
                r = Reply.stall();
            }
        }
        apply(u, r);
    }

    /** The default for a URB: standard requests answered, other control requests stalled, IN held, OUT taken. */
    private Reply defaultFor(Urb u) {
        if (u.control()) {
            Reply r = standard.answer(u.setup());
            return r != null ? r : Reply.stall();
        }
        return u.in() ? Reply.hold() : Reply.ok();
    }

    private boolean apply(Urb u, Reply r) {
        return switch (r) {
            case Standard s -> apply(u, defaultFor(u));
            case Hold h -> u.state() == Urb.State.PENDING;
            case Delayed d -> {
                if (u.state() != Urb.State.PENDING || timers.isShutdown()) {
                    yield false;
                }
                timers.schedule(() -> apply(u, d.then()), d.delay().toNanos(), TimeUnit.NANOSECONDS);
                yield true;
            }
            case Complete c -> send(u, r);
            case Iso i -> send(u, r);
        };
    }

    boolean respond(Urb u, Reply r) {
        return apply(u, r);
    }

    private boolean send(Urb u, Reply r) {
        byte[] message = encode(u, r);
        synchronized (writeLock) {
            // the state change and the write happen together, so an unlink never overtakes a RET_SUBMIT
            if (disconnected || !u.state.compareAndSet(Urb.State.PENDING, Urb.State.COMPLETED)) {
                return false;
            }
            pending.remove(u.seqnum());
            u.answered(r);
            write(message);
            return true;
        }
    }

    private void unlink(Wire.Header h) {
        Urb u;
        boolean wasPending;
        synchronized (writeLock) {
            u = seen.get(h.unlinkSeqnum());
            wasPending = u != null && u.state.compareAndSet(Urb.State.PENDING, Urb.State.UNLINKED);
            if (wasPending) {
                pending.remove(u.seqnum());
            }
            record(new Unlinked(h.seqnum(), h.unlinkSeqnum(), wasPending, u));
            write(Wire.retUnlink(h.seqnum(), devid, wasPending ? Errno.ECONNRESET : Errno.OK));
        }
    }

    private void write(byte[] message) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(message.length);
            MemorySegment.copy(message, 0, seg, ValueLayout.JAVA_BYTE, 0, message.length);
            Libc.writeFully(fd, seg);
        } catch (IOException e) {
            if (!closed && !disconnected) {
                fail(e);
            }
        }
    }

    /** The RET_SUBMIT for {@code u}: IN data cut to what the URB can take (the kernel drops the connection otherwise). */
    private byte[] encode(Urb u, Reply r) {
        if (!u.iso()) {
            if (!(r instanceof Complete c)) {
                throw new IllegalArgumentException("isochronous packets for a non-isochronous URB " + u);
            }
            if (u.in()) {
                byte[] data = Arrays.copyOf(c.data(), Math.min(c.data().length, u.bufferLength()));
                return Wire.retSubmit(u.seqnum(), devid, c.status(), data.length, 0, 0, data, List.of());
            }
            int taken = c.outAccepted() < 0 ? u.bufferLength() : Math.min(c.outAccepted(), u.bufferLength());
            return Wire.retSubmit(u.seqnum(), devid, c.status(), taken, 0, 0, new byte[0], List.of());
        }
        int status;
        List<Packet> results;
        if (r instanceof Iso i) {
            status = i.status();
            results = i.packets();
        } else {
            Complete c = (Complete) r;
            status = c.status();
            results = c.status() != Errno.OK ? List.of() : spread(u, c);
        }
        ByteArrayOutputStream inData = new ByteArrayOutputStream();
        List<IsoPacket> descriptors = new ArrayList<>();
        int total = 0;
        int errors = 0;
        for (int k = 0; k < u.isoPackets().size(); k++) {
            IsoPacket asked = u.isoPackets().get(k);
            Packet p = k < results.size() ? results.get(k) : new Packet(new byte[0], 0, Errno.OK);
            int actual;
            if (u.in()) {
                actual = Math.min(p.data().length, asked.length());
                inData.write(p.data(), 0, actual);
            } else {
                actual = Math.max(0, Math.min(p.actualLength(), asked.length()));
            }
            total += actual;
            errors += p.status() != Errno.OK ? 1 : 0;
            descriptors.add(new IsoPacket(asked.offset(), asked.length(), actual, p.status()));
        }
        return Wire.retSubmit(u.seqnum(), devid, status, total, u.startFrame(), errors, inData.toByteArray(), descriptors);
    }

    /** A plain completion of an isochronous URB: IN data poured into the packets in order, OUT packets taken whole. */
    private static List<Packet> spread(Urb u, Complete c) {
        List<Packet> out = new ArrayList<>();
        int at = 0;
        for (IsoPacket asked : u.isoPackets()) {
            if (u.in()) {
                int n = Math.max(0, Math.min(asked.length(), c.data().length - at));
                out.add(Packet.in(Arrays.copyOfRange(c.data(), at, at + n)));
                at += n;
            } else {
                out.add(Packet.out(asked.length()));
            }
        }
        return out;
    }

    private void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "VirtualDevice[port " + port + ", " + speed + (disconnected ? ", disconnected" : "") + "]";
    }
}
