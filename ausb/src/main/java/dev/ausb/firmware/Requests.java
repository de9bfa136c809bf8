package dev.ausb.firmware;

import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbTransferFuture;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * The vendor request both Cypress boot loaders answer ({@code 0xA0}, "firmware load"), written and
 * read back in chunks, waited for with a bound. Shared by {@link Fx2Loader} and {@link Fx3Loader}.
 */
final class Requests {
    /** Vendor request 0xA0: write ({@code OUT}) or read ({@code IN}) the chip's memory. */
    static final int FIRMWARE_LOAD = 0xA0;

    private Requests() {}

    static UsbControlRequest out(int value, int index) {
        return UsbControlRequest.of(UsbControlRequest.Type.VENDOR, UsbControlRequest.Recipient.DEVICE, FIRMWARE_LOAD,
                value, index);
    }

    /**
     * Writes {@code data} from {@code offset} at {@code address}, {@code chunk} bytes per request,
     * reading each chunk back if {@code verify}: wValue is the address's low 16 bits, wIndex its high
     * 16 if {@code wideAddress} (FX3), else 0 (FX2).
     */
    static void write(UsbDeviceHandle h, FirmwareSegment s, int chunk, boolean verify,
            Duration timeout, boolean wideAddress) throws FirmwareLoadException {
        byte[] buf = new byte[chunk];
        for (int off = 0; off < s.length(); off += chunk) {
            int n = Math.min(chunk, s.length() - off);
            byte[] part = n == chunk ? buf : new byte[n];
            s.copyTo(off, part, 0, n);
            long a = s.address() + off;
            int value = (int) (a & 0xffff);
            int index = wideAddress ? (int) (a >>> 16) : 0;
            int wrote = await(h.controlOut(out(value, index), part, timeout));
            if (wrote != n) {
                throw FirmwareLoadException.shortWrite(a, wrote, n);
            }
            if (verify) {
                UsbControlRequest in = UsbControlRequest.of(UsbControlRequest.Type.VENDOR,
                        UsbControlRequest.Recipient.DEVICE, FIRMWARE_LOAD, value, index);
                byte[] back = await(h.controlIn(in, n, timeout));
                if (back.length != n) {
                    throw FirmwareLoadException.shortRead(a, back.length, n);
                }
                for (int i = 0; i < n; i++) {
                    if (back[i] != part[i]) {
                        throw FirmwareLoadException.mismatch(a + i, part[i] & 0xff, back[i] & 0xff);
                    }
                }
            }
        }
    }

    /**
     * Sends the request that starts the firmware (FX2: CPUCS = 0; FX3: the jump), which a chip may
     * answer by leaving the bus before the status stage reaches the host, as {@code fxload} allows:
     * that ends the transfer device-gone, or with libusb's generic transfer error if the device is
     * still listed a second later. Those are returned, not thrown (null if it was answered); a stall,
     * a timeout, a refused submission or a short write is thrown.
     */
    static dev.ausb.UsbException start(UsbDeviceHandle h, UsbControlRequest request, byte[] data, Duration timeout)
            throws FirmwareLoadException {
        try {
            int n = await(h.controlOut(request, data, timeout));
            if (n != data.length) {
                throw FirmwareLoadException.shortWrite(request.value(), n, data.length);
            }
            return null;
        } catch (dev.ausb.UsbDeviceGoneException e) {
            return e;
        } catch (dev.ausb.UsbTransferException e) {
            if ("LIBUSB_TRANSFER_ERROR".equals(e.errorName())) {
                return e;
            }
            throw e;
        }
    }

    /**
     * Reopens the device a load started ({@link UsbDeviceHandle#reopen(dev.ausb.UsbDeviceFilter, Duration)});
     * if that fails, how the start request ended ({@code left}, when it was tolerated) is added to
     * the failure as suppressed: a device gone before the request was sent looks the same.
     */
    static UsbDeviceHandle reopenAfter(UsbDeviceHandle h, dev.ausb.UsbException left, dev.ausb.UsbDeviceFilter expected,
            Duration timeout) {
        try {
            return h.reopen(expected, timeout);
        } catch (RuntimeException e) {
            if (left != null) {
                e.addSuppressed(left);
            }
            throw e;
        }
    }

    /** {@code timeout}, checked positive (a loader's per-request bound). */
    static Duration positive(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a timeout is positive: " + timeout);
        }
        return timeout;
    }

    /** The transfer's result, waited for; its own failure (a {@code UsbException}) thrown as it is. */
    static <T> T await(UsbTransferFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading firmware", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
