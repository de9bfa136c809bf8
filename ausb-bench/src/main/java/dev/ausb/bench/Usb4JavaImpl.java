package dev.ausb.bench;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.usb4java.Context;
import org.usb4java.DeviceHandle;
import org.usb4java.LibUsb;
import org.usb4java.Transfer;

/**
 * usb4java (JNI over its bundled libusb): its low-level asynchronous API, N transfers resubmitted
 * from the callback with an event-handling thread, as its documentation recommends for speed;
 * libusb_bulk_transfer for round trips.
 */
final class Usb4JavaImpl implements Impl {
    private final Context ctx = new Context();
    private final DeviceHandle ss;
    private final DeviceHandle lb;
    private final LabBench.Endpoints ep;
    private volatile boolean events = true;
    private final Thread eventThread;

    Usb4JavaImpl(LabBench.Endpoints ep) {
        this.ep = ep;
        check(LibUsb.init(ctx), "init");
        ss = LibUsb.openDeviceWithVidPid(ctx, (short) LabBench.VID, (short) LabBench.SOURCESINK);
        lb = LibUsb.openDeviceWithVidPid(ctx, (short) LabBench.VID, (short) LabBench.LOOPBACK);
        check(LibUsb.claimInterface(ss, 0), "claim");
        check(LibUsb.claimInterface(lb, 0), "claim");
        eventThread = Thread.ofPlatform().daemon(true).start(() -> {
            while (events) {
                LibUsb.handleEventsTimeout(ctx, 100_000);
            }
        });
    }

    private static void check(int rc, String what) {
        if (rc < 0) {
            throw new IllegalStateException("usb4java " + what + ": " + LibUsb.errorName(rc));
        }
    }

    private String stream(int endpoint, int size, int count, double seconds) {
        AtomicLong bytes = new AtomicLong();
        AtomicLong transfers = new AtomicLong();
        AtomicInteger inflight = new AtomicInteger();
        boolean[] running = {true};
        List<Transfer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Transfer t = LibUsb.allocTransfer();
            LibUsb.fillBulkTransfer(t, ss, (byte) endpoint, ByteBuffer.allocateDirect(size), tr -> {
                if (tr.status() == LibUsb.TRANSFER_COMPLETED) {
                    bytes.addAndGet(tr.actualLength());
                    transfers.incrementAndGet();
                    if (running[0] && LibUsb.submitTransfer(tr) == 0) {
                        return;
                    }
                }
                inflight.decrementAndGet();
            }, null, 0);
            all.add(t);
            check(LibUsb.submitTransfer(t), "submit");
            inflight.incrementAndGet();
        }
        Impl.sleep(0.3);
        long b0 = bytes.get();
        long n0 = transfers.get();
        Meter m = new Meter();
        Impl.sleep(seconds);
        String result = m.result(bytes.get() - b0, transfers.get() - n0);
        running[0] = false;
        all.forEach(LibUsb::cancelTransfer);
        while (inflight.get() > 0) {
            Impl.sleep(0.01);
        }
        all.forEach(LibUsb::freeTransfer);
        return result;
    }

    @Override
    public String streamIn(int size, int count, double seconds) {
        return stream(ep.ssIn(), size, count, seconds);
    }

    @Override
    public String streamOut(int size, int count, double seconds) {
        return stream(ep.ssOut(), size, count, seconds);
    }

    @Override
    public String roundTrips(int size, double seconds) {
        ByteBuffer data = ByteBuffer.allocateDirect(size);
        ByteBuffer back = ByteBuffer.allocateDirect(512);
        IntBuffer n = IntBuffer.allocate(1);
        long warm = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < warm) {
            trip(data, back, n);
        }
        Meter m = new Meter();
        long trips = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            trip(data, back, n);
            trips++;
        }
        return m.result(trips * size * 2, trips);
    }

    private void trip(ByteBuffer data, ByteBuffer back, IntBuffer n) {
        data.clear();
        back.clear();
        check(LibUsb.bulkTransfer(lb, (byte) ep.lbOut(), data, n, 1000), "bulk out");
        check(LibUsb.bulkTransfer(lb, (byte) ep.lbIn(), back, n, 1000), "bulk in");
    }

    @Override
    public void close() throws InterruptedException {
        events = false;
        eventThread.join();
        LibUsb.releaseInterface(ss, 0);
        LibUsb.releaseInterface(lb, 0);
        LibUsb.close(ss);
        LibUsb.close(lb);
        LibUsb.exit(ctx);
    }
}
