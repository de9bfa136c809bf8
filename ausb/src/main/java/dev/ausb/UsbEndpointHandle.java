package dev.ausb;

import java.time.Duration;

/**
 * What IN and OUT endpoint handles share: their descriptor, their default timeout and halt recovery.
 *
 * <p>An endpoint handle is a queue of transfers: transfers submitted on it reach the device in the
 * order they were submitted, also across cancels (a transfer submitted while a cancelled one is not
 * yet handed back waits for it, and goes out in order), and any number may be in flight. There is
 * one handle per endpoint of a claimed interface: {@link UsbInterfaceHandle#inEndpoint(int)} returns
 * the same object each time, so its timeout, order and pending transfers are shared. A stream owns
 * its endpoint while it runs: one-shot transfers or a second stream on it fail with
 * {@link IllegalStateException}. Thread-safe.
 */
public sealed interface UsbEndpointHandle permits UsbInEndpoint, UsbOutEndpoint, UsbIsoInEndpoint, UsbIsoOutEndpoint {

    /**
     * The endpoint's descriptor.
     *
     * @return the endpoint's descriptor in the interface's current alternate setting
     */
    UsbEndpoint descriptor();

    /**
     * The endpoint address.
     *
     * @return {@code bEndpointAddress} with its direction bit, such as {@code 0x81}
     */
    default int address() {
        return descriptor().address();
    }

    /**
     * The interface handle it belongs to.
     *
     * @return the claimed interface whose endpoint this is
     */
    UsbInterfaceHandle interfaceHandle();

    /**
     * The timeout libusb applies to each transfer of this endpoint that does not name its own;
     * {@link Duration#ZERO} (the default) means none: the transfer waits until it completes or is
     * cancelled.
     *
     * @param timeout the default timeout, in milliseconds (a non-zero fraction counts as 1 ms);
     *                {@link Duration#ZERO} for none
     * @throws IllegalArgumentException if negative or beyond 2^32-1 ms
     */
    void setTimeout(Duration timeout);

    /**
     * The default transfer timeout; {@link Duration#ZERO} for none.
     *
     * @return the default timeout, in whole milliseconds
     */
    Duration timeout();

    /**
     * Clears a halt (stall) of the endpoint: CLEAR_FEATURE(ENDPOINT_HALT) and a reset of the
     * host's data toggle. Does I/O; blocks until the device answers.
     *
     * @throws UsbException if it fails
     */
    void clearHalt();

    /**
     * The transfers submitted on this endpoint handle and not yet handed back by libusb: those in
     * flight and those waiting behind a cancelled one. No I/O.
     *
     * @return how many transfers are submitted and not yet handed back
     */
    int pending();

    /**
     * Cancels every transfer of this endpoint not yet handed back (their futures complete with a
     * {@link java.util.concurrent.CancellationException}) and completes when libusb has handed them
     * all back, with what each moved, in submission order: for reads into ausb's buffers, the data
     * that had arrived is in {@link UsbTransferResult#partialData()}. Does not wait.
     *
     * @return a future of the cancelled transfers' results, in submission order; an empty list when
     *         none was pending
     */
    java.util.concurrent.CompletableFuture<java.util.List<UsbTransferResult>> cancelAll();

    /**
     * A control request addressed to this endpoint: recipient {@link UsbControlRequest.Recipient#ENDPOINT},
     * {@code wIndex} its address. Sent through endpoint 0 like every control request.
     *
     * @param type    the request's type: standard, class or vendor
     * @param request {@code bRequest}, 0..255
     * @param value   {@code wValue}, 0..0xffff
     * @return the request, not yet sent
     * @throws IllegalArgumentException if {@code request} or {@code value} does not fit
     */
    default UsbControlRequest request(UsbControlRequest.Type type, int request, int value) {
        return UsbControlRequest.of(type, UsbControlRequest.Recipient.ENDPOINT, request, value,
                descriptor().address());
    }

    /**
     * Sends a class or vendor request with an IN data stage to this endpoint.
     *
     * @param type    the request's type: standard, class or vendor
     * @param request {@code bRequest}, 0..255
     * @param value   {@code wValue}, 0..0xffff
     * @param length  the most bytes to read ({@code wLength}), 0..65535; the device may send fewer
     * @param timeout how long libusb lets the transfer take before it fails with
     *                {@link UsbTimeoutException}, in milliseconds, at most 2<sup>32</sup>-1 ms;
     *                {@link java.time.Duration#ZERO}: no limit
     * @return a future of the bytes the device returned
     * @throws IllegalStateException if the endpoint's interface was released
     * @throws IllegalArgumentException as {@link UsbDeviceHandle#controlIn(UsbControlRequest, int, Duration)}
     */
    default UsbTransferFuture<byte[]> controlIn(UsbControlRequest.Type type, int request, int value, int length,
            Duration timeout) {
        requireOpen();
        return interfaceHandle().deviceHandle().controlIn(request(type, request, value), length, timeout);
    }

    /**
     * Sends a class or vendor request with an OUT data stage to this endpoint.
     *
     * @param type    the request's type: standard, class or vendor
     * @param request {@code bRequest}, 0..255
     * @param value   {@code wValue}, 0..0xffff
     * @param data    the data stage, 0..65535 bytes, copied at the call
     * @param timeout how long libusb lets the transfer take before it fails with
     *                {@link UsbTimeoutException}, in milliseconds, at most 2<sup>32</sup>-1 ms;
     *                {@link java.time.Duration#ZERO}: no limit
     * @return a future of the number of bytes sent
     * @throws IllegalStateException if the endpoint's interface was released
     * @throws IllegalArgumentException as {@link UsbDeviceHandle#controlOut(UsbControlRequest, byte[], Duration)}
     */
    default UsbTransferFuture<Integer> controlOut(UsbControlRequest.Type type, int request, int value, byte[] data,
            Duration timeout) {
        requireOpen();
        return interfaceHandle().deviceHandle().controlOut(request(type, request, value), data, timeout);
    }

    /**
     * GET_STATUS of this endpoint: true if it is halted (bit 0).
     *
     * @return a future of true when the endpoint is halted, false when not
     * @throws IllegalStateException if the endpoint's interface was released
     */
    default UsbTransferFuture<Boolean> readHalted() {
        requireOpen();
        return (UsbTransferFuture<Boolean>) interfaceHandle().deviceHandle()
                .getStatus(UsbControlRequest.Recipient.ENDPOINT, descriptor().address()).thenApply(s -> (s & 1) != 0);
    }

    private void requireOpen() {
        if (!interfaceHandle().isOpen()) {
            throw new IllegalStateException(String.format("endpoint 0x%02x: its interface %d was released",
                    descriptor().address(), interfaceHandle().number()));
        }
    }
}
