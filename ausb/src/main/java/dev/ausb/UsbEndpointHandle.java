package dev.ausb;

import java.time.Duration;

/**
 * What IN and OUT endpoint handles share: their descriptor, their default timeout and halt recovery.
 *
 * <p>An endpoint handle is a queue of transfers: transfers submitted on it reach the device in the
 * order they were submitted, and any number may be in flight. Thread-safe.
 */
public sealed interface UsbEndpointHandle permits UsbInEndpoint, UsbOutEndpoint {

    /** The endpoint's descriptor. */
    UsbEndpoint descriptor();

    /** The endpoint address. */
    default int address() {
        return descriptor().address();
    }

    /** The interface handle it belongs to. */
    UsbInterfaceHandle interfaceHandle();

    /**
     * The timeout libusb applies to each transfer of this endpoint that does not name its own;
     * {@link Duration#ZERO} (the default) means none: the transfer waits until it completes or is
     * cancelled.
     *
     * @throws IllegalArgumentException if negative or beyond 2^32-1 ms
     */
    void setTimeout(Duration timeout);

    /** The default transfer timeout; {@link Duration#ZERO} for none. */
    Duration timeout();

    /**
     * Clears a halt (stall) of the endpoint: CLEAR_FEATURE(ENDPOINT_HALT) and a reset of the
     * host's data toggle. Does I/O; blocks until the device answers.
     *
     * @throws UsbException if it fails
     */
    void clearHalt();
}
