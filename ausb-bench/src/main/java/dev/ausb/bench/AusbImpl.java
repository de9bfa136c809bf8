package dev.ausb.bench;

import dev.ausb.UsbContext;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInStream;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOutEndpoint;
import dev.ausb.UsbOutStream;
import dev.ausb.UsbStreamOptions;
import java.util.concurrent.atomic.AtomicLong;

/** ausb: handler streams for throughput, the plain future API for round trips. */
final class AusbImpl implements Impl {
    private final UsbContext usb;
    private final UsbDeviceHandle ss;
    private final UsbDeviceHandle lb;
    private final UsbInterfaceHandle ssItf;
    private final UsbInterfaceHandle lbItf;
    private final LabBench.Endpoints ep;

    /**
     * @param eventThread complete on the event thread (the opt-in): stream handlers then run in
     *                    libusb's callback, as the C reference does
     */
    AusbImpl(LabBench.Endpoints ep, boolean eventThread) {
        this.ep = ep;
        this.usb = eventThread ? UsbContext.newBuilder().completeOnEventThread().build() : UsbContext.create();
        ss = usb.findOne(UsbDeviceFilter.of(LabBench.VID, LabBench.SOURCESINK)).open();
        lb = usb.findOne(UsbDeviceFilter.of(LabBench.VID, LabBench.LOOPBACK)).open();
        ssItf = ss.claimInterface(0);
        lbItf = lb.claimInterface(0);
    }

    @Override
    public String streamIn(int size, int count, double seconds) {
        AtomicLong bytes = new AtomicLong();
        AtomicLong transfers = new AtomicLong();
        UsbInEndpoint in = ssItf.inEndpoint(ep.ssIn());
        try (UsbInStream s = in.stream(new UsbStreamOptions(count, size), b -> {
            bytes.addAndGet(b.length());
            transfers.incrementAndGet();
        })) {
            Impl.sleep(0.3);
            long b0 = bytes.get();
            long n0 = transfers.get();
            Meter m = new Meter();
            Impl.sleep(seconds);
            String r = m.result(bytes.get() - b0, transfers.get() - n0);
            if (s.done().isCompletedExceptionally()) {
                s.done().join(); // report why the stream ended
            }
            return r;
        }
    }

    @Override
    public String streamOut(int size, int count, double seconds) {
        byte[] data = new byte[size];
        UsbOutEndpoint out = ssItf.outEndpoint(ep.ssOut());
        try (UsbOutStream s = out.stream(new UsbStreamOptions(count, size))) {
            long warm = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < warm) {
                s.write(data);
            }
            long b0 = s.bytesWritten();
            Meter m = new Meter();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                s.write(data);
            }
            long b = s.bytesWritten() - b0;
            return m.result(b, b / size);
        }
    }

    @Override
    public String roundTrips(int size, double seconds) {
        byte[] data = new byte[size];
        UsbOutEndpoint out = lbItf.outEndpoint(ep.lbOut());
        UsbInEndpoint in = lbItf.inEndpoint(ep.lbIn());
        long warm = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < warm) {
            out.write(data).join();
            in.read(512).join();
        }
        Meter m = new Meter();
        long trips = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            out.write(data).join();
            in.read(512).join();
            trips++;
        }
        return m.result(trips * size * 2, trips);
    }

    @Override
    public void close() {
        usb.close();
    }
}
