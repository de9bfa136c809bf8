package dev.ausb.internal;

import dev.ausb.UsbAccessDeniedException;
import dev.ausb.UsbBusyException;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbException;
import dev.ausb.UsbIoException;
import dev.ausb.UsbNotFoundException;
import dev.ausb.UsbNotSupportedException;
import dev.ausb.UsbOverflowException;
import dev.ausb.UsbStallException;
import dev.ausb.UsbTimeoutException;
import dev.ausb.UsbTransferException;

/**
 * The one place libusb error codes and transfer statuses become exceptions.
 *
 * <p>Names and texts are ausb's own table of libusb.h, so the mapping works (and is tested)
 * without loading libusb.
 */
public final class Errors {
    private Errors() {}

    // enum libusb_error
    public static final int SUCCESS = 0;
    public static final int ERROR_IO = -1;
    public static final int ERROR_INVALID_PARAM = -2;
    public static final int ERROR_ACCESS = -3;
    public static final int ERROR_NO_DEVICE = -4;
    public static final int ERROR_NOT_FOUND = -5;
    public static final int ERROR_BUSY = -6;
    public static final int ERROR_TIMEOUT = -7;
    public static final int ERROR_OVERFLOW = -8;
    public static final int ERROR_PIPE = -9;
    public static final int ERROR_INTERRUPTED = -10;
    public static final int ERROR_NO_MEM = -11;
    public static final int ERROR_NOT_SUPPORTED = -12;
    public static final int ERROR_OTHER = -99;

    // enum libusb_transfer_status
    public static final int TRANSFER_COMPLETED = 0;
    public static final int TRANSFER_ERROR = 1;
    public static final int TRANSFER_TIMED_OUT = 2;
    public static final int TRANSFER_CANCELLED = 3;
    public static final int TRANSFER_STALL = 4;
    public static final int TRANSFER_NO_DEVICE = 5;
    public static final int TRANSFER_OVERFLOW = 6;

    /** libusb's name for an error code, such as {@code LIBUSB_ERROR_PIPE}. */
    public static String errorName(int code) {
        return switch (code) {
            case SUCCESS -> "LIBUSB_SUCCESS";
            case ERROR_IO -> "LIBUSB_ERROR_IO";
            case ERROR_INVALID_PARAM -> "LIBUSB_ERROR_INVALID_PARAM";
            case ERROR_ACCESS -> "LIBUSB_ERROR_ACCESS";
            case ERROR_NO_DEVICE -> "LIBUSB_ERROR_NO_DEVICE";
            case ERROR_NOT_FOUND -> "LIBUSB_ERROR_NOT_FOUND";
            case ERROR_BUSY -> "LIBUSB_ERROR_BUSY";
            case ERROR_TIMEOUT -> "LIBUSB_ERROR_TIMEOUT";
            case ERROR_OVERFLOW -> "LIBUSB_ERROR_OVERFLOW";
            case ERROR_PIPE -> "LIBUSB_ERROR_PIPE";
            case ERROR_INTERRUPTED -> "LIBUSB_ERROR_INTERRUPTED";
            case ERROR_NO_MEM -> "LIBUSB_ERROR_NO_MEM";
            case ERROR_NOT_SUPPORTED -> "LIBUSB_ERROR_NOT_SUPPORTED";
            case ERROR_OTHER -> "LIBUSB_ERROR_OTHER";
            default -> "LIBUSB_ERROR_" + code;
        };
    }

    /** A short description of an error code, as libusb_strerror gives in English. */
    public static String errorText(int code) {
        return switch (code) {
            case ERROR_IO -> "input/output error";
            case ERROR_INVALID_PARAM -> "invalid parameter";
            case ERROR_ACCESS -> "access denied (insufficient permissions)";
            case ERROR_NO_DEVICE -> "no such device (it may have been disconnected)";
            case ERROR_NOT_FOUND -> "entity not found";
            case ERROR_BUSY -> "resource busy";
            case ERROR_TIMEOUT -> "operation timed out";
            case ERROR_OVERFLOW -> "overflow";
            case ERROR_PIPE -> "pipe error (stall)";
            case ERROR_INTERRUPTED -> "system call interrupted";
            case ERROR_NO_MEM -> "insufficient memory";
            case ERROR_NOT_SUPPORTED -> "operation not supported or unimplemented on this platform";
            default -> "other error";
        };
    }

    /** libusb's name for a transfer status, such as {@code LIBUSB_TRANSFER_STALL}. */
    public static String statusName(int status) {
        return switch (status) {
            case TRANSFER_COMPLETED -> "LIBUSB_TRANSFER_COMPLETED";
            case TRANSFER_ERROR -> "LIBUSB_TRANSFER_ERROR";
            case TRANSFER_TIMED_OUT -> "LIBUSB_TRANSFER_TIMED_OUT";
            case TRANSFER_CANCELLED -> "LIBUSB_TRANSFER_CANCELLED";
            case TRANSFER_STALL -> "LIBUSB_TRANSFER_STALL";
            case TRANSFER_NO_DEVICE -> "LIBUSB_TRANSFER_NO_DEVICE";
            case TRANSFER_OVERFLOW -> "LIBUSB_TRANSFER_OVERFLOW";
            default -> "LIBUSB_TRANSFER_STATUS_" + status;
        };
    }

