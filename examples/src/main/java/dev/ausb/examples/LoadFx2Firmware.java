package dev.ausb.examples;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbException;
import dev.ausb.firmware.Fx2Loader;
import dev.ausb.firmware.IntelHex;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Loads firmware into a Cypress EZ-USB FX2LP's RAM, as {@code fxload} does, and prints the device
 * the firmware makes of it. A blank FX2LP enumerates with its boot ROM's ids ({@code 04b4:8613});
 * the loader holds its 8051 in reset, writes the Intel HEX image through vendor request 0xA0,
 * reads each chunk back, and lets the CPU run. The firmware then disconnects and comes back with
 * ids of its own ("renumeration"), on the same port; the program waits for it and opens it.
 *
 * <p>Usage: {@code LoadFx2Firmware VID:PID FILE.ihx EXPECTED_VID:PID SECONDS}, for example
 * {@code LoadFx2Firmware 04b4:8613 firmware.ihx 04b4:1004 10}.
 */
public final class LoadFx2Firmware {
    private static final String USAGE =
            "usage: LoadFx2Firmware VID:PID FILE.ihx EXPECTED_VID:PID SECONDS   (e.g. 04b4:8613 fw.ihx 04b4:1004 10)";

    private LoadFx2Firmware() {}

    /**
     * Runs the program and exits with its status when that is not 0.
     *
     * @param args the boot device's VID:PID, the firmware file, the firmware's VID:PID and the
     *     seconds to wait for it
     */
    public static void main(String[] args) {
        int status = run(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the program.
     *
     * @param args the boot device's VID:PID, the firmware file, the firmware's VID:PID and the
     *     seconds to wait for it
     * @return the exit status: 0 when the firmware came back, 1 when the file or the load failed
     *     or the firmware did not come back in time, 2 for bad arguments
     */
    public static int run(String... args) {
        UsbDeviceFilter bootRom;
        UsbDeviceFilter expected;
        int seconds;
        try {
            Args.count(args, 4, 4);
            bootRom = Args.vidPid("the boot device", args[0]);
            expected = Args.vidPid("EXPECTED_VID:PID", args[2]);
            seconds = Args.positive("SECONDS", args[3], 3600);
        } catch (IllegalArgumentException e) {
            return Args.usage(USAGE, e.getMessage());
        }
        Path file = Path.of(args[1]);
        try (UsbContext usb = UsbContext.create()) {
            // @start region="fx2-load"
            IntelHex image = IntelHex.read(file); // checked record by record; a .ihx.gz works too
            UsbDevice boot = usb.findOne(bootRom);
            long start = System.nanoTime();
            // halt, write and verify, run; then wait for the firmware on the same port and open it
            // (the boot device's handle is closed by then: that device is gone)
            try (UsbDeviceHandle firmware = Fx2Loader.of(boot.open())
                    .loadAndReopen(image, expected, Duration.ofSeconds(seconds))) {
                System.out.printf("loaded %d bytes in %d segments into %s%n", image.size(),
                        image.segments().size(), boot);
                System.out.printf("back after %d ms as %s, %s%n", (System.nanoTime() - start) / 1_000_000,
                        firmware.device(), firmware.readStrings().product().orElse("(no product name)"));
            }
            // @end
            return 0;
        } catch (UsbException | IllegalArgumentException | IOException e) {
            // IOException: the file unreadable or malformed (FirmwareFormatException), or a chunk
            // that read back wrong (FirmwareLoadException, with its address)
            System.err.println("LoadFx2Firmware: " + e.getMessage());
            return 1;
        }
    }
}
