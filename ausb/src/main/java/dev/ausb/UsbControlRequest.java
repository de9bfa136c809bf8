package dev.ausb;

/**
 * The setup stage of a control transfer, without its length: {@code bmRequestType},
 * {@code bRequest}, {@code wValue}, {@code wIndex}. The direction bit of {@code bmRequestType} is
 * set by the call that sends it ({@link UsbDeviceHandle#controlIn} or {@link UsbDeviceHandle#controlOut}).
 * Code ported from libraries that take the whole {@code bmRequestType} byte, direction bit included,
 * uses {@link #fromRaw} or {@link UsbDeviceHandle#control(int, int, int, int, int)}.
 *
 * <p>Immutable value; build one with the factories:
 * {@snippet :
 * var readBuffer = UsbControlRequest.vendor(UsbControlRequest.Recipient.DEVICE, 0x5c, 0, 0);
 * var getStatus = UsbControlRequest.standard(UsbControlRequest.Recipient.ENDPOINT,
 *         UsbControlRequest.GET_STATUS, 0, 0x81);
 * }
 *
 * @param requestType {@code bmRequestType} without the direction bit: type in bits 6..5, recipient in 4..0
 * @param request     {@code bRequest}
 * @param value       {@code wValue}
 * @param index       {@code wIndex}
 */
public record UsbControlRequest(int requestType, int request, int value, int index) {
    // The chapter 9 values most used, here for short call sites; all of them are in UsbStandardRequest.

    /** Standard request GET_STATUS. */
    public static final int GET_STATUS = UsbStandardRequest.GET_STATUS;
    /** Standard request CLEAR_FEATURE. */
    public static final int CLEAR_FEATURE = UsbStandardRequest.CLEAR_FEATURE;
    /** Standard request SET_FEATURE. */
    public static final int SET_FEATURE = UsbStandardRequest.SET_FEATURE;
    /** Standard request GET_DESCRIPTOR. */
    public static final int GET_DESCRIPTOR = UsbStandardRequest.GET_DESCRIPTOR;
    /** Standard request GET_CONFIGURATION. */
    public static final int GET_CONFIGURATION = UsbStandardRequest.GET_CONFIGURATION;
    /** Standard request SET_CONFIGURATION. */
    public static final int SET_CONFIGURATION = UsbStandardRequest.SET_CONFIGURATION;
    /** Standard request GET_INTERFACE. */
    public static final int GET_INTERFACE = UsbStandardRequest.GET_INTERFACE;
    /** Standard request SET_INTERFACE. */
    public static final int SET_INTERFACE = UsbStandardRequest.SET_INTERFACE;
    /** Feature selector ENDPOINT_HALT (recipient endpoint). */
    public static final int ENDPOINT_HALT = UsbFeature.ENDPOINT_HALT;
    /** Feature selector DEVICE_REMOTE_WAKEUP (recipient device). */
    public static final int DEVICE_REMOTE_WAKEUP = UsbFeature.DEVICE_REMOTE_WAKEUP;

    /** The kind of request, bits 6..5 of {@code bmRequestType}. */
    public enum Type {
        /** Defined by the USB specification, chapter 9. */
        STANDARD,
        /** Defined by a device class specification. */
        CLASS,
        /** Defined by the vendor. */
        VENDOR
    }

    /** Whom the request addresses, bits 4..0 of {@code bmRequestType}; {@code wIndex} names the interface or endpoint. */
    public enum Recipient {
        /** The device. */
        DEVICE,
        /** An interface: {@code wIndex} is its number. */
        INTERFACE,
        /** An endpoint: {@code wIndex} is its address. */
        ENDPOINT,
        /** Other (class-defined, such as a hub port). */
        OTHER
    }

