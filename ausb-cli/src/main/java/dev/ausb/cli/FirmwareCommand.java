package dev.ausb.cli;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.firmware.FirmwareFormatException;
import dev.ausb.firmware.FirmwareLoadException;
import dev.ausb.firmware.FirmwareSegment;
import dev.ausb.firmware.Fx2Loader;
import dev.ausb.firmware.Fx3Image;
import dev.ausb.firmware.Fx3Loader;
import dev.ausb.firmware.IntelHex;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code ausb fx2-load} and {@code ausb fx3-load}: a firmware file into a Cypress chip's boot loader,
 * then (unless {@code --no-wait}) the wait for the device the firmware makes of it.
 */
final class FirmwareCommand {
    static final String FX2_HELP = """
            usage: ausb fx2-load [--chip fx2lp|fx2|an21] [--no-verify] [--expect VID:PID] [--timeout SECONDS]
                                 [--no-wait] DEVICE FILE

            Loads an Intel HEX file (.ihx or .hex, gzip-compressed or not) into the RAM of a Cypress EZ-USB
            FX2LP, FX2 or AN21xx through its boot ROM: the 8051 is held in reset (CPUCS), the image written with
            vendor request 0xA0 and every chunk read back, then the CPU is let run. The file is checked whole
            before anything is sent; data out of the boot ROM's reach (external RAM) is refused.

            Then waits for the device to come back on the same port running the firmware (--expect: with
            these ids; default: whatever comes back) and prints it. DEVICE is VID:PID (or -d VID:PID), -s [BUS]:DEV or -p PATH (Linux's name: 3-1.2, usb3).

              --chip CHIP        fx2lp (default: 16 KiB, CPUCS 0xE600), fx2 (8 KiB), an21 (CPUCS 0x7F92)
              --no-verify        do not read each chunk back
              --expect VID:PID   the ids the firmware enumerates with
              --timeout SECONDS  how long to wait for it (default 10)
              --no-wait          exit once the CPU runs

            Exit codes: 0 loaded (and back), 1 USB error or the device did not keep the image, 2 usage or a
            malformed file, 3 no device matched, 4 several matched, 5 access denied, 6 no USB on this
            machine, 7 libusb missing.""";

    static final String FX3_HELP = """
            usage: ausb fx3-load [--no-verify] [--expect VID:PID] [--timeout SECONDS] [--no-wait]
                                 DEVICE FILE

            Loads a Cypress FX3 boot image (.img, as elf2img writes it; gzip-compressed or not) through the
            FX3's USB boot loader (04b4:00f3): the image's checksum is verified, each section written with
            vendor request 0xA0 and read back, then the boot loader jumps to the entry point. The firmware
            usually comes back at SuperSpeed on the other root hub of the same port; it is waited for there
            or on the same port (--expect: with these ids) and printed. DEVICE is VID:PID (or -d VID:PID), -s [BUS]:DEV or -p PATH (Linux's name: 3-1.2, usb3).

              --no-verify        do not read each chunk back
              --expect VID:PID   the ids the firmware enumerates with
              --timeout SECONDS  how long to wait for it (default 10)
              --no-wait          exit after the jump

            Exit codes: 0 loaded (and back), 1 USB error or the device did not keep the image, 2 usage or a
            malformed file, 3 no device matched, 4 several matched, 5 access denied, 6 no USB on this
            machine, 7 libusb missing.""";

    private FirmwareCommand() {}

    /** The parsed command line of either command. */
    record Args(boolean fx3, Fx2Loader.Chip chip, boolean verify, UsbDeviceFilter expect, Duration timeout,
            boolean waitForReturn, UsbDeviceFilter device, Path file) {}

