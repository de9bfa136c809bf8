package dev.ausb.internal;

import dev.ausb.UsbBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;

/**
 * An IN endpoint as an {@link InputStream}: a subscriber of the endpoint's publisher that keeps N
 * transfers of demand outstanding and copies out of the current buffer.
 */
final class StreamInputStream extends InputStream implements Flow.Subscriber<UsbBuffer> {
    private static final UsbBuffer END = new UsbBuffer() {
        @Override
        public MemorySegment segment() {
            return MemorySegment.NULL;
        }

        @Override
        public int length() {
            return 0;
        }

        @Override
        public long sequence() {
            return -1;
        }

        @Override
        public void close() {}
    };

    private final int window;
    private final BlockingQueue<UsbBuffer> queue;
    private volatile Flow.Subscription subscription;
    private volatile Throwable failure;
    private volatile UsbBuffer current;
    private volatile int position;
    private boolean ended;
    private volatile boolean closed;

    StreamInputStream(int window) {
        this.window = window;
        this.queue = new ArrayBlockingQueue<>(window + 1);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(window);
    }

    @Override
    public void onNext(UsbBuffer item) {
        if (closed || !queue.offer(item)) { // never more than the window: demand is what the queue can hold
            item.close();
        }
    }

    @Override
    public void onError(Throwable t) {
        failure = t;
        queue.offer(END);
    }

    @Override
    public void onComplete() {
        queue.offer(END);
    }

    /**
     * Makes {@link #current} a buffer with unread bytes; false at the end. It waits in
     * {@code queue.take()} holding the monitor, but {@link #close()} does not need the monitor: it
     * cancels the subscription and wakes the taker with {@link #END}.
     */
    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        while (current == null || position == current.length()) {
            if (ended) {
                return false;
            }
            if (current != null) {
                current.close();
                current = null;
                subscription.request(1);
            }
            UsbBuffer next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for USB data");
            }
            if (next == END) {
                ended = true;
                if (closed) {
                    throw new IOException("stream closed");
                }
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                return false;
            }
            current = next;
            position = 0;
        }
        return true;
    }

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current.segment().get(ValueLayout.JAVA_BYTE, position++) & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int k = Math.min(len, current.length() - position);
        MemorySegment.copy(current.segment(), ValueLayout.JAVA_BYTE, position, b, off, k);
        position += k;
        return k;
    }

    /** An estimate, without waiting for a read in progress. */
    @Override
    public int available() {
        UsbBuffer c = current;
        return c == null || closed ? 0 : Math.max(0, c.length() - position);
    }

    /** Stops the stream; a read blocked in another thread ends with an IOException. Never waits for a reader. */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        for (UsbBuffer b; (b = queue.poll()) != null;) {
            b.close();
        }
        queue.offer(END); // wakes a reader blocked in take()
        if (s instanceof InStreamImpl stream) {
            stream.awaitStopped(); // the endpoint is free when close returns (not on the stream's own threads)
        }
        Thread.ofVirtual().name("ausb-input-close").start(() -> {
            synchronized (this) { // once no read is running: give back the buffer it had
                if (current != null) {
                    current.close();
                    current = null;
                }
                for (UsbBuffer b; (b = queue.poll()) != null;) {
                    b.close();
                }
            }
        });
    }
}