    /**
     * Checks the field widths.
     *
     * @throws IllegalArgumentException if a field does not fit, the direction bit is set or the type is reserved
     */
    public UsbControlRequest {
        if (requestType < 0 || requestType > 0x7f) {
            throw new IllegalArgumentException(String.format(
                    "bmRequestType 0x%x: give it without the direction bit (0..0x7f)", requestType));
        }
        if ((requestType >> 5) == 3) {
            throw new IllegalArgumentException(String.format("bmRequestType 0x%x has the reserved type 3", requestType));
        }
        if (request < 0 || request > 0xff) {
            throw new IllegalArgumentException("bRequest is 8 bits, not " + request);
        }
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException("wValue is 16 bits, not " + value);
        }
        if (index < 0 || index > 0xffff) {
            throw new IllegalArgumentException("wIndex is 16 bits, not " + index);
        }
    }

    /**
     * A request from a whole {@code bmRequestType} byte as other libraries take it (libusb, node-usb,
     * PyUSB), the direction bit 7 included: the bit is dropped here (the call that sends the request
     * sets it) and {@link #direction(int)} tells which call that is.
     *
     * @param bmRequestType the whole {@code bmRequestType}, 0..0xff: direction in bit 7, type in bits
     *                      6..5, recipient in bits 4..0
     * @param request       {@code bRequest}, 0..255
     * @param value         {@code wValue}, 0..0xffff
     * @param index         {@code wIndex}, 0..0xffff
     * @return the request, its {@link #requestType()} without bit 7
     * @throws IllegalArgumentException if {@code bmRequestType} is not 0..0xff, its type is the reserved 3,
     *                                  or another field does not fit
     */
    public static UsbControlRequest fromRaw(int bmRequestType, int request, int value, int index) {
        if (bmRequestType < 0 || bmRequestType > 0xff) {
            throw new IllegalArgumentException("bmRequestType is 8 bits, not " + bmRequestType);
        }
        return new UsbControlRequest(bmRequestType & 0x7f, request, value, index);
    }

    /**
     * The direction bit 7 of a whole {@code bmRequestType} byte.
     *
     * @param bmRequestType a whole {@code bmRequestType} byte
     * @return {@link UsbDirection#IN} when bit 7 is set, else {@link UsbDirection#OUT}
     */
    public static UsbDirection direction(int bmRequestType) {
        return (bmRequestType & 0x80) != 0 ? UsbDirection.IN : UsbDirection.OUT;
    }

    /**
     * The whole {@code bmRequestType} byte of this request sent in {@code direction}.
     *
     * @param direction the data stage's direction: IN sets bit 7
     * @return {@link #requestType()} with bit 7 set for IN, clear for OUT
     */
    public int bmRequestType(UsbDirection direction) {
        return requestType | (direction == UsbDirection.IN ? 0x80 : 0);
    }

    /**
     * A request of the given type to the given recipient.
     *
     * @param type     standard, class or vendor
     * @param recipient whom it addresses; {@code wIndex} names the interface or endpoint where it is one
     * @param request   {@code bRequest}, 0..255
     * @param value     {@code wValue}, 0..0xffff
     * @param index     {@code wIndex}, 0..0xffff
     * @return the request
     * @throws IllegalArgumentException if a field does not fit
     */
    public static UsbControlRequest of(Type type, Recipient recipient, int request, int value, int index) {
        return new UsbControlRequest(type.ordinal() << 5 | recipient.ordinal(), request, value, index);
    }

    /**
     * A standard request.
     *
     * @param recipient whom it addresses; {@code wIndex} names the interface or endpoint where it is one
     * @param request   {@code bRequest}, 0..255 ({@link UsbStandardRequest})
     * @param value     {@code wValue}, 0..0xffff
     * @param index     {@code wIndex}, 0..0xffff
     * @return the request
     * @throws IllegalArgumentException if a field does not fit
     */
    public static UsbControlRequest standard(Recipient recipient, int request, int value, int index) {
        return of(Type.STANDARD, recipient, request, value, index);
    }

    /**
     * A class request.
     *
     * @param recipient whom it addresses; {@code wIndex} names the interface or endpoint where it is one
     * @param request   {@code bRequest}, 0..255, as the class specification defines it
     * @param value     {@code wValue}, 0..0xffff
     * @param index     {@code wIndex}, 0..0xffff
     * @return the request
     * @throws IllegalArgumentException if a field does not fit
     */
    public static UsbControlRequest classRequest(Recipient recipient, int request, int value, int index) {
        return of(Type.CLASS, recipient, request, value, index);
    }

    /**
     * A vendor request.
     *
     * @param recipient whom it addresses; {@code wIndex} names the interface or endpoint where it is one
     * @param request   {@code bRequest}, 0..255, as the vendor defines it
     * @param value     {@code wValue}, 0..0xffff
     * @param index     {@code wIndex}, 0..0xffff
     * @return the request
     * @throws IllegalArgumentException if a field does not fit
     */
    public static UsbControlRequest vendor(Recipient recipient, int request, int value, int index) {
        return of(Type.VENDOR, recipient, request, value, index);
    }

    /**
     * The request type.
     *
     * @return the type in bits 6..5 of {@link #requestType()}
     */
    public Type type() {
        return Type.values()[(requestType >> 5) & 0x3];
    }

    /**
     * The recipient (values above 3 are reported as {@link Recipient#OTHER}).
     *
     * @return the recipient in bits 4..0 of {@link #requestType()}
     */
    public Recipient recipient() {
        int r = requestType & 0x1f;
        return r < 4 ? Recipient.values()[r] : Recipient.OTHER;
    }

    @Override
    public String toString() {
        return String.format("control request 0x%02x (type 0x%02x, value 0x%04x, index 0x%04x)", request,
                requestType, value, index);
    }
}