    /**
     * The exception for a failed libusb call.
     *
     * @param code   libusb's (negative) return code
     * @param what   what failed, naming the device and operation: "open 1a0a:badd (bus 3, device 2)"
     * @param hint   extra advice to append, or {@code null}
     */
    public static UsbException of(int code, String what, String hint) {
        if (code == ERROR_NO_MEM && hint == null && System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT)
                .contains("linux")) {
            hint = "Linux limits the memory of transfers in flight to /sys/module/usbcore/parameters/usbfs_memory_mb "
                    + "(16 MB by default; 0 lifts the limit)";
        }
        String name = errorName(code);
        String msg = what + ": " + errorText(code) + " (" + name + ")" + (hint == null ? "" : "; " + hint);
        return switch (code) {
            case ERROR_ACCESS -> new UsbAccessDeniedException(msg, code, name, 0, null);
            case ERROR_NO_DEVICE -> new UsbDeviceGoneException(msg, code, name, 0, null);
            case ERROR_NOT_FOUND -> new UsbNotFoundException(msg, code, name, 0, null);
            case ERROR_BUSY -> new UsbBusyException(msg, code, name, 0, null);
            case ERROR_TIMEOUT -> new UsbTimeoutException(msg, code, name, 0, null);
            case ERROR_OVERFLOW -> new UsbOverflowException(msg, code, name, 0, null);
            case ERROR_PIPE -> new UsbStallException(msg, code, name, 0, null);
            case ERROR_NOT_SUPPORTED -> new UsbNotSupportedException(msg, code, name, 0, null);
            default -> new UsbIoException(msg, code, name, 0, null);
        };
    }

    /**
     * The exception for a transfer that ended with a status other than completed or cancelled.
     *
     * @param status libusb's transfer status
     * @param actual the bytes transferred before it ended
     * @param what   what failed: "bulk IN 0x81 of 1a0a:badd (bus 3, device 2), 512 bytes"
     */
    public static UsbException ofStatus(int status, int actual, String what) {
        String name = statusName(status);
        String base = what + ": ";
        return switch (status) {
            case TRANSFER_TIMED_OUT -> new UsbTimeoutException(base + "timed out after " + actual + " bytes (" + name + ")",
                    ERROR_TIMEOUT, name, actual, null);
            case TRANSFER_STALL -> new UsbStallException(base + "stalled after " + actual + " bytes (" + name + ")",
                    ERROR_PIPE, name, actual, null);
            case TRANSFER_NO_DEVICE -> new UsbDeviceGoneException(base + "device gone (" + name + ")",
                    ERROR_NO_DEVICE, name, actual, null);
            case TRANSFER_OVERFLOW -> new UsbOverflowException(base + "the device sent more than asked for, after "
                    + actual + " bytes (" + name + ")", ERROR_OVERFLOW, name, actual, null);
            default -> new UsbTransferException(base + "transfer failed after " + actual + " bytes (" + name + ")",
                    ERROR_IO, name, actual, null);
        };
    }

    /**
     * The exception for a transfer that failed with a generic error because its device was being
     * disconnected: a {@link UsbDeviceGoneException} whose cause is the original error.
     */
    public static UsbDeviceGoneException goneAfterError(UsbException error, String what) {
        String name = statusName(TRANSFER_NO_DEVICE);
        return new UsbDeviceGoneException(what + ": device gone (" + error.errorName() + " after "
                + error.bytesTransferred() + " bytes, then the device disconnected)", ERROR_NO_DEVICE, name,
                error.bytesTransferred(), error);
    }

    /** Throws the mapped exception when {@code code} is negative; returns it otherwise. */
    public static int check(int code, String what) {
        if (code < 0) {
            throw of(code, what, null);
        }
        return code;
    }

    /** The advice for access denied on this OS, naming the device. */
    public static String accessHint(int vendorId, int productId) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("linux")) {
            return String.format("grant access with a udev rule, e.g. in /etc/udev/rules.d/70-ausb.rules: "
                    + "SUBSYSTEM==\"usb\", ATTR{idVendor}==\"%04x\", ATTR{idProduct}==\"%04x\", TAG+=\"uaccess\", "
                    + "MODE=\"0660\", GROUP=\"plugdev\" then run: udevadm control --reload && udevadm trigger",
                    vendorId, productId);
        }
        if (os.contains("windows")) {
            return "install the WinUSB driver for the device (for example with Zadig)";
        }
        return "run with the needed permissions";
    }
}
