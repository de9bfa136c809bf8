package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbException;
import dev.ausb.UsbInStream;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbStreamOptions;
import dev.ausb.UsbTransferFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault campaign's close races: interfaces, handles, streams and the context closed from one
 * thread while others open devices, submit transfers and start streams. Each round ends in bounded
 * time, every future completes and is reaped, and nothing but the documented exceptions appears.
 */
@Timeout(1800)
class CloseRacesIT {
    static final int ROUNDS = Campaign.scaled(60);

    @BeforeAll
    static void guest() {
        Lab.requireGuest();
    }

    @Test
    void closesRacingOpensSubmissionsAndStreams_endCleanly() throws Exception {
        AtomicLong transfers = new AtomicLong();
        AtomicLong opens = new AtomicLong();
        AtomicLong streams = new AtomicLong();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        int[] closedWhat = new int[4];
        try (Gadget ss = Gadget.builder().function("SourceSink", Map.of("pattern", "0", "bulk_buflen", "4096"))
                .maxSpeed("high-speed").udc(0).bind()) {
            SplittableRandom rnd = new SplittableRandom(11);
            for (int round = 0; round < ROUNDS; round++) {
                UsbContext usb = round % 2 == 0 ? UsbContext.create()
                        : UsbContext.newBuilder().completeOnEventThread().build();
                UsbDevice dev = ss.await(usb);
                UsbDeviceHandle h = dev.open();
                UsbInterfaceHandle itf = h.claimInterface(0);
                ConcurrentLinkedQueue<CompletableFuture<?>> reaped = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<UsbDeviceHandle> extra = new ConcurrentLinkedQueue<>();
                List<Thread> workers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    final int kind = w;
                    workers.add(Thread.ofPlatform().start(() -> {
                        try {
                            for (int i = 0; i < 10_000; i++) {
                                switch (kind) {
                                    case 0 -> {
                                        UsbTransferFuture<Integer> f = TransfersIT.outOf(itf).write(new byte[4096]);
                                        transfers.incrementAndGet();
                                        reaped.add(f.reaped());
                                    }
                                    case 1 -> {
                                        UsbTransferFuture<byte[]> f = h.controlIn(Rig.GET_STATUS, 2);
                                        transfers.incrementAndGet();
                                        reaped.add(f.reaped());
                                        if (i % 3 == 0) {
                                            f.cancel(true);
                                        }
                                    }
                                    case 2 -> {
                                        extra.add(dev.open());
                                        opens.incrementAndGet();
                                    }
                                    default -> {
                                        UsbInStream s = itf.inEndpoint(0x81).stream(
                                                new UsbStreamOptions(2, 4096), b -> { });
                                        streams.incrementAndGet();
                                        reaped.add(s.done().handle((v, e) -> null));
                                        Thread.sleep(2);
                                        s.close();
                                    }
                                }
                            }
                        } catch (IllegalStateException | UsbException expected) {
                            // closed under it: the documented failures
                        } catch (Throwable e) {
                            wrong.add(e.toString());
                        }
                    }));
                }
                Thread.sleep(1 + rnd.nextInt(40));
                int what = rnd.nextInt(4);
                closedWhat[what]++;
                long t0 = System.nanoTime();
                switch (what) {
                    case 0 -> itf.close();
                    case 1 -> h.close();
                    case 2 -> usb.close();
                    default -> {
                        Thread t = Thread.ofPlatform().start(usb::close); // two closers at once
                        h.close();
                        t.join(10_000);
                    }
                }
                usb.close();
                long closeMs = (System.nanoTime() - t0) / 1_000_000;
                for (Thread t : workers) {
                    t.join(10_000);
                    assertFalse(t.isAlive(), "round " + round + ": a worker hung");
                }
                CompletableFuture.allOf(reaped.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                for (UsbDeviceHandle x : extra) {
                    assertFalse(x.isOpen(), "round " + round + ": a handle outlived its context");
                }
                assertFalse(h.isOpen());
                assertTrue(closeMs < 10_000, "round " + round + ": close took " + closeMs + " ms");
            }
        }
        assertEquals(List.of(), List.copyOf(wrong));
        var fig = Campaign.figures();
        fig.put("rounds", ROUNDS);
        fig.put("transfers", transfers.get());
        fig.put("opens", opens.get());
        fig.put("streams", streams.get());
        fig.put("closedInterface", closedWhat[0]);
        fig.put("closedHandle", closedWhat[1]);
        fig.put("closedContext", closedWhat[2]);
        fig.put("closedTwoAtOnce", closedWhat[3]);
        fig.put("unexpected", wrong.size());
        Campaign.report("close-races", fig);
    }
}
