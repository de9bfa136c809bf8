package dev.ausb;

import java.util.List;

/**
 * A claimed interface: the owner of its endpoints' data transfers.
 *
 * <p>Obtained from {@link UsbDeviceHandle#claimInterface(int)}. Closing it (or its device handle)
 * cancels the transfers of its endpoints, waits until libusb has handed them back and releases
 * the interface. Closing twice is harmless. Thread-safe.
 */
public interface UsbInterfaceHandle extends AutoCloseable {

    /**
     * The interface number. No I/O.
     *
     * @return {@code bInterfaceNumber}, 0..255
     */
    int number();

    /**
     * The device handle it was claimed through.
     *
     * @return the device handle, which sends this interface's control requests
     */
    UsbDeviceHandle deviceHandle();

    /**
     * The interface's descriptors, all alternate settings. No I/O.
     *
     * @return the interface's descriptor tree as the device reported it
     */
    UsbInterface descriptor();

    /**
     * The alternate setting selected now (0 after claiming); no I/O.
     *
     * @return the selected alternate setting's descriptors and endpoints
     */
    UsbAlternateSetting alternateSetting();

    /**
     * Selects an alternate setting (SET_INTERFACE). Does I/O; blocks until the device answers.
     * Endpoint handles of the previous setting stop working.
     *
     * @param alternateSetting the setting's {@code bAlternateSetting}, one of {@link #descriptor()}'s
     * @throws IllegalArgumentException if the interface has no such alternate setting
     * @throws IllegalStateException    if the interface was released, or on the context's event thread
     * @throws UsbException             if the device refuses
     */
    void selectAlternateSetting(int alternateSetting);

    /**
     * A handle to an IN endpoint (bulk or interrupt) of the current alternate setting. No I/O.
     *
     * @param address the endpoint address, such as {@code 0x81}
     * @return the endpoint's handle, the same one for each call until the alternate setting changes
     * @throws IllegalArgumentException if the current alternate setting has no such endpoint, it is
     *                                  an OUT endpoint, or it is isochronous (use {@link #isoInEndpoint})
     * @throws IllegalStateException    if the interface was released
     */
    UsbInEndpoint inEndpoint(int address);

    /**
     * A handle to an OUT endpoint (bulk or interrupt) of the current alternate setting. No I/O.
     *
     * @param address the endpoint address, such as {@code 0x02}
     * @return the endpoint's handle, the same one for each call until the alternate setting changes
     * @throws IllegalArgumentException if the current alternate setting has no such endpoint, it is
     *                                  an IN endpoint, or it is isochronous (use {@link #isoOutEndpoint})
     * @throws IllegalStateException    if the interface was released
     */
    UsbOutEndpoint outEndpoint(int address);

    /**
     * A handle to an isochronous IN endpoint of the current alternate setting. No I/O.
     *
     * @param address the endpoint address, such as {@code 0x81}
     * @return the endpoint's handle, the same one for each call until the alternate setting changes
     * @throws IllegalArgumentException if the current alternate setting has no such endpoint, it is
     *                                  an OUT endpoint, or it is not isochronous
     * @throws IllegalStateException    if the interface was released
     */
    UsbIsoInEndpoint isoInEndpoint(int address);

    /**
     * A handle to an isochronous OUT endpoint of the current alternate setting. No I/O.
     *
     * @param address the endpoint address, such as {@code 0x02}
     * @return the endpoint's handle, the same one for each call until the alternate setting changes
     * @throws IllegalArgumentException if the current alternate setting has no such endpoint, it is
     *                                  an IN endpoint, or it is not isochronous
     * @throws IllegalStateException    if the interface was released
     */
    UsbIsoOutEndpoint isoOutEndpoint(int address);

    /**
     * Allocates USB 3 bulk streams: {@code count} streams on each of the bulk endpoints (of the
     * current alternate setting), numbered 1..n, for {@link UsbInEndpoint#readBulkStream} and
     * {@link UsbOutEndpoint#writeBulkStream} (UAS and other protocols that keep many commands in
     * flight on one endpoint). Does I/O. The streams last until {@link #freeBulkStreams}, a switch of
     * alternate setting, or the release of the interface.
     *
     * @param count             streams wanted per endpoint, 1..65533
     * @param endpointAddresses the endpoints, such as the status, data-in and data-out pipes of UAS
     * @return the streams allocated per endpoint: {@code count}, or fewer if the endpoints or the
     *         host controller offer fewer
     * @throws IllegalArgumentException if an address is not a bulk endpoint of the current setting,
     *                                  or the count is out of range
     * @throws IllegalStateException    if an endpoint has streams already, or the interface has
     *                                  transfers pending or a stream open (usbfs would end them: it
     *                                  kills the interface's transfers before it allocates); a
     *                                  transfer submitted on the interface while this runs is refused
     * @throws UsbNotSupportedException if the device is not at SuperSpeed, an endpoint's companion
     *                                  offers no streams, or the host controller has none (its
     *                                  driver is named)
     * @throws UsbException             if libusb fails otherwise
     */
    int allocateBulkStreams(int count, int... endpointAddresses);

