package dev.ausb.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A USB function the test implements itself, in this JVM, through the kernel's FunctionFS: the
 * test writes the descriptors, answers (or stalls, or delays) control requests, and reads and
 * writes the endpoints' data, so it can script any device behaviour: stalls, short or oversized
 * replies, slow answers, odd descriptors, a device that dies mid-transfer.
 *
 * <p>Used through {@link Gadget.Builder#functionFs(FfsFunction)}: the gadget mounts the function's
 * file system, this class writes the descriptors and strings to {@code ep0} and runs a thread that
 * reads ep0's events and answers SETUPs with the {@link SetupHandler}; then the gadget binds its UDC.
 * Endpoint files are {@code ep1}, {@code ep2}, … in the order their descriptors appear.
 * {@snippet :
 * FfsFunction f = FfsFunction.builder()
 *         .descriptors(Desc.iface(0, 0, 1, 0xff, 0, 0, 1), Desc.bulk(0x81, 512))
 *         .strings("Scripted")
 *         .onSetup(s -> s.request() == 0x01 ? Reply.data(new byte[] {1, 2}) : Reply.stall())
 *         .build();
 * }
 */
final class FfsFunction implements AutoCloseable {
    private static final int DESCRIPTORS_MAGIC_V2 = 3;
    private static final int STRINGS_MAGIC = 2;
    private static final int HAS_FS_DESC = 1;
    private static final int HAS_HS_DESC = 2;
    private static final int HAS_SS_DESC = 4;
    private static final int ALL_CTRL_RECIP = 64;
    private static final int EVENT_SIZE = 12;
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** FunctionFS event types (linux/usb/functionfs.h). */
    enum Event { BIND, UNBIND, ENABLE, DISABLE, SETUP, SUSPEND, RESUME }

    /** A control request the host sent to this function. */
    record Setup(int requestType, int request, int value, int index, int length) {
        /** True for a device-to-host request: the reply is data (or a stall). */
        boolean in() {
            return (requestType & 0x80) != 0;
        }
    }

    /** How the function answers one SETUP. */
    sealed interface Reply {
        /** Sends {@code data} (an IN request), at most wLength bytes of it. */
        static Reply data(byte[] data) {
            return new Data(data.clone());
        }

        /** Accepts an OUT request and its data stage (kept in {@link FfsFunction#received()}). */
        static Reply accept() {
            return new Accept();
        }

        /** Stalls ep0: the host sees a STALL for this request. */
        static Reply stall() {
            return new Stall();
        }

        /** Answers {@code then} only after {@code delay}, as a slow device does. */
        static Reply after(Duration delay, Reply then) {
            return new Delayed(delay, then);
        }

        /** Closes ep0 without answering: the device disappears from the bus. */
        static Reply die() {
            return new Die();
        }

        /** Never answers: the host's request waits until it times out or is cancelled. */
        static Reply never() {
            return new Never();
        }
    }

    record Never() implements Reply {}

    record Data(byte[] bytes) implements Reply {}

    record Accept() implements Reply {}

    record Stall() implements Reply {}

    record Delayed(Duration delay, Reply then) implements Reply {}

    record Die() implements Reply {}

    /** Decides the reply to each SETUP; runs on the function's ep0 thread. */
    @FunctionalInterface
    interface SetupHandler {
        Reply onSetup(Setup setup);
    }

    final String name = "ausb" + ProcessHandle.current().pid() + "x" + SEQ.incrementAndGet();
    private final byte[] descriptors;
    private final byte[] strings;
    private final int endpointCount;
    private final SetupHandler handler;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<Setup> setups = new CopyOnWriteArrayList<>();
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private final List<FileChannel> endpoints = new ArrayList<>();
    private final CompletableFuture<Void> enabled = new CompletableFuture<>();
    private volatile Throwable ep0Failure;
    private Path mount;
    private FileChannel ep0;
    private Thread ep0Thread;
    private volatile boolean closing;

    private FfsFunction(Builder b) {
        this.descriptors = b.descriptorBlob();
        this.strings = b.stringBlob();
        this.endpointCount = b.endpointCount();
        this.handler = b.handler;
    }

    static Builder builder() {
        return new Builder();
    }

    /** What a FunctionFS function is made of. */
    static final class Builder {
        private final List<byte[]> fs = new ArrayList<>();
        private List<byte[]> hs;
        private List<byte[]> ss;
        private final List<String> strings = new ArrayList<>();
        private SetupHandler handler = s -> Reply.stall();

        /** Full-speed descriptors (also used at high speed unless {@link #highSpeed} is given). */
        Builder descriptors(byte[]... descs) {
            fs.addAll(List.of(descs));
            return this;
        }

        Builder highSpeed(byte[]... descs) {
            hs = List.of(descs);
            return this;
        }

        Builder superSpeed(byte[]... descs) {
            ss = List.of(descs);
            return this;
        }

        /** The function's strings in US English, numbered from 1 in the descriptors. */
        Builder strings(String... s) {
            strings.addAll(List.of(s));
            return this;
        }

        Builder onSetup(SetupHandler h) {
            handler = h;
            return this;
        }

        FfsFunction build() {
            return new FfsFunction(this);
        }

        private int endpointCount() {
            return (int) fs.stream().filter(d -> d.length >= 2 && d[1] == 0x05).count();
        }

        private byte[] descriptorBlob() {
            List<byte[]> high = hs != null ? hs : fs;
            int flags = HAS_FS_DESC | HAS_HS_DESC | ALL_CTRL_RECIP | (ss != null ? HAS_SS_DESC : 0);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writeLe32(body, fs.size());
            writeLe32(body, high.size());
            if (ss != null) {
                writeLe32(body, ss.size());
            }
            fs.forEach(body::writeBytes);
            high.forEach(body::writeBytes);
            if (ss != null) {
                ss.forEach(body::writeBytes);
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            writeLe32(all, DESCRIPTORS_MAGIC_V2);
            writeLe32(all, 12 + body.size());
            writeLe32(all, flags);
            all.writeBytes(body.toByteArray());
            return all.toByteArray();
        }

        private byte[] stringBlob() {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write(0x09); // language 0x0409, little-endian
            body.write(0x04);
            for (String s : strings) {
                body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                body.write(0);
            }
            if (strings.isEmpty()) {
                body.reset(); // no strings: no language either
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            writeLe32(all, STRINGS_MAGIC);
            writeLe32(all, 16 + body.size());
            writeLe32(all, strings.size());
            writeLe32(all, strings.isEmpty() ? 0 : 1);
            all.writeBytes(body.toByteArray());
            return all.toByteArray();
        }
    }

    private static void writeLe32(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    /** Builders of the standard descriptors a function's blob is made of. */
    static final class Desc {
        private Desc() {}

        static byte[] iface(int number, int alt, int endpoints, int cls, int subclass, int protocol, int string) {
            return new byte[] {9, 4, (byte) number, (byte) alt, (byte) endpoints, (byte) cls, (byte) subclass,
                (byte) protocol, (byte) string};
        }

        static byte[] endpoint(int address, int attributes, int maxPacket, int interval) {
            return new byte[] {7, 5, (byte) address, (byte) attributes, (byte) maxPacket, (byte) (maxPacket >>> 8),
                (byte) interval};
        }

        static byte[] bulk(int address, int maxPacket) {
            return endpoint(address, 2, maxPacket, 0);
        }

        static byte[] interrupt(int address, int maxPacket, int interval) {
            return endpoint(address, 3, maxPacket, interval);
        }

        static byte[] ssCompanion(int maxBurst, int attributes, int bytesPerInterval) {
            return new byte[] {6, 0x30, (byte) maxBurst, (byte) attributes, (byte) bytesPerInterval,
                (byte) (bytesPerInterval >>> 8)};
        }

        /** Any descriptor: length and type are filled in. */
        static byte[] raw(int type, int... body) {
            byte[] d = new byte[2 + body.length];
            d[0] = (byte) d.length;
            d[1] = (byte) type;
            for (int i = 0; i < body.length; i++) {
                d[2 + i] = (byte) body[i];
            }
            return d;
        }
    }

    // ---- lifecycle, driven by Gadget -------------------------------------------------------

    /**
     * Mounts the function's FunctionFS instance (its configfs directory {@code ffs.NAME} must exist),
     * writes descriptors and strings, opens the endpoint files and starts the ep0 thread.
     */
    void start() throws IOException {
        mount = Path.of("/dev/ffs-" + name);
        Files.createDirectories(mount);
        Lab.check("mount", "-t", "functionfs", name, mount.toString());
        ep0 = FileChannel.open(mount.resolve("ep0"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        writeFully(ep0, descriptors);
        writeFully(ep0, strings);
        for (int i = 1; i <= endpointCount; i++) {
            endpoints.add(FileChannel.open(mount.resolve("ep" + i), StandardOpenOption.READ, StandardOpenOption.WRITE));
        }
        ep0Thread = Thread.ofPlatform().daemon(true).name("ffs-ep0-" + name).start(this::ep0Loop);
    }

    private void ep0Loop() {
        ByteBuffer buf = ByteBuffer.allocate(EVENT_SIZE * 4).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (!closing) {
                buf.clear();
                int n = ep0.read(buf);
                for (int off = 0; off + EVENT_SIZE <= n; off += EVENT_SIZE) {
                    int type = buf.get(off + 8) & 0xff;
                    Event e = type < Event.values().length ? Event.values()[type] : null;
                    if (e == null) {
                        continue;
                    }
                    events.add(e);
                    if (e == Event.ENABLE) {
                        enabled.complete(null);
                    } else if (e == Event.SETUP) {
                        Setup s = new Setup(buf.get(off) & 0xff, buf.get(off + 1) & 0xff, buf.getShort(off + 2) & 0xffff,
                                buf.getShort(off + 4) & 0xffff, buf.getShort(off + 6) & 0xffff);
                        setups.add(s);
                        reply(s, handler.onSetup(s));
                    }
                }
            }
        } catch (ClosedChannelException e) {
            // closed by close() or by Reply.die()
        } catch (Throwable e) {
            if (!closing) {
                ep0Failure = e;
            }
        }
    }

    private void reply(Setup s, Reply r) throws IOException {
        try {
            switch (r) {
                case Delayed d -> {
                    Thread.sleep(d.delay());
                    reply(s, d.then());
                }
                case Die d -> crash();
                case Never n -> {
                    // leave the request unanswered; the next SETUP replaces it
                }
                case Data d -> {
                    // wLength 0 takes a zero-length answer: FunctionFS clamps to wLength, Java writes >= 1 byte
                    byte[] b = d.bytes().length == 0 ? new byte[1] : d.bytes();
                    writeFully(ep0, b);
                }
                case Accept a -> {
                    // reading the data stage (clamped to wLength; 1 byte when it is 0) completes the request
                    ByteBuffer d = ByteBuffer.allocate(Math.max(1, s.length()));
                    int got = ep0.read(d);
                    received.add(java.util.Arrays.copyOf(d.array(), Math.max(0, got)));
                }
                case Stall st -> {
                    // an I/O opposite to the request's direction stalls ep0; FunctionFS answers EL2HLT
                    if (s.in()) {
                        ep0.read(ByteBuffer.allocate(1));
                    } else {
                        ep0.write(ByteBuffer.wrap(new byte[1]));
                    }
                }
            }
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            // a stall answers EL2HLT; a request the host gave up on answers EIDRM: both expected
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeFully(FileChannel ch, byte[] b) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    /** Waits (at most 15 s) until the host has configured the device and the function is enabled. */
    void awaitEnabled() {
        try {
            enabled.get(15, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("FunctionFS " + name + " not enabled within 15 s; events " + events, e);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** The events ep0 has seen so far, in order. */
    List<Event> events() {
        return List.copyOf(events);
    }

    /** The SETUPs the host sent to this function so far. */
    List<Setup> setups() {
        return List.copyOf(setups);
    }

    /** The data stages of the OUT requests accepted so far. */
    List<byte[]> received() {
        return List.copyOf(received);
    }

    /** Endpoint file {@code n} (1-based, in descriptor order). */
    FileChannel endpoint(int n) {
        return endpoints.get(n - 1);
    }

    /**
     * Writes {@code data} to IN endpoint {@code n} on a helper thread: it completes when the host
     * has read it (one USB transfer from the device's side) with the bytes written.
     */
    CompletableFuture<Integer> send(int n, byte[] data) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                f.complete(endpoint(n).write(ByteBuffer.wrap(data)));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** Reads one transfer from OUT endpoint {@code n} on a helper thread. */
    CompletableFuture<byte[]> receive(int n, int max) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                ByteBuffer b = ByteBuffer.allocate(max);
                int got = endpoint(n).read(b);
                f.complete(java.util.Arrays.copyOf(b.array(), got));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /**
     * Halts endpoint {@code n} from the device's side: FunctionFS sets the halt when a file is
     * used against its endpoint's direction. {@code in} is the endpoint's direction.
     */
    void halt(int n, boolean in) {
        try {
            if (in) {
                endpoint(n).read(ByteBuffer.allocate(1));
            } else {
                endpoint(n).write(ByteBuffer.wrap(new byte[1]));
            }
            throw new AssertionError("FunctionFS did not halt ep" + n);
        } catch (IOException expected) {
            // EBADMSG: the endpoint is halted
        }
    }

    /** Closes every file of the function at once: the process behind the device has died. */
    void crash() {
        closing = true;
        for (FileChannel ch : endpoints) {
            closeQuietly(ch);
        }
        closeQuietly(ep0);
    }

    /** A failure of the ep0 thread, rethrown, for tests to check at the end. */
    void checkHealthy() {
        if (ep0Failure != null) {
            throw new AssertionError("FunctionFS ep0 thread failed", ep0Failure);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) {
            // closing a dead function's files
        }
    }

    /** Closes the files, stops the ep0 thread and unmounts; the gadget is unbound first. */
    @Override
    public void close() {
        crash();
        if (ep0Thread != null) {
            try {
                ep0Thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (mount != null) {
            Lab.run(List.of("umount", mount.toString()));
            try {
                Files.deleteIfExists(mount);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
