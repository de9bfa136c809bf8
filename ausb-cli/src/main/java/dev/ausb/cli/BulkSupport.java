package dev.ausb.cli;

import dev.ausb.UsbTransferFuture;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The pieces of {@code read} and {@code write} around the transfers: stopping, progress, dump, zeros. */
final class BulkSupport {
    private BulkSupport() {}

    /**
     * Why a read or write ends before its bytes: a deadline or an interrupt (SIGINT). Stopping
     * cancels the transfers in flight, so the loop waiting on one returns at once; the bytes those
     * transfers had received are not counted. An interrupt waits (up to 5 s) until the command has
     * printed its summary and closed the device, so Ctrl-C leaves nothing in the kernel.
     */
    static final class Stop implements AutoCloseable {
        final Queue<UsbTransferFuture<?>> inFlight = new ConcurrentLinkedQueue<>();
        private volatile String reason;
        private volatile boolean interrupted;
        private final CountDownLatch finished = new CountDownLatch(1);
        private final Thread hook;
        private final Thread timer;

        /** Stops at {@code deadlineNanos} (of {@link System#nanoTime}, 0 for none); on SIGINT when {@code hook}. */
        Stop(long deadlineNanos, boolean hook) {
            this.hook = hook ? new Thread(this::interrupt, "ausb-interrupt") : null;
            if (this.hook != null) {
                Runtime.getRuntime().addShutdownHook(this.hook);
            }
            this.timer = deadlineNanos == 0 ? null : Thread.ofVirtual().start(() -> {
                try {
                    long left = deadlineNanos - System.nanoTime();
                    if (left > 0) {
                        TimeUnit.NANOSECONDS.sleep(left);
                    }
                    stop("the duration is over");
                } catch (InterruptedException closed) {
                    // the command ended first
                }
            });
        }

        private void interrupt() {
            interrupted = true;
            stop("interrupted");
            try {
                finished.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void stop(String why) {
            if (reason == null) {
                reason = why;
            }
            inFlight.forEach(f -> f.cancel(true));
        }

        /** Why it stopped, or null while it runs. */
        String reason() {
            return reason;
        }

        boolean interrupted() {
            return interrupted;
        }

        /** The command is done (summary printed, device closed): an interrupt may let the JVM end. */
        @Override
        public void close() {
            finished.countDown();
            if (timer != null) {
                timer.interrupt();
            }
            if (hook != null && !interrupted) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is ending anyway
                }
            }
        }
    }

    /** COUNT zero bytes. */
    static final class Zeros extends InputStream {
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

    /** Bytes as xxd dumps them, a line per 16 bytes, written as they come (a read may never end). */
    static final class HexDumpOutput extends OutputStream {
        private final PrintStream out;
        private final byte[] line = new byte[16];
        private int filled;
        private long offset;

        HexDumpOutput(PrintStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            line[filled++] = (byte) b;
            if (filled == 16) {
                flushLine();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }

        private void flushLine() {
            String dump = Options.hexDump(Arrays.copyOf(line, filled));
            out.print(String.format("%08x", offset) + dump.substring(8));
            offset += filled;
            filled = 0;
        }

        /** Writes the last, short line. */
        @Override
        public void close() {
            if (filled > 0) {
                flushLine();
            }
            out.flush();
        }
    }

    /** The progress line (twice a second) and the summary, on standard error. */
    static final class Progress {
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
}
