package dev.ausb.examples;

import dev.ausb.UsbBuffer;
import dev.ausb.UsbContext;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbEndpointLocation;
import dev.ausb.UsbException;
import dev.ausb.UsbInStream;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbIsoInEndpoint;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Streams an isochronous IN endpoint (a camera's, a microphone's, an SDR's) and prints what each
 * transfer brought: how many of its packets came through, how many bytes, and which packets failed
 * with what status. Isochronous packets fail one by one without failing the transfer or the stream:
 * the stream goes on, and the program counts them. It stops after a number of transfers, or after a
 * number of seconds, whichever comes first, and prints the totals.
 *
 * <p>An isochronous endpoint lives in an alternate setting other than 0 (so that a device uses no
 * bandwidth until asked to): the program finds the endpoint by its address, claims its interface
 * and selects that setting.
 *
 * <p>Usage: {@code IsoStream VID:PID ENDPOINT TRANSFERS SECONDS}, for example
 * {@code IsoStream 1a0a:badd 0x81 100 5}.
 */
public final class IsoStream {
    private static final String USAGE = "usage: IsoStream VID:PID ENDPOINT TRANSFERS SECONDS   (e.g. 1a0a:badd 0x81 100 5)";

    private IsoStream() {}

    /**
     * Runs the program and exits with its status when that is not 0.
     *
     * @param args VID:PID, the endpoint address, the transfers to summarise and the seconds to wait at most
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
     * @param args VID:PID, the endpoint address, the transfers to summarise and the seconds to wait at most
     * @return the exit status: 0 when it streamed (all the transfers, or for the whole time), 1 when
     *     the stream failed or the device could not be used, 2 for bad arguments
     */
    public static int run(String... args) {
        UsbDeviceFilter filter;
        int address;
        int transfers;
        int seconds;
        try {
            Args.count(args, 4, 4);
            filter = Args.vidPid("the device", args[0]);
            address = Args.inEndpoint(args[1]);
            transfers = Args.positive("TRANSFERS", args[2], 1_000_000);
            seconds = Args.positive("SECONDS", args[3], 24 * 3600);
        } catch (IllegalArgumentException e) {
            return Args.usage(USAGE, e.getMessage());
        }
        try (UsbContext usb = UsbContext.create(); UsbDeviceHandle device = usb.findOne(filter).open()) {
            return stream(device, address, transfers, seconds);
        } catch (UsbException | IllegalArgumentException e) {
            System.err.println("IsoStream: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.err.println("IsoStream: interrupted");
            return 1;
        }
    }

    private static int stream(UsbDeviceHandle device, int address, int transfers, int seconds)
            throws InterruptedException {
        Summary summary = new Summary(transfers);
        // @start region="iso-stream"
        UsbEndpointLocation at = device.device().configuration(device.activeConfiguration())
                .flatMap(configuration -> configuration.findEndpoint(address)) // its interface and alternate setting
                .orElseThrow(() -> new IllegalArgumentException(String.format("no endpoint 0x%02x", address)));
        UsbInterfaceHandle itf = device.claimInterface(at.interfaceNumber()); // released when the device closes
        itf.selectAlternateSetting(at.alternateSettingNumber());
        UsbIsoInEndpoint in = itf.isoInEndpoint(address);
        // the defaults: 8 transfers in flight, each of 8 packets of the endpoint's largest size
        UsbInStream stream = in.stream(in.defaultStreamOptions(), summary::add);
        try { // done() ends early only on a failure; summary.full() when enough transfers came
            CompletableFuture.anyOf(stream.done(), summary.full()).get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException timeUp) {
            // fewer transfers than asked for came in the time: the summary says how many
        } catch (ExecutionException failed) {
            System.err.println("IsoStream: the stream failed: " + failed.getCause());
            return 1;
        } finally {
            stream.close();
        }
        // @end
        summary.printTotals();
        return 0;
    }

    /** The handler's side: one line per transfer, and the totals. */
    private static final class Summary {
        private final int limit;
        private final CompletableFuture<Void> full = new CompletableFuture<>();
        private int transfers;
        private long packets;
        private long failed;
        private long bytes;

        Summary(int limit) {
            this.limit = limit;
        }

        /** Completes when {@code limit} transfers have been summarised. */
        CompletableFuture<Void> full() {
            return full;
        }

        /** The stream's handler: called with each transfer, in order, on the stream's thread. */
        synchronized void add(UsbBuffer transfer) {
            if (transfers == limit) {
                return; // one more may come before the stream is closed
            }
            int good = 0;
            int transferBytes = 0;
            StringBuilder failures = new StringBuilder();
            for (int i = 0; i < transfer.packetCount(); i++) {
                transferBytes += transfer.packetActualLength(i);
                if (transfer.packetCompleted(i)) {
                    good++;
                } else {
                    failures.append(failures.isEmpty() ? "; failed:" : ",").append(" packet ").append(i).append(' ')
                            .append(transfer.packet(i).status());
                }
            }
            System.out.printf("transfer %d: %d of %d packets good, %d bytes%s%n", transfer.sequence(), good,
                    transfer.packetCount(), transferBytes, failures);
            transfers++;
            packets += transfer.packetCount();
            failed += transfer.packetCount() - good;
            bytes += transferBytes;
            if (transfers == limit) {
                full.complete(null);
            }
        }

        synchronized void printTotals() {
            System.out.printf("%d transfers, %d packets: %d good, %d failed, %d bytes%n", transfers, packets,
                    packets - failed, failed, bytes);
        }
    }
}
