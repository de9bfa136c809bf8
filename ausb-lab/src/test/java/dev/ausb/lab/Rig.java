package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbOutEndpoint;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the lifecycle tests share: a Loopback gadget opened and claimed (what is written to its OUT
 * endpoint comes back on IN; IN has nothing to send until then), and a way to hold the event
 * thread still so that a test decides when libusb's callbacks run.
 */
final class Rig implements AutoCloseable {
    static final int BUFLEN = TransfersIT.BUFLEN;
    static final UsbControlRequest GET_STATUS = UsbControlRequest.standard(UsbControlRequest.Recipient.DEVICE,
            UsbControlRequest.GET_STATUS, 0, 0);

    final Gadget gadget;
    final UsbDeviceHandle handle;
    final UsbInterfaceHandle itf;
    final UsbInEndpoint in;
    final UsbOutEndpoint out;

    private Rig(Gadget gadget, UsbDeviceHandle handle) {
        this.gadget = gadget;
        this.handle = handle;
        this.itf = handle.claimInterface(0);
        this.in = TransfersIT.inOf(itf);
        this.out = TransfersIT.outOf(itf);
    }

    /** A Loopback gadget on dummy_udc.{@code udc}, opened through {@code usb} and claimed. */
    static Rig loopback(UsbContext usb, int udc) {
        Gadget g = Gadget.builder().productId(0x100b + udc).strings("Lab", "Loopback")
                .function("Loopback", Map.of("bulk_buflen", "" + BUFLEN)).maxSpeed("high-speed").udc(udc).bind();
        try {
            return new Rig(g, g.await(usb).open());
        } catch (RuntimeException | Error e) {
            g.close();
            throw e;
        }
    }

    /** Sends {@code data} through the loop: the next read gets it back. */
    void loop(byte[] data) throws Exception {
        out.write(data).get(5, TimeUnit.SECONDS);
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    @Override
    public void close() {
        try {
            handle.close();
        } finally {
            gadget.close();
        }
    }

    /**
     * Runs {@code r} on the event thread of a {@code completeOnEventThread()} context: as the
     * continuation of a read of this loop, which cannot complete before the continuation is
     * attached because the loop has nothing to send until the write that follows.
     */
    CompletableFuture<Void> onEventThread(Runnable r) throws Exception {
        CompletableFuture<Void> c = in.read(BUFLEN).thenRun(r);
        loop(new byte[] {42});
        return c;
    }

    /** Parks the event thread of this rig's {@code completeOnEventThread()} context until released. */
    EventThreadHold holdEventThread() throws Exception {
        return new EventThreadHold(this);
    }

    /**
     * Parks the event thread of a {@code completeOnEventThread()} context inside a continuation,
     * until released: no callback of that context runs meanwhile, so a cancelled transfer is not
     * reaped, and what is submitted after it must wait.
     */
    static final class EventThreadHold implements AutoCloseable {
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<Void> done;
        volatile String thread;

        EventThreadHold(Rig rig) throws Exception {
            done = rig.onEventThread(() -> {
                thread = Thread.currentThread().getName();
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(entered.await(5, TimeUnit.SECONDS), "the continuation did not start");
            assertTrue(thread.startsWith("ausb-events"), "holding " + thread + ", not the event thread");
        }

        void release() {
            release.countDown();
        }

        @Override
        public void close() {
            release();
        }
    }
}
