package dev.ausb.firmware;

import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import java.time.Duration;
import java.util.Objects;

/**
 * Loads firmware into the RAM of a Cypress EZ-USB FX2, FX2LP or AN21xx through its boot ROM, as
 * {@code fxload} does: hold the 8051 in reset (write 1 to {@code CPUCS}), write the image with
 * vendor request {@code 0xA0} in chunks, read each chunk back, then let the CPU run (write 0). The
 * firmware usually disconnects and comes back as another device ("renumeration");
 * {@link #loadAndReopen} waits for it.
 *
 * <pre>{@code
 * UsbDeviceHandle boot = usb.findOne(UsbDeviceFilter.of(0x04b4, 0x8613)).open(); // closed by the load
 * try (UsbDeviceHandle fw = Fx2Loader.of(boot).loadAndReopen(IntelHex.read(Path.of("fw.ihx")),
 *         UsbDeviceFilter.of(0x04b4, 0x1004), Duration.ofSeconds(10))) {
 *     ...
 * }
 * }</pre>
 *
 * <p>The boot ROM reaches only the chip's internal RAM (and on FX2/FX2LP its 512 bytes of scratch
 * RAM at {@code 0xE000}); an image with data elsewhere (external RAM, which needs a second-stage
 * loader) or over {@code CPUCS} is refused before anything is written. The calls block, each request
 * bounded by {@link #timeout(Duration)}; they are not for the context's event thread (the first wait
 * fails there, after the halt went out). An interrupt cancels the request in flight and fails the
 * load with {@link IllegalStateException}. A loader is immutable: its setters give a new one.
 *
 * <p>From the {@code LoadFx2Firmware} example:
 * {@snippet file="dev/ausb/examples/LoadFx2Firmware.java" region="fx2-load"}
 */
public final class Fx2Loader {
    /** The chip families, by where their {@code CPUCS} register and internal RAM are. */
    public enum Chip {
        /** CY7C68013A and kin: 16 KiB of internal RAM, CPUCS at 0xE600. */
        FX2LP(0xE600, 0x4000, true),
        /** The original CY7C68013: 8 KiB, CPUCS at 0xE600. */
        FX2(0xE600, 0x2000, true),
        /**
         * AN2131 and the other EZ-USB chips before FX2: CPUCS at 0x7F92; as {@code fxload}, only
         * 0x0000..0x1B3F (on 8 KiB parts the bulk buffers follow; 4 KiB parts exist too).
         */
        AN21(0x7F92, 0x1B40, false);

        private final int cpucs;
        private final int ramSize;
        private final boolean scratch;

        Chip(int cpucs, int ramSize, boolean scratch) {
            this.cpucs = cpucs;
            this.ramSize = ramSize;
            this.scratch = scratch;
        }

        /**
         * The address of the CPU control and status register (bit 0: 8051 in reset).
         *
         * @return the register's address in the chip's memory, such as {@code 0xE600}
         */
        public int cpucs() {
            return cpucs;
        }

        /**
         * The bytes of internal RAM from address 0 that the boot ROM loads.
         *
         * @return the size in bytes of the RAM the boot ROM loads, from address 0
         */
        public int ramSize() {
            return ramSize;
        }

        /** True if {@code [address, address + length)} is memory the boot ROM writes. */
        boolean writable(long address, long length) {
            long end = address + length;
            return end <= ramSize || scratch && address >= 0xE000 && end <= 0xE200;
        }
    }

    /** The default bytes per request (the boot ROM takes up to 4 KiB; {@code fxload} uses 1 KiB). */
    public static final int DEFAULT_CHUNK = 1024;

    private final UsbDeviceHandle handle;
    private final Chip chip;
    private final int chunk;
    private final boolean verify;
    private final Duration timeout;

    private Fx2Loader(UsbDeviceHandle handle, Chip chip, int chunk, boolean verify, Duration timeout) {
        this.handle = handle;
        this.chip = chip;
        this.chunk = chunk;
        this.verify = verify;
        this.timeout = timeout;
    }

    /**
     * A loader for an FX2LP (the usual chip) on an open handle, verifying, 1 s per request.
     *
     * @param handle an open handle of the device in its boot ROM (before any firmware runs)
     * @return a loader with {@link Chip#FX2LP}, {@link #DEFAULT_CHUNK}-byte chunks, verifying
     */
    public static Fx2Loader of(UsbDeviceHandle handle) {
        return new Fx2Loader(Objects.requireNonNull(handle, "handle"), Chip.FX2LP, DEFAULT_CHUNK, true,
                Duration.ofSeconds(1));
    }

    /**
     * This loader for another chip family.
     *
     * @param chip the chip family, which says where CPUCS and the loadable RAM are
     * @return a new loader; this one is unchanged
     */
    public Fx2Loader chip(Chip chip) {
        return new Fx2Loader(handle, Objects.requireNonNull(chip, "chip"), chunk, verify, timeout);
    }

