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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak: streaming, control traffic and periodic unplugs for a fixed time (a few minutes in
 * CI, {@code -Dausb.soak.seconds=1800} with bin/campaign), sampling RSS, NMT and the thread count.
 * After warm-up the lines are flat: the last third of the samples is within a small margin of the first.
 */
@Timeout(3600)
class SoakIT {
    static final int SECONDS = Integer.getInteger("ausb.soak.seconds", 150);
    static final int SAMPLE_EVERY_S = Math.max(5, SECONDS / 30);

    @BeforeAll
    static void guest() {
        Lab.requireGuest();
    }

    @Test
    void streamingControlAndUnplugs_forMinutes_keepMemoryAndThreadsFlat() throws Exception {
        AtomicLong streamed = new AtomicLong();
        AtomicLong controls = new AtomicLong();
        long unplugs = 0;
        long goneFailures = 0;
        long genericFailures = 0;
        Throwable firstGeneric = null;
        List<Campaign.Sample> samples = new ArrayList<>();
        try (UsbContext usb = UsbContext.create();
             Gadget ss = Gadget.builder().function("SourceSink", Map.of("pattern", "0", "bulk_buflen", "16384"))
                     .maxSpeed("high-speed").udc(0).bind();
             Gadget lb = Gadget.builder().productId(0x100b).strings("Lab", "Loopback")
                     .function("Loopback", Map.of("bulk_buflen", "4096")).maxSpeed("high-speed").udc(1).bind();
             UsbDeviceHandle hs = ss.await(usb).open();
             UsbInterfaceHandle is = hs.claimInterface(0);
             UsbInStream stream = is.inEndpoint(0x81).stream(new UsbStreamOptions(8, 16384),
                     b -> streamed.addAndGet(b.length()))) {
            Thread control = Thread.ofPlatform().daemon(true).start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        hs.controlIn(Rig.GET_STATUS, 2).get(5, TimeUnit.SECONDS);
                        controls.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        return; // the soak asserts on the counts
                    }
                }
            });
            long start = System.nanoTime();
            long end = start + SECONDS * 1_000_000_000L;
            long nextSample = start;
            while (System.nanoTime() < end) {
                // an unplug cycle of the Loopback with reads pending
                UsbDeviceHandle hl = UnplugCyclesIT.openWhenBack(lb, usb);
                UsbInterfaceHandle il = hl.claimInterface(0);
                List<UsbTransferFuture<byte[]>> pending = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    pending.add(TransfersIT.inOf(il).read(4096));
                }
                Thread.sleep(2000);
                lb.unplug();
                unplugs++;
                for (var f : pending) {
                    Throwable e = f.handle((v, x) -> x).get(5, TimeUnit.SECONDS);
                    // handle() sees the failure itself (a CompletionException only if a stage wrapped it):
                    // a UsbDeviceGoneException's own cause is the generic error it replaced
                    Throwable cause = e instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                            ? c.getCause() : e;
                    if (cause instanceof UsbDeviceGoneException) {
                        goneFailures++;
                    } else {
                        genericFailures++;
                        firstGeneric = firstGeneric == null ? cause : firstGeneric;
                    }
                }
                hl.close();
                lb.replug();
                if (System.nanoTime() >= nextSample) {
                    samples.add(Campaign.sample());
                    nextSample += SAMPLE_EVERY_S * 1_000_000_000L;
                }
            }
            control.interrupt();
            control.join(10_000);
            assertTrue(!stream.done().isDone(), "the stream ended during the soak: " + stream.done());
        }
        assertTrue(samples.size() >= 6, "samples: " + samples.size());
        // flat lines: after a third for warm-up, the last third within a margin of the middle third
        int third = samples.size() / 3;
        Campaign.Sample mid = samples.get(third);
        Campaign.Sample last = samples.getLast();
        var fig = Campaign.figures();
        fig.put("seconds", SECONDS);
        fig.put("streamedMB", streamed.get() >> 20);
        fig.put("controlTransfers", controls.get());
        fig.put("unplugs", unplugs);
        fig.put("pendingFailedGone", goneFailures);
        fig.put("pendingFailedGenericError", genericFailures);
        fig.put("samples", samples.size());
        fig.put("first", "[" + samples.getFirst() + "]");
        fig.put("mid", "[" + mid + "]");
        fig.put("last", "[" + last + "]");
        Campaign.report("soak", fig);
        assertTrue(last.nmtMallocKb() - mid.nmtMallocKb() < 4096, "NMT malloc grew: " + mid + " -> " + last);
        assertTrue(last.rssKb() - mid.rssKb() < 32 * 1024, "RSS grew: " + mid + " -> " + last);
        assertTrue(last.threads() - mid.threads() <= 4, "threads grew: " + mid + " -> " + last);
        assertEquals(unplugs * 4, goneFailures + genericFailures);
        Throwable generic = firstGeneric;
        assertEquals(0, genericFailures, () -> "pending reads that did not fail device-gone: " + generic);
        assertTrue(controls.get() > SECONDS, "control traffic stalled: " + controls.get());
    }
}
