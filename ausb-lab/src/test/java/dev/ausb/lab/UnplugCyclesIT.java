package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbInStream;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbStreamOptions;
import dev.ausb.UsbTransferFuture;
import dev.ausb.internal.LabProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault campaign's unplugs: gadgets unplugged (UDC unbind) and plugged back again and again
 * with transfers and streams in flight. Every pending transfer fails device-gone within a second,
 * each stream ends with one terminal signal, and the context stays usable, sees the devices
 * return, and does not grow with the devices that left.
 */
@Timeout(1800)
class UnplugCyclesIT {
    static final int CYCLES = Campaign.scaled(200);

    @BeforeAll
    static void guest() {
        Lab.requireGuest();
    }

    @Test
    void udcUnplugCycles_withReadsAndStreamsInFlight() throws Exception {
        long worstMs = 0;
        long pendingFailed = 0;
        int streamsEnded = 0;
        AtomicInteger terminalSignals = new AtomicInteger();
        int knownMax = 0;
        try (UsbContext usb = UsbContext.create();
             Gadget ss = Gadget.builder().function("SourceSink", Map.of("pattern", "0", "bulk_buflen", "4096"))
                     .maxSpeed("high-speed").udc(0).bind();
             Gadget lb = Gadget.builder().productId(0x100b).strings("Lab", "Loopback")
                     .function("Loopback", Map.of("bulk_buflen", "4096")).maxSpeed("high-speed").udc(1).bind()) {
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                UsbDeviceHandle hs = openWhenBack(ss, usb);
                UsbDeviceHandle hl = openWhenBack(lb, usb);
                UsbInterfaceHandle is = hs.claimInterface(0);
                UsbInterfaceHandle il = hl.claimInterface(0);
                UsbInStream stream = is.inEndpoint(0x81).stream(new UsbStreamOptions(4, 16384), b -> { });
                stream.done().whenComplete((v, e) -> terminalSignals.incrementAndGet());
                List<UsbTransferFuture<byte[]>> pending = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    pending.add(TransfersIT.inOf(il).read(4096)); // Loopback has nothing: they wait
                }
                pending.add(hl.controlIn(Rig.GET_STATUS, 2)); // completes before or fails with the unplug
                Thread.sleep(20 + cycle % 7 * 10);
                long t0 = System.nanoTime();
                if (cycle % 2 == 0) {
                    lb.unplug();
                    ss.unplug();
                } else {
                    ss.unplug();
                    lb.unplug();
                }
                CompletableFuture.allOf(pending.stream().map(f -> f.handle((v, e) -> e))
                        .toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
                stream.done().handle((v, e) -> e).get(5, TimeUnit.SECONDS);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                worstMs = Math.max(worstMs, ms);
                assertTrue(ms < 1000, "cycle " + cycle + ": pending transfers ended " + ms + " ms after the unplug");
                for (int i = 0; i < 4; i++) {
                    Throwable e = assertThrowsCompletion(pending.get(i));
                    assertInstanceOf(UsbDeviceGoneException.class, e, "cycle " + cycle + ": " + e);
                    pendingFailed++;
                }
                Throwable streamEnd = stream.done().handle((v, e) -> e).join();
                assertInstanceOf(UsbDeviceGoneException.class, streamEnd instanceof CompletionException c
                        ? c.getCause() : streamEnd, "cycle " + cycle);
                streamsEnded++;
                is.close();
                il.close();
                hs.close();
                hl.close();
                ss.replug();
                lb.replug();
                knownMax = Math.max(knownMax, LabProbe.knownDevices(usb));
            }
            ss.await(usb);
            lb.await(usb);
            assertEquals(streamsEnded, terminalSignals.get(), "one terminal signal per stream");
            int known = LabProbe.knownDevices(usb);
            assertTrue(known <= usb.devices().size() + 2, "the context keeps " + known + " devices for "
                    + usb.devices().size() + " attached");
            var fig = Campaign.figures();
            fig.put("cycles", CYCLES);
            fig.put("pendingFailedGone", pendingFailed);
            fig.put("streamsEnded", streamsEnded);
            fig.put("worstUnplugToFailureMs", worstMs);
            fig.put("devicesKnownMax", knownMax);
            fig.put("devicesAttachedAtEnd", usb.devices().size());
            Campaign.report("unplug-udc", fig);
        }
    }

    /** Opens the gadget once it is back (libusb may still list the one that left for a moment). */
    static UsbDeviceHandle openWhenBack(Gadget g, UsbContext usb) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return g.await(usb).open();
            } catch (RuntimeException e) {
                last = e;
                Gadget.sleep(20);
            }
        }
        throw new AssertionError("the gadget did not come back", last);
    }

    static Throwable assertThrowsCompletion(UsbTransferFuture<?> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            return e.getCause();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("completed normally");
    }
}
