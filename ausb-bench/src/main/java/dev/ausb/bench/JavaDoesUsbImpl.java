package dev.ausb.bench;

import java.io.InputStream;
import java.io.OutputStream;
import net.codecrete.usb.Usb;
import net.codecrete.usb.UsbDevice;

/**
 * JavaDoesUSB (net.codecrete.usb): blocking API; its fastest streaming API is
 * openInputStream/openOutputStream with the transfer size as buffer size, which keeps its own
 * fixed number of transfers in flight (the count is not settable, so it is ignored here).
 */
final class JavaDoesUsbImpl implements Impl {
    private final UsbDevice ss;
    private final UsbDevice lb;
    private final LabBench.Endpoints ep;

    JavaDoesUsbImpl(LabBench.Endpoints ep) {
        this.ep = ep;
        ss = Usb.findDevice(LabBench.VID, LabBench.SOURCESINK).orElseThrow();
        lb = Usb.findDevice(LabBench.VID, LabBench.LOOPBACK).orElseThrow();
        ss.open();
        ss.claimInterface(0);
        lb.open();
        lb.claimInterface(0);
    }

    @Override
    public String streamIn(int size, int count, double seconds) throws Exception {
        byte[] buf = new byte[size];
        try (InputStream in = ss.openInputStream(ep.ssIn() & 0x0f, size)) {
            long warm = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < warm) {
                in.read(buf);
            }
            Meter m = new Meter();
            long bytes = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                bytes += Math.max(0, in.read(buf));
            }
            return m.result(bytes, bytes / size);
        }
    }

    @Override
    public String streamOut(int size, int count, double seconds) throws Exception {
        byte[] data = new byte[size];
        try (OutputStream out = ss.openOutputStream(ep.ssOut() & 0x0f, size)) {
            long warm = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < warm) {
                out.write(data);
            }
            Meter m = new Meter();
            long bytes = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                out.write(data);
                bytes += size;
            }
            return m.result(bytes, bytes / size);
        }
    }

    @Override
    public String roundTrips(int size, double seconds) {
        byte[] data = new byte[size];
        long warm = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < warm) {
            lb.transferOut(ep.lbOut() & 0x0f, data);
            lb.transferIn(ep.lbIn() & 0x0f);
        }
        Meter m = new Meter();
        long trips = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            lb.transferOut(ep.lbOut() & 0x0f, data);
            lb.transferIn(ep.lbIn() & 0x0f);
            trips++;
        }
        return m.result(trips * size * 2, trips);
    }

    @Override
    public void close() {
        ss.close();
        lb.close();
    }
}