    static Args parse(String command, List<String> rest) {
        boolean fx3 = command.equals("fx3-load");
        Fx2Loader.Chip chip = Fx2Loader.Chip.FX2LP;
        boolean verify = !rest.remove("--no-verify");
        boolean waitForReturn = !rest.remove("--no-wait");
        String chipName = Options.take(rest, "--chip");
        if (chipName != null) {
            if (fx3) {
                throw new Main.Usage("--chip is for fx2-load");
            }
            try {
                chip = Fx2Loader.Chip.valueOf(chipName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Main.Usage("--chip is fx2lp, fx2 or an21, not " + chipName);
            }
        }
        String expect = Options.take(rest, "--expect");
        Duration timeout = Options.seconds(rest, "--timeout", Duration.ofSeconds(10));
        if (rest.isEmpty() || rest.getLast().startsWith("-")) {
            throw new Main.Usage(command + " needs a device and a firmware file");
        }
        Path file = Path.of(rest.removeLast());
        if (rest.isEmpty()) {
            throw new Main.Usage(command + " needs a device: " + Devices.FORMS + ", before the file");
        }
        UsbDeviceFilter device = Devices.selector(rest, command);
        rest.clear();
        UsbDeviceFilter expected = expect == null ? UsbDeviceFilter.any() : Devices.option("-d", expect);
        return new Args(fx3, chip, verify, expected, timeout, waitForReturn, device, file);
    }


    /** A file read and checked: an FX2's Intel HEX or an FX3's image. */
    record Image(IntelHex hex, Fx3Image img) {}

    /**
     * Reads and checks the file, before any USB is touched; null (the reason printed on {@code err})
     * if it cannot be used.
     */
    static Image read(Args a, PrintStream err) {
        try {
            return a.fx3() ? new Image(null, Fx3Image.read(a.file())) : new Image(IntelHex.read(a.file()), null);
        } catch (FirmwareFormatException e) {
            err.println("ausb: " + e.getMessage());
        } catch (IOException e) {
            err.println("ausb: cannot read " + a.file() + ": " + e);
        }
        return null;
    }

    /** Loads the image; returns the exit code. */
    static int run(UsbContext usb, Args a, Image image, PrintStream out, PrintStream err) {
        IntelHex hex = image.hex();
        Fx3Image img = image.img();
        List<FirmwareSegment> parts = a.fx3() ? img.sections() : hex.segments();
        long bytes = parts.stream().mapToLong(FirmwareSegment::length).sum();
        UsbDevice d = usb.findOne(a.device());
        long t0 = System.nanoTime();
        UsbDeviceHandle h = d.open();
        UsbDeviceHandle back = null;
        try {
            if (a.fx3()) {
                Fx3Loader loader = Fx3Loader.of(h).verify(a.verify());
                if (a.waitForReturn()) {
                    back = loader.loadAndReopen(img, a.expect(), a.timeout());
                } else {
                    loader.load(img);
                }
            } else {
                Fx2Loader loader = Fx2Loader.of(h).chip(a.chip()).verify(a.verify());
                if (a.waitForReturn()) {
                    back = loader.loadAndReopen(hex, a.expect(), a.timeout());
                } else {
                    loader.load(hex);
                }
            }
        } catch (FirmwareLoadException e) {
            err.println("ausb: " + e.getMessage());
            return Main.ERROR;
        } catch (IllegalArgumentException e) {
            err.println("ausb: " + a.file() + ": " + e.getMessage());
            return Main.USAGE;
        } finally {
            h.close(); // reopen closed it already; closing twice is allowed
        }
        out.printf("loaded %d bytes in %d %s into Bus %03d Device %03d: ID %04x:%04x%s%s%n", bytes, parts.size(),
                a.fx3() ? "sections" : "segments", d.bus(), d.address(), d.vendorId(), d.productId(),
                a.verify() ? ", verified" : "", a.fx3() ? String.format(", started at 0x%08x", img.entryPoint()) : ", running");
        if (back != null) {
            try (UsbDeviceHandle b = back) {
                UsbDevice n = b.device();
                out.printf("back after %d ms as Bus %03d Device %03d: ID %04x:%04x (%s)%n",
                        (System.nanoTime() - t0) / 1_000_000, n.bus(), n.address(), n.vendorId(), n.productId(),
                        n.speed().toString().toLowerCase(Locale.ROOT).replace('_', ' ') + " speed");
            }
        }
        out.flush();
        return Main.OK;
    }
}
