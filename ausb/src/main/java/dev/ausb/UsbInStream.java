package dev.ausb;

import java.util.concurrent.CompletableFuture;

/**
 * A running IN stream: transfers kept in flight on one endpoint, their data delivered in order.
 *
 * <p>Obtained from {@link UsbInEndpoint#stream}. It ends when closed, when a transfer fails (a
 * stall, the device gone...) or when its handle closes; then every transfer in flight has been
 * cancelled and handed back, and {@link #done()} completes, normally after {@link #close()} and
 * exceptionally with the failure otherwise. Thread-safe.
 */
public interface UsbInStream extends AutoCloseable {

    /**
     * Completes when the stream has ended and libusb has handed back all its transfers.
     *
     * @return a future that completes normally after {@link #close()}, exceptionally with the failure
     *         that ended the stream otherwise
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

    /** Stops the stream, cancels its transfers and waits until they are handed back. Idempotent. */
    @Override
    void close();
}