    /**
     * This loader writing {@code bytes} per request (1 to 4096).
     *
     * @param bytes the data bytes per vendor request, 1..4096
     * @return a new loader; this one is unchanged
     * @throws IllegalArgumentException if {@code bytes} is not 1..4096
     */
    public Fx2Loader chunkSize(int bytes) {
        if (bytes < 1 || bytes > 4096) {
            throw new IllegalArgumentException("a chunk is 1 to 4096 bytes, not " + bytes);
        }
        return new Fx2Loader(handle, chip, bytes, verify, timeout);
    }

    /**
     * This loader with or without reading each chunk back.
     *
     * @param verify true to read each chunk back and compare it (the default), false to skip that
     * @return a new loader; this one is unchanged
     */
    public Fx2Loader verify(boolean verify) {
        return new Fx2Loader(handle, chip, chunk, verify, timeout);
    }

    /**
     * This loader bounding each control request by {@code timeout} (positive).
     *
     * @param timeout how long each control request may take, positive (the default is 1 s)
     * @return a new loader; this one is unchanged
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Fx2Loader timeout(Duration timeout) {
        return new Fx2Loader(handle, chip, chunk, verify, Requests.positive(timeout));
    }

    /** Holds the 8051 in reset. */
    public void halt() {
        cpucs(1);
    }

    /** Lets the 8051 run from address 0. */
    public void run() {
        cpucs(0);
    }

    /**
     * Halts the CPU, writes the image (each chunk read back unless {@link #verify(boolean)} is off)
     * and runs it. The image is checked against the chip's memory first: nothing is written if any
     * of it is out of the boot ROM's reach.
     *
     * @param image the firmware, its data at the chip's internal RAM addresses
     * @throws IllegalArgumentException if the image has data the boot ROM cannot write, or none
     * @throws FirmwareLoadException if the device took or kept other bytes than were written (the
     *     CPU stays halted)
     * @throws dev.ausb.UsbException if a request fails (the CPU may stay halted)
     */
    public void load(IntelHex image) throws FirmwareLoadException {
        loadReturningLeave(image);
    }

    /**
     * Loads; returns the failure the run request ended with if the firmware left the bus at once
     * (it may renumerate before the status stage reaches the host, which {@code fxload} allows too).
     */
    private dev.ausb.UsbException loadReturningLeave(IntelHex image) throws FirmwareLoadException {
        check(image);
        halt();
        for (FirmwareSegment s : image.segments()) {
            Requests.write(handle, s, chunk, verify, timeout, false);
        }
        return Requests.start(handle, Requests.out(chip.cpucs, 0), new byte[] {0}, timeout);
    }

    /**
     * {@link #load}, then waits for the device to come back running the firmware and opens it
     * ({@link UsbDeviceHandle#reopen(UsbDeviceFilter, Duration)}: this handle is closed, the device
     * is looked for on the same port).
     *
     * @param image the firmware, its data at the chip's internal RAM addresses
     * @param expected what the firmware enumerates as (its vendor and product), or
     *     {@link UsbDeviceFilter#any()} for whatever comes back on the port
     * @param timeout how long to wait for the device to come back, positive
     * @return a handle to the device running the firmware; the caller closes it
     * @throws IllegalArgumentException if the image has data the boot ROM cannot write, or none, or the
     *                                  timeout is not positive
     * @throws FirmwareLoadException if the device took or kept other bytes than were written
     * @throws dev.ausb.UsbTimeoutException if no device matching {@code expected} comes back in time
     * @throws dev.ausb.UsbException if a request fails
     */
    public UsbDeviceHandle loadAndReopen(IntelHex image, UsbDeviceFilter expected, Duration timeout)
            throws FirmwareLoadException {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(timeout, "timeout");
        return Requests.reopenAfter(handle, loadReturningLeave(image), expected, timeout);
    }

    private void check(IntelHex image) {
        if (image.segments().isEmpty()) {
            throw new IllegalArgumentException("the image has no data");
        }
        for (FirmwareSegment s : image.segments()) {
            if (s.address() <= chip.cpucs && s.end() > chip.cpucs) {
                throw new IllegalArgumentException(String.format(
                        "the image writes CPUCS (0x%04x), which the loader holds: %s", chip.cpucs, s));
            }
            if (!chip.writable(s.address(), s.length())) {
                throw new IllegalArgumentException(String.format(
                        "%s is outside what %s's boot ROM writes (0x0000..0x%04x%s): external RAM needs a second-stage loader",
                        s, chip, chip.ramSize - 1, chip.scratch ? " and 0xe000..0xe1ff" : ""));
            }
        }
    }

    private void cpucs(int value) {
        int n = Requests.await(handle.controlOut(Requests.out(chip.cpucs, 0), new byte[] {(byte) value}, timeout));
        if (n != 1) {
            // unchecked, as halt() and run() are: a device that takes no byte of a 1-byte write is no boot ROM
            throw new IllegalStateException(String.format("the device took %d bytes of the CPUCS (0x%04x) write",
                    n, chip.cpucs));
        }
    }

    @Override
    public String toString() {
        return "Fx2Loader[" + chip + ", " + chunk + "-byte chunks" + (verify ? ", verified" : "") + ", " + handle + "]";
    }
}