    /**
     * Frees the bulk streams of the endpoints. Does I/O. A stream transfer submitted while this
     * runs is refused; one submitted on a stream just freed fails as the kernel says.
     *
     * @param endpointAddresses the endpoints whose streams to free, as given to {@link #allocateBulkStreams}
     * @throws IllegalStateException if an endpoint has no streams (nothing is freed then), or as for
     *                               {@link #allocateBulkStreams}, the interface has transfers pending
     * @throws UsbException          if libusb fails
     */
    void freeBulkStreams(int... endpointAddresses);

    /**
     * The bulk streams allocated on an endpoint (0 if none, or once released). No I/O.
     *
     * @param endpointAddress the endpoint's address with its direction bit, such as {@code 0x81}
     * @return how many streams the endpoint has, numbered 1..n; 0 if none
     */
    int bulkStreams(int endpointAddress);

    /**
     * The endpoints of the current alternate setting. No I/O.
     *
     * @return the endpoints' descriptors, in the order the device lists them
     */
    default List<UsbEndpoint> endpoints() {
        return alternateSetting().endpoints();
    }

    /**
     * True until closed, released, or its device handle closes.
     *
     * @return whether the interface is still claimed through this handle
     */
    boolean isOpen();

    /**
     * Cancels the endpoints' transfers, waits until they are handed back and releases the
     * interface. Idempotent; safe from any thread.
     */
    @Override
    void close();

    /**
     * A control request addressed to this interface: recipient {@link UsbControlRequest.Recipient#INTERFACE},
     * {@code wIndex} its number. Send it with {@link UsbDeviceHandle#controlIn} or
     * {@link UsbDeviceHandle#controlOut} on {@link #deviceHandle()}, or use {@link #controlIn} and
     * {@link #controlOut} here.
     *
     * @param type    the request's type: standard, class or vendor
     * @param request {@code bRequest}, 0..255
     * @param value   {@code wValue}, 0..0xffff
     * @return the request, not yet sent
     * @throws IllegalArgumentException if {@code request} or {@code value} does not fit
     */
    default UsbControlRequest request(UsbControlRequest.Type type, int request, int value) {
        return UsbControlRequest.of(type, UsbControlRequest.Recipient.INTERFACE, request, value, number());
    }

    /**
     * A control request addressed to an entity of this interface, as audio and video class requests
     * are: {@code wIndex} is {@code entity << 8 | number()}.
     *
     * @param type    the request's type: standard, class or vendor
     * @param request {@code bRequest}, 0..255
     * @param value   {@code wValue}, 0..0xffff
     * @param entity  the entity's id (a unit or terminal), 0..255; {@code wIndex}'s high byte
     * @return the request, not yet sent
     * @throws IllegalArgumentException if {@code entity} is not 0..255, or another field does not fit
     */
    default UsbControlRequest request(UsbControlRequest.Type type, int request, int value, int entity) {
        if (entity < 0 || entity > 0xff) {
            throw new IllegalArgumentException("an entity id is 8 bits, not " + entity);
        }
        return UsbControlRequest.of(type, UsbControlRequest.Recipient.INTERFACE, request, value,
                entity << 8 | number());
    }

    /**
     * Sends a class or vendor request with an IN data stage to this interface
     * ({@link #request(UsbControlRequest.Type, int, int)}).
     *
     * @param type    the request's type: standard, class or vendor
     * @param request {@code bRequest}, 0..255
     * @param value   {@code wValue}, 0..0xffff
     * @param length  the most bytes to read ({@code wLength}), 0..65535; the device may send fewer
     * @param timeout how long libusb lets the transfer take before it fails with
     *                {@link UsbTimeoutException}, in milliseconds; {@link java.time.Duration#ZERO}: no limit
     * @return a future of the bytes the device returned
     * @throws IllegalArgumentException as {@link UsbDeviceHandle#controlIn(UsbControlRequest, int, java.time.Duration)}
     * @throws IllegalStateException if this interface was released
     */
    default UsbTransferFuture<byte[]> controlIn(UsbControlRequest.Type type, int request, int value, int length,
            java.time.Duration timeout) {
        requireClaimed();
        return deviceHandle().controlIn(request(type, request, value), length, timeout);
    }

    /**
     * Sends a class or vendor request with an OUT data stage to this interface.
     *
     * @param type    the request's type: standard, class or vendor
     * @param request {@code bRequest}, 0..255
     * @param value   {@code wValue}, 0..0xffff
     * @param data    the data stage, 0..65535 bytes, copied at the call
     * @param timeout how long libusb lets the transfer take before it fails with
     *                {@link UsbTimeoutException}, in milliseconds; {@link java.time.Duration#ZERO}: no limit
     * @return a future of the number of bytes sent
     * @throws IllegalArgumentException as {@link UsbDeviceHandle#controlOut(UsbControlRequest, byte[], java.time.Duration)}
     * @throws IllegalStateException if this interface was released
     */
    default UsbTransferFuture<Integer> controlOut(UsbControlRequest.Type type, int request, int value, byte[] data,
            java.time.Duration timeout) {
        requireClaimed();
        return deviceHandle().controlOut(request(type, request, value), data, timeout);
    }

    private void requireClaimed() {
        if (!isOpen()) {
            throw new IllegalStateException("interface " + number() + " was released: claim it again to send it requests");
        }
    }
}
