package dev.ausb;

import java.util.concurrent.CompletableFuture;

/**
 * A running IN stream: transfers kept in flight on one endpoint, their data delivered in order.
 *
 * <p>Obtained from {@link UsbInEndpoint#stream} or {@link UsbIsoInEndpoint#stream}. The contract:
 * <ul>
 * <li><b>Which thread runs the handler.</b> One thread, one transfer at a time, in the order the
 *     data arrived. By default that is the stream's own platform thread, named
 *     {@code ausb-stream-0xNN} after the endpoint, and a slow handler delays only this stream
 *     (the device waits: transfers are resubmitted as the handler returns). Under
 *     {@link UsbContext.Builder#completeOnEventThread()} the handler runs on the context's event
 *     thread, inside libusb's callback, and the buffer is resubmitted right there: the lowest
 *     latency, but a handler that blocks then stalls every transfer of the context, and must not
 *     wait for another transfer (that fails with {@link IllegalStateException}).</li>
 * <li><b>The buffer is borrowed.</b> The {@link UsbBuffer} is valid only until the handler
 *     returns; copy what you keep. Using it later throws {@link IllegalStateException}.</li>
 * <li><b>A handler that throws ends the stream.</b> Its exception is not caught and logged: the
 *     stream stops, cancels what is in flight and {@link #done()} completes exceptionally with
 *     that very exception (as it does with a {@link UsbException} when a transfer fails: a stall,
 *     the device gone...). No further handler call follows.</li>
 * <li><b>It ends</b> when closed, when a transfer fails, when the handler throws, or when its
 *     interface or device handle closes; by then every transfer has been cancelled and handed
 *     back by libusb, and {@code done()} completes: normally after {@link #close()}, exceptionally
 *     with the failure otherwise. It never restarts by itself.</li>
 * <li><b>{@link #close()} waits</b> for the handler call that is running (if any) to return and for
 *     libusb to hand every transfer back; then the buffers are freed. Called from the handler
 *     itself, or on the event thread, it only asks the stream to stop and returns at once (waiting
 *     there could never end); the stream then ends as soon as the handler returns.</li>
 * </ul>
 *
 * <p>To run a stream for a while and still see a failure, wait on {@link #done()} with a timeout:
 * it can complete before the timeout only by failing.
 * {@snippet file="dev/ausb/examples/StreamToFile.java" region="stream-for-a-time"}
 * {@code Thread.sleep} in a try-with-resources instead would hide a stream that failed at once.
 * Thread-safe.
 */
public interface UsbInStream extends AutoCloseable {

    /**
     * Completes when the stream has ended and libusb has handed back all its transfers: normally
     * after {@link #close()}, exceptionally with the failure that ended it otherwise (a
     * {@link UsbException}, or what the handler threw).
     *
     * @return the stream's end; each call returns the same future
     */
    CompletableFuture<Void> done();

    /**
     * Bytes delivered so far.
     *
     * @return the bytes of the transfers handed to the handler or subscriber so far
     */
    long bytesDelivered();

    /**
     * Transfers delivered so far.
     *
     * @return the number of transfers handed to the handler or subscriber so far
     */
    long transfersDelivered();

    /**
     * Stops the stream, cancels its transfers and waits until the running handler call (if any)
     * has returned and libusb has handed every transfer back. Idempotent. From the handler itself or
     * on the event thread it does not wait: the stream ends when the handler returns.
     */
    @Override
    void close();
}
