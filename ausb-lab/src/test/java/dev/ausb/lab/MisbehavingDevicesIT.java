package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbControlRequest.Recipient;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDirection;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOverflowException;
import dev.ausb.UsbStallException;
import dev.ausb.UsbTimeoutException;
import dev.ausb.UsbTransferFuture;
import dev.ausb.UsbTransferResult.Status;
import dev.ausb.lab.FfsFunction.Desc;
import dev.ausb.lab.FfsFunction.Reply;
import dev.ausb.lab.usbip.VirtualDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault campaign's misbehaving devices, scripted through FunctionFS: one that never answers a
 * control request, one that stalls at random, one that overflows, one that is very slow, one that
 * dies in the middle of a control transfer. Each failure has its type, nothing hangs, and the
 * device (while it lives) answers the next request.
 */
@Timeout(600)
class MisbehavingDevicesIT {
    static final int ECHO = 0x01;
    static final int NEVER = 0x06;
    static final int RANDOM = 0x07;
    static final int SLOW = 0x03;
    static final int DIE = 0x08;
    private static UsbContext usb;

    @BeforeAll
    static void context() {
        Lab.requireGuest();
        usb = UsbContext.create();
    }

    @AfterAll
    static void close() {
        if (usb != null) {
            usb.close();
        }
    }

    private static FfsFunction device(SplittableRandom rnd) {
        return FfsFunction.builder()
                .descriptors(Desc.iface(0, 0, 2, 0xff, 0, 0, 1), Desc.bulk(0x81, 64), Desc.bulk(0x02, 64))
                .highSpeed(Desc.iface(0, 0, 2, 0xff, 0, 0, 1), Desc.bulk(0x81, 512), Desc.bulk(0x02, 512))
                .strings("Misbehaving")
                .onSetup(s -> switch (s.request()) {
                    case ECHO -> Reply.data(new byte[] {(byte) s.value(), (byte) (s.value() >> 8)});
                    case NEVER -> Reply.never();
                    case RANDOM -> {
                        synchronized (rnd) {
                            yield rnd.nextInt(3) == 0 ? Reply.stall() : Reply.data(new byte[] {(byte) s.value()});
                        }
                    }
                    case SLOW -> Reply.after(Duration.ofMillis(1200), Reply.data(new byte[] {9}));
                    case DIE -> Reply.die();
                    default -> Reply.stall();
                })
                .build();
    }

    private static UsbControlRequest vendor(int request, int value) {
        return UsbControlRequest.vendor(Recipient.INTERFACE, request, value, 0);
    }

    private static Throwable failure(UsbTransferFuture<?> f) throws Exception {
        Throwable e = f.handle((v, x) -> x).get(10, TimeUnit.SECONDS);
        assertTrue(e != null, "completed normally");
        return e instanceof CompletionException c ? c.getCause() : e;
    }

