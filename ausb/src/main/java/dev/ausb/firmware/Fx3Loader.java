package dev.ausb.firmware;

import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbException;
import java.time.Duration;
import java.util.Objects;

/**
 * Loads a firmware image into a Cypress EZ-USB FX3 (or FX3S, CX3, FX2G2) through its USB boot
 * loader, as libusb's {@code fxload} ({@code fx3_load_ram}) does: each section written with vendor
 * request {@code 0xA0} (wValue the address's low 16 bits, wIndex its high 16) in chunks of up to
 * 4 KiB, each read back, then a request with no data at the entry point, which starts the firmware.
 * (Cypress' {@code download_fx3} writes 2 KiB chunks and reads nothing back.)
 *
 * <p>The boot loader enumerates at high speed ({@code 04b4:00f3}); firmware that runs at
 * SuperSpeed comes back on the other root hub of the same USB 3 port, which
 * {@link #loadAndReopen} finds (see {@link UsbDeviceHandle#reopen(UsbDeviceFilter, Duration)}).
 *
 * <pre>{@code
 * UsbDeviceHandle boot = usb.findOne(UsbDeviceFilter.of(0x04b4, 0x00f3)).open(); // closed by the load
 * try (UsbDeviceHandle fw = Fx3Loader.of(boot).loadAndReopen(Fx3Image.read(Path.of("fw.img")),
 *         UsbDeviceFilter.of(0x04b4, 0x00f1), Duration.ofSeconds(10))) {
 *     ...
 * }
 * }</pre>
 *
 * <p>The calls block, each request bounded by {@link #timeout(Duration)}; they are not for the
 * context's event thread (the first wait fails there, after the first request went out). An
 * interrupt cancels the request in flight and fails the load with {@link IllegalStateException}.
 * A loader is immutable.
 */
public final class Fx3Loader {
    /** The largest request this loader sends (as {@code fxload}; the boot loader's EP0 buffer is 4 KiB). */
    public static final int MAX_CHUNK = 4096;

    private final UsbDeviceHandle handle;
    private final int chunk;
    private final boolean verify;
    private final Duration timeout;

    private Fx3Loader(UsbDeviceHandle handle, int chunk, boolean verify, Duration timeout) {
        this.handle = handle;
        this.chunk = chunk;
        this.verify = verify;
        this.timeout = timeout;
    }

    /**
     * A loader on an open handle of the boot loader: 4 KiB chunks, verified, 2 s per request.
     *
     * @param handle an open handle of the FX3's USB boot loader ({@code 04b4:00f3} unless the board says otherwise)
     * @return a loader with {@link #MAX_CHUNK}-byte chunks, verifying
     */
    public static Fx3Loader of(UsbDeviceHandle handle) {
        return new Fx3Loader(Objects.requireNonNull(handle, "handle"), MAX_CHUNK, true, Duration.ofSeconds(2));
    }

    /**
     * This loader writing {@code bytes} per request (4 to 4096, whole 32-bit words).
     *
     * @param bytes the data bytes per vendor request, 4..4096, a multiple of 4
     * @return a new loader; this one is unchanged
     * @throws IllegalArgumentException if {@code bytes} is not 4..4096 or not a multiple of 4
     */
    public Fx3Loader chunkSize(int bytes) {
        if (bytes < 4 || bytes > MAX_CHUNK || bytes % 4 != 0) {
            throw new IllegalArgumentException("a chunk is 4 to 4096 bytes in whole words, not " + bytes);
        }
        return new Fx3Loader(handle, bytes, verify, timeout);
    }

    /**
     * This loader with or without reading each chunk back.
     *
     * @param verify true to read each chunk back and compare it (the default), false to skip that
     * @return a new loader; this one is unchanged
     */
    public Fx3Loader verify(boolean verify) {
        return new Fx3Loader(handle, chunk, verify, timeout);
    }

    /**
     * This loader bounding each control request by {@code timeout} (positive).
     *
     * @param timeout how long each control request may take, positive (the default is 2 s)
     * @return a new loader; this one is unchanged
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Fx3Loader timeout(Duration timeout) {
        return new Fx3Loader(handle, chunk, verify, Requests.positive(timeout));
    }

    /**
     * Writes every section (each chunk read back unless {@link #verify(boolean)} is off), then
     * jumps to the entry point. The device leaving the bus in answer to the jump (the transfer
     * ending device-gone, or with libusb's generic transfer error) is what the boot loader does and
     * not an error; a stall or a timeout is.
     *
     * @param image the firmware image, its sections and entry point
     * @throws FirmwareLoadException if the device took or kept other bytes than were written (no jump)
     * @throws dev.ausb.UsbException if a request fails
     */
    public void load(Fx3Image image) throws FirmwareLoadException {
        loadReturningLeave(image);
    }

    /** Loads; returns the failure the jump ended with if the chip left the bus answering it. */
    private UsbException loadReturningLeave(Fx3Image image) throws FirmwareLoadException {
        Objects.requireNonNull(image, "image");
        for (FirmwareSegment s : image.sections()) {
            Requests.write(handle, s, chunk, verify, timeout, true);
        }
        long entry = image.entryPoint();
        return Requests.start(handle, Requests.out((int) (entry & 0xffff), (int) (entry >>> 16)), new byte[0], timeout);
    }

    /**
     * {@link #load}, then waits for the device to come back running the firmware and opens it: on
     * the same port, or on its USB 3 peer port if the firmware runs at SuperSpeed. This handle is
     * closed.
     *
     * @param image the firmware image, its sections and entry point
     * @param expected what the firmware enumerates as, or {@link UsbDeviceFilter#any()}
     * @param timeout how long to wait for the device to come back, positive
     * @return a handle to the device running the firmware; the caller closes it
     * @throws IllegalArgumentException if the timeout is not positive
     * @throws FirmwareLoadException if the device took or kept other bytes than were written (no jump)
     * @throws dev.ausb.UsbTimeoutException if no device matching {@code expected} comes back in time
     * @throws dev.ausb.UsbException if a request fails
     */
    public UsbDeviceHandle loadAndReopen(Fx3Image image, UsbDeviceFilter expected, Duration timeout)
            throws FirmwareLoadException {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(timeout, "timeout");
        return Requests.reopenAfter(handle, loadReturningLeave(image), expected, timeout);
    }

    @Override
    public String toString() {
        return "Fx3Loader[" + chunk + "-byte chunks" + (verify ? ", verified" : "") + ", " + handle + "]";
    }
}
