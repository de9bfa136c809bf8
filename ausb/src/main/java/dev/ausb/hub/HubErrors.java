package dev.ausb.hub;

import dev.ausb.UsbDevice;
import dev.ausb.UsbIoException;
import dev.ausb.UsbNotSupportedException;
import dev.ausb.UsbTimeoutException;

/** The failures of {@link UsbHub} that are its own, not a transfer's: libusb's codes and names. */
final class HubErrors {
    private HubErrors() {}

    static UsbIoException malformed(UsbDevice hub, String what, String why) {
        return new UsbIoException(String.format("read the %s of %s: the hub sent %s", what, hub, why), -1,
                "LIBUSB_ERROR_IO", 0, null);
    }

    static UsbIoException failed(UsbDevice hub, String what, String why) {
        return failed(hub, what, why, null);
    }

    static UsbIoException failed(UsbDevice hub, String what, String why, Throwable cause) {
        return new UsbIoException(what + " of " + hub + ": " + why, -1, "LIBUSB_ERROR_IO", 0, cause);
    }

    static UsbNotSupportedException notSupported(UsbDevice hub, String why) {
        return new UsbNotSupportedException("hub " + hub + ": " + why, -12, "LIBUSB_ERROR_NOT_SUPPORTED", 0, null);
    }

    static UsbTimeoutException timeout(UsbDevice hub, String what, String why) {
        return new UsbTimeoutException(what + " of " + hub + ": " + why, -7, "LIBUSB_ERROR_TIMEOUT", 0, null);
    }
}