    @Test
    void misbehavingDevices_failWithTheirTypes_andNothingHangs() throws Exception {
        SplittableRandom rnd = new SplittableRandom(5);
        FfsFunction f = device(rnd);
        int never = 0;
        int stalls = 0;
        int answers = 0;
        int overflows = 0;
        int slow = 0;
        try (Gadget g = Gadget.builder().productId(0x5c20).strings("Lab", "Misbehaving").functionFs(f)
                .maxSpeed("high-speed").udc(0).bind(); UsbDeviceHandle h = g.await(usb).open()) {
            f.awaitEnabled();
            // stalls at random: each request is answered or stalls, nothing else
            for (int i = 0; i < 150; i++) {
                UsbTransferFuture<byte[]> q = h.controlIn(vendor(RANDOM, i & 0x7f), 8);
                try {
                    assertArrayEquals(new byte[] {(byte) (i & 0x7f)}, q.get(10, TimeUnit.SECONDS));
                    answers++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertInstanceOf(UsbStallException.class, e.getCause());
                    stalls++;
                }
            }
            assertTrue(stalls > 10 && answers > 10, stalls + " stalls, " + answers + " answers");
            // very slow: a short timeout fires in time, the device answers later requests
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                assertInstanceOf(UsbTimeoutException.class, failure(h.controlIn(vendor(SLOW, 0), 1, Duration.ofMillis(300))));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 1000, "the timeout fired after " + ms + " ms");
                slow++;
                assertArrayEquals(new byte[] {7, 0}, h.controlIn(vendor(ECHO, 7), 8).get(10, TimeUnit.SECONDS));
            }
            // overflows: the device sends a full packet for a 100-byte read
            try (UsbInterfaceHandle itf = h.claimInterface(0)) {
                UsbInEndpoint in = TransfersIT.inOf(itf);
                for (int i = 0; i < 10; i++) {
                    UsbTransferFuture<byte[]> r = in.read(100);
                    f.send(1, new byte[512]).get(10, TimeUnit.SECONDS);
                    assertInstanceOf(UsbOverflowException.class, failure(r));
                    overflows++;
                }
                UsbTransferFuture<byte[]> ok = in.read(512);
                f.send(1, new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS);
                assertArrayEquals(new byte[] {1, 2, 3}, ok.get(10, TimeUnit.SECONDS));
            }
        }
        // never answers (a USB/IP device that holds the request): a timeout or a cancel ends it, the
        // cancel reaches the device as an unlink, and the device answers the next request
        try (VirtualDevice v = VirtualDevice.builder()
                .device(dev.ausb.lab.usbip.Descriptors.device(0x1209, 0x7c01).build())
                .configuration(dev.ausb.lab.usbip.Descriptors.configuration(1, 0x80, 50,
                        dev.ausb.lab.usbip.Descriptors.iface(0, 0, 0xff, 0, 0, 0)))
                .handler(urb -> urb.control() && urb.setup().request() == NEVER ? dev.ausb.lab.usbip.Reply.hold()
                        : urb.control() && urb.setup().request() == ECHO
                                ? dev.ausb.lab.usbip.Reply.data(new byte[] {(byte) urb.setup().value(), 0})
                                : dev.ausb.lab.usbip.Reply.standard())
                .attach()) {
            VirtualDevice.Location at = v.awaitLocation(Duration.ofSeconds(15));
            UsbDeviceHandle h = null;
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (h == null && System.nanoTime() < deadline) {
                var d = usb.findAny(dev.ausb.UsbDeviceFilter.of(0x1209, 0x7c01).bus(at.bus()).address(at.address()));
                if (d.isPresent()) {
                    h = d.get().open();
                } else {
                    Thread.sleep(50);
                }
            }
            assertTrue(h != null, "the USB/IP device did not enumerate");
            try (UsbDeviceHandle hv = h) {
                for (int i = 0; i < 20; i++) {
                    UsbTransferFuture<byte[]> q = hv.controlIn(UsbControlRequest.vendor(Recipient.DEVICE, NEVER, i, 0), 8,
                            Duration.ofMillis(150));
                    if (i % 2 == 1) {
                        Thread.sleep(20);
                        q.cancel(true);
                        assertInstanceOf(CancellationException.class, failure(q));
                        assertEquals(Status.CANCELLED, q.reaped().get(5, TimeUnit.SECONDS).status());
                    } else {
                        assertInstanceOf(UsbTimeoutException.class, failure(q));
                    }
                    never++;
                    assertArrayEquals(new byte[] {(byte) i, 0},
                            hv.controlIn(UsbControlRequest.vendor(Recipient.DEVICE, ECHO, i, 0), 8).get(10, TimeUnit.SECONDS));
                }
            }
            assertTrue(v.unlinks().size() >= 20, "every timeout and cancel reached the device: " + v.unlinks().size());
            v.checkHealthy();
        }
        // dies in the middle of a control transfer, with reads pending: everything fails device-gone
        int died = 0;
        for (int round = 0; round < 3; round++) {
            FfsFunction d = device(rnd);
            try (Gadget g = Gadget.builder().productId(0x5c21 + round).strings("Lab", "Dying").functionFs(d)
                    .maxSpeed("high-speed").udc(1).bind(); UsbDeviceHandle h = g.await(usb).open()) {
                d.awaitEnabled();
                UsbInterfaceHandle itf = h.claimInterface(0);
                List<UsbTransferFuture<byte[]>> reads = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    reads.add(TransfersIT.inOf(itf).read(512));
                }
                UsbTransferFuture<byte[]> dying = h.controlIn(vendor(DIE, 0), 8);
                Throwable e = failure(dying);
                assertTrue(e instanceof UsbDeviceGoneException || e instanceof dev.ausb.UsbException, e.toString());
                for (var r : reads) {
                    assertInstanceOf(UsbDeviceGoneException.class, failure(r));
                }
                died++;
            }
        }
        var fig = Campaign.figures();
        fig.put("neverAnswered", never);
        fig.put("randomStalls", stalls);
        fig.put("randomAnswers", answers);
        fig.put("slowTimeouts", slow);
        fig.put("overflows", overflows);
        fig.put("diedMidControl", died);
        Campaign.report("misbehaving-devices", fig);
    }
}
