package dev.ausb.examples;

import dev.ausb.UsbBuffer;
import dev.ausb.UsbContext;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbEndpointLocation;
import dev.ausb.UsbException;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInStream;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbStreamOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Streams a bulk IN endpoint into a file for a number of seconds, then prints how many bytes came
 * and how fast. The stream keeps several transfers in flight and hands each completed one to a
 * handler, which writes the transfer's own memory to the file (no copy, no {@code byte[]} per
 * transfer). If the stream fails before the time is up (the device unplugged, a stall, the disk
 * full) the program says so at once and exits with status 1.
 *
 * <p>Usage: {@code StreamToFile VID:PID ENDPOINT SECONDS FILE}, for example
 * {@code StreamToFile 1a0a:badd 0x81 5 out.bin}.
 */
public final class StreamToFile {
    private static final String USAGE = "usage: StreamToFile VID:PID ENDPOINT SECONDS FILE   (e.g. 1a0a:badd 0x81 5 out.bin)";

    private StreamToFile() {}

    /**
     * Runs the program and exits with its status when that is not 0.
     *
     * @param args VID:PID, the endpoint address, the seconds to stream and the file to write
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
     * @param args VID:PID, the endpoint address, the seconds to stream and the file to write
     * @return the exit status: 0 when it streamed the whole time, 1 when the stream failed or the
     *     device could not be used, 2 for bad arguments
     */
    public static int run(String... args) {
        UsbDeviceFilter filter;
        int endpoint;
        int seconds;
        try {
            Args.count(args, 4, 4);
            filter = Args.vidPid("the device", args[0]);
            endpoint = Args.inEndpoint(args[1]);
            seconds = Args.positive("SECONDS", args[2], 24 * 3600);
        } catch (IllegalArgumentException e) {
            return Args.usage(USAGE, e.getMessage());
        }
        Path file = Path.of(args[3]);
        try (UsbContext usb = UsbContext.create();
                UsbDeviceHandle device = usb.findOne(filter).open();
                UsbInterfaceHandle itf = claim(device, endpoint);
                FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            return streamFor(itf.inEndpoint(endpoint), out, seconds, file);
        } catch (UsbException | IllegalArgumentException | IOException e) {
            System.err.println("StreamToFile: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("StreamToFile: interrupted");
            return 1;
        }
    }

    /** Claims the interface the endpoint belongs to, in the alternate setting that has it. */
    private static UsbInterfaceHandle claim(UsbDeviceHandle device, int endpoint) {
        UsbEndpointLocation at = device.device().configuration(device.activeConfiguration())
                .flatMap(c -> c.findEndpoint(endpoint))
                .orElseThrow(() -> new IllegalArgumentException(String.format("%s has no endpoint 0x%02x",
                        device.device(), endpoint)));
        UsbInterfaceHandle itf = device.claimInterface(at.interfaceNumber());
        if (at.alternateSettingNumber() != 0) {
            itf.selectAlternateSetting(at.alternateSettingNumber());
        }
        return itf;
    }

    private static int streamFor(UsbInEndpoint in, FileChannel out, int seconds, Path file)
            throws InterruptedException {
        long start = System.nanoTime();
        // @start region="stream-for-a-time"
        UsbStreamOptions options = in.defaultStreamOptions().withTransfers(16); // 16 transfers in flight
        // the handler gets each completed transfer in order, on the stream's own thread
        UsbInStream stream = in.stream(options, buffer -> write(out, buffer));
        try {
            stream.done().get(seconds, TimeUnit.SECONDS); // returns before the time is up only if the stream ended
            System.err.println("StreamToFile: the stream ended before the time was up");
            return 1;
        } catch (TimeoutException stillRunning) {
            // the normal outcome: still streaming when the time was up
        } catch (ExecutionException failed) { // a transfer failed, or the handler threw
            System.err.printf("StreamToFile: the stream failed after %d bytes: %s%n", stream.bytesDelivered(),
                    failed.getCause());
            return 1;
        } finally {
            stream.close(); // cancels the transfers in flight and waits until libusb has handed them back
        }
        // @end
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "wrote %d bytes from endpoint 0x%02x to %s in %.2f s (%.1f MB/s)%n",
                stream.bytesDelivered(), in.address(), file, elapsed, stream.bytesDelivered() / elapsed / 1e6);
        return 0;
    }

    /**
     * The handler: writes one transfer's data straight from the transfer's memory. It borrows the
     * buffer, which goes back to libusb when it returns. (A context built with
     * {@code deviceMemory(true)} would hand it usbfs memory, which a write that pins pages, to an
     * O_DIRECT file or a 9p file system such as the lab's /tmp, refuses with EFAULT: copy first there.)
     */
    private static void write(FileChannel out, UsbBuffer buffer) {
        ByteBuffer data = buffer.asByteBuffer();
        try {
            while (data.hasRemaining()) {
                out.write(data);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a handler that throws ends the stream with its exception
        }
    }
}
