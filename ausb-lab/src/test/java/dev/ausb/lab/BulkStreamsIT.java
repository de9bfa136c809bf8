package dev.ausb.lab;

import static dev.ausb.lab.UsbipDeviceIT.VID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInEndpoint;
import dev.ausb.UsbInterfaceHandle;
import dev.ausb.UsbNotSupportedException;
import dev.ausb.UsbOutEndpoint;
import dev.ausb.UsbSpeed;
import dev.ausb.UsbTransferFuture;
import dev.ausb.lab.usbip.Descriptors;
import dev.ausb.lab.usbip.Speed;
import dev.ausb.lab.usbip.VirtualDevice;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * USB 3 bulk streams: against QEMU's UAS disk (usb-uas on qemu-xhci, whose status, data-in and
 * data-out pipes have 16 streams each), two SCSI commands in flight at once, each answered on its
 * own stream; and the refusals: a host controller without streams (vhci_hcd), an endpoint whose
 * companion offers none (dummy_hcd's SourceSink at SuperSpeed), a device below SuperSpeed.
 */
@Timeout(120)
class BulkStreamsIT {
    static final UsbDeviceFilter UAS = UsbDeviceFilter.of(0x46f4, 0x0003);
    /** A Sense IU's most: 16 bytes of header and status, and up to 96 of sense data (the kernel's uas driver reads as much). */
    static final int SENSE_IU = 112;
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

    /** The endpoint of UAS pipe {@code id} (1 command, 2 status, 3 data-in, 4 data-out): its Pipe Usage descriptor says. */
    static int pipe(UsbDevice d, int id) {
        for (UsbEndpoint e : d.configurations().getFirst().interfaces().getFirst().alternateSettings().getLast().endpoints()) {
            byte[] x = e.extraBytes();
            for (int i = 0; i + 2 < x.length; i += Math.max(1, x[i] & 0xff)) {
                if ((x[i + 1] & 0xff) == 0x24 && (x[i + 2] & 0xff) == id) {
                    return e.address();
                }
            }
        }
        throw new AssertionError("no UAS pipe " + id + " on " + d);
    }

    private static void step(String what) {
        System.err.println("BulkStreamsIT: " + what);
    }

    /** A UAS Command IU: tag {@code tag} (the stream its data and status come on), LUN 0, {@code cdb}. */
    static byte[] command(int tag, byte... cdb) {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.put((byte) 0x01).put((byte) 0).putShort((short) tag).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        b.putLong(0); // LUN
        b.put(cdb);
        return b.array();
    }

    @Test
    void qemusUasDisk_answersTwoCommandsQueuedAtOnce_eachOnItsOwnStream() throws Exception {
        UsbDevice d = usb.findOne(UAS);
        assertEquals(UsbSpeed.SUPER, d.speed(), "usb-uas on qemu-xhci's SuperSpeed port");
        int cmd = pipe(d, 1);
        int status = pipe(d, 2);
        int dataIn = pipe(d, 3);
        int dataOut = pipe(d, 4);
        try (UsbDeviceHandle h = d.open()) {
            org.junit.jupiter.api.Assertions.assertTrue(h.setAutoDetachKernelDriver(true), "Linux has kernel-driver detach"); // the uas driver gives the interface up, and gets it back on release
            try (UsbInterfaceHandle itf = h.claimInterface(0)) {
                if (itf.alternateSetting().endpoints().size() != 4) {
                    itf.selectAlternateSetting(d.configurations().getFirst().interfaces().getFirst().alternateSettings()
                            .getLast().alternateSetting());
                }
                UsbInEndpoint in = itf.inEndpoint(dataIn);
                UsbInEndpoint st = itf.inEndpoint(status);
                assertThrows(IllegalStateException.class, () -> in.readBulkStream(1, 64), "no streams yet");
                assertThrows(UsbNotSupportedException.class, () -> itf.allocateBulkStreams(4, cmd),
                        "the command pipe has no streams");
                // a transfer in flight on the interface: the ioctl would kill it, so the allocation is refused
                UsbTransferFuture<byte[]> plain = st.read(SENSE_IU);
                UsbipDeviceIT.sleep(200);
                IllegalStateException busy = assertThrows(IllegalStateException.class,
                        () -> itf.allocateBulkStreams(4, status, dataIn, dataOut));
                assertTrue(busy.getMessage().contains("pending"), busy.getMessage());
                assertTrue(!plain.isDone(), "the pending read is untouched");
                plain.cancel(true);
                assertEquals(dev.ausb.UsbTransferResult.Status.CANCELLED, plain.reaped().get(10, TimeUnit.SECONDS).status());
                assertThrows(IllegalArgumentException.class, () -> itf.allocateBulkStreams(4, status, status), "twice");
                step("allocating");
                int n = itf.allocateBulkStreams(4, status, dataIn, dataOut);
                step("allocated " + n);
                assertEquals(4, n, "16 offered, 4 asked for");
                assertEquals(4, itf.bulkStreams(dataIn));
                assertEquals(0, itf.bulkStreams(cmd));
                assertThrows(IllegalStateException.class, () -> itf.allocateBulkStreams(2, status), "has streams already");
                assertThrows(IllegalArgumentException.class, () -> in.readBulkStream(5, 64), "streams 1..4");
                assertThrows(IllegalArgumentException.class, () -> in.readBulkStream(0, 64));

                // status reads take a whole Sense IU with its sense data (QEMU 7.2's usb-uas asserts,
                // aborting the VM, when a status IU is longer than the read asking for it)
                UsbOutEndpoint c = itf.outEndpoint(cmd);
                // TEST UNIT READY first: it takes the unit attention the uas driver's unbind may have left
                UsbTransferFuture<byte[]> turStatus = st.readBulkStream(1, SENSE_IU);
                c.write(command(1, new byte[6])).get(10, TimeUnit.SECONDS);
                step("test unit ready: status " + turStatus.get(10, TimeUnit.SECONDS)[6]);

                // INQUIRY on stream 1 and READ CAPACITY(10) on stream 2, both queued before either command
                UsbTransferFuture<byte[]> inquiry = in.readBulkStream(1, 36);
                UsbTransferFuture<byte[]> inquiryStatus = st.readBulkStream(1, SENSE_IU);
                UsbTransferFuture<byte[]> capacity = in.readBulkStream(2, 8);
                UsbTransferFuture<byte[]> capacityStatus = st.readBulkStream(2, SENSE_IU);
                step("reads queued");
                c.write(command(2, (byte) 0x25, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0,
                        (byte) 0, (byte) 0)).get(10, TimeUnit.SECONDS);
                c.write(command(1, (byte) 0x12, (byte) 0, (byte) 0, (byte) 0, (byte) 36, (byte) 0)).get(10, TimeUnit.SECONDS);

                step("commands sent");
                byte[] cap = capacity.get(10, TimeUnit.SECONDS);
                assertEquals(8, cap.length);
                ByteBuffer cb = ByteBuffer.wrap(cap);
                assertEquals(4 * 1024 * 1024 / 512 - 1, cb.getInt(), "the last block of the 4 MiB disk");
                assertEquals(512, cb.getInt(), "block size");
                byte[] inq = inquiry.get(10, TimeUnit.SECONDS);
                assertEquals(36, inq.length);
                assertEquals(0x00, inq[0] & 0x1f, "a direct-access device");
                assertEquals("QEMU", new String(inq, 8, 8, StandardCharsets.US_ASCII).trim());
                byte[] s1 = inquiryStatus.get(10, TimeUnit.SECONDS);
                byte[] s2 = capacityStatus.get(10, TimeUnit.SECONDS);
                for (byte[] sense : new byte[][] {s1, s2}) {
                    assertEquals(0x03, sense[0], "a Sense IU");
                    assertEquals(0, sense[6], "status GOOD");
                }
                assertEquals(1, ByteBuffer.wrap(s1).getShort(2), "stream 1 carried tag 1's status");
                assertEquals(2, ByteBuffer.wrap(s2).getShort(2), "stream 2 carried tag 2's status");

                step("two commands answered");
                // READ(10) of block 0 on stream 3: the disk's first bytes
                UsbTransferFuture<byte[]> block = in.readBulkStream(3, 512);
                UsbTransferFuture<byte[]> blockStatus = st.readBulkStream(3, SENSE_IU);
                c.write(command(3, (byte) 0x28, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0,
                        (byte) 1, (byte) 0)).get(10, TimeUnit.SECONDS);
                byte[] b0 = block.get(10, TimeUnit.SECONDS);
                assertEquals("AUSB-LAB-UAS0", new String(b0, 0, 13, StandardCharsets.US_ASCII));
                assertEquals(0, blockStatus.get(10, TimeUnit.SECONDS)[6]);

                step("read answered");
                // a read on a stream nobody answers is cancelled on the common lifecycle
                UsbTransferFuture<byte[]> idle = in.readBulkStream(4, 512);
                UsbipDeviceIT.sleep(200);
                assertTrue(idle.cancel(true));
                assertEquals(dev.ausb.UsbTransferResult.Status.CANCELLED, idle.reaped().get(10, TimeUnit.SECONDS).status());

                step("cancelled");
                itf.freeBulkStreams(status, dataIn, dataOut);
                assertEquals(0, itf.bulkStreams(dataIn));
                assertThrows(IllegalStateException.class, () -> in.readBulkStream(1, 64), "freed");
                assertThrows(IllegalStateException.class, () -> itf.freeBulkStreams(dataIn), "nothing to free");
                assertEquals(4, itf.allocateBulkStreams(4, status, dataIn, dataOut), "allocated again");
                h.reset(); // libusb re-claims the interface: the kernel freed its streams
                assertEquals(0, itf.bulkStreams(dataIn), "a reset loses the streams");
                assertThrows(IllegalStateException.class, () -> in.readBulkStream(1, 64));
                assertEquals(4, itf.allocateBulkStreams(4, status, dataIn, dataOut), "allocated after the reset");
                step("releasing");
            } // released with its streams; the uas driver takes the interface back
        }
    }

    @Test
    void aHostControllerWithoutStreams_refusesThem_namingItsDriver() throws Exception {
        int pid = 0x7c10;
        byte[] config = Descriptors.configuration(1, 0x80, 25, Descriptors.iface(0, 0, 0xff, 0, 0, 0,
                Descriptors.bulk(0x81, 1024), Descriptors.ssCompanion(0, 4, 0),
                Descriptors.bulk(0x02, 1024), Descriptors.ssCompanion(0, 4, 0)));
        try (VirtualDevice v = VirtualDevice.builder()
                .device(Descriptors.device(VID, pid).usb(0x0320).maxPacketSize0(9).strings(0, 1, 0))
                .configuration(config).bos(Descriptors.bos(Descriptors.usb2Extension(0x02),
                        Descriptors.superSpeedCapability(0x0e, 1, 10, 0x100)))
                .handler(urb -> urb.endpoint() == 0x81 ? dev.ausb.lab.usbip.Reply.data(new byte[1024]) : dev.ausb.lab.usbip.Reply.standard())
                .strings("streams").speed(Speed.SUPER).attach();
                UsbDeviceHandle h = UsbipDeviceIT.find(usb, v, pid).open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
            assertEquals(16, itf.alternateSetting().endpoint(0x81).orElseThrow().superSpeedCompanion().orElseThrow()
                    .maxStreams(), "the companion offers 16");
            // a stream whose only transfer is with its handler: nothing in flight, yet the ioctl would
            // end what it resubmits: refused, and the stream goes on
            java.util.concurrent.CountDownLatch inHandler = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();
            dev.ausb.UsbInStream stream = itf.inEndpoint(0x81).stream(new dev.ausb.UsbStreamOptions(1, 1024), b -> {
                if (delivered.incrementAndGet() == 1) {
                    inHandler.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertTrue(inHandler.await(20, TimeUnit.SECONDS));
            IllegalStateException busy = assertThrows(IllegalStateException.class, () -> itf.allocateBulkStreams(4, 0x81, 0x02));
            assertTrue(busy.getMessage().contains("stream"), busy.getMessage());
            release.countDown();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (delivered.get() < 5 && System.nanoTime() < deadline) {
                UsbipDeviceIT.sleep(20);
            }
            assertTrue(delivered.get() >= 5, "the stream went on: " + delivered.get());
            assertFalse(stream.done().isDone(), "and was not ended by the refused allocation");
            stream.close();
            UsbNotSupportedException e = assertThrows(UsbNotSupportedException.class, () -> itf.allocateBulkStreams(4, 0x81, 0x02));
            assertTrue(e.getMessage().contains("vhci_hcd"), e.getMessage());
            assertEquals(0, itf.bulkStreams(0x81));
            assertThrows(IllegalStateException.class, () -> itf.inEndpoint(0x81).readBulkStream(1, 1024));
            // the endpoints still work without streams
            assertTrue(v.port() >= 0);
            v.checkHealthy();
        }
    }

    @Test
    void anEndpointWithoutStreams_andADeviceBelowSuperSpeed_areRefusedBeforeAnyIo() {
        try (Gadget g = Gadget.builder().function("SourceSink", Map.of()).bind()) {
            UsbDevice d = g.await(usb);
            assertEquals(UsbSpeed.SUPER, d.speed());
            try (UsbDeviceHandle h = d.open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
                int in = itf.endpoints().stream().filter(e -> e.direction() == dev.ausb.UsbDirection.IN).findFirst()
                        .orElseThrow().address();
                UsbNotSupportedException e = assertThrows(UsbNotSupportedException.class, () -> itf.allocateBulkStreams(2, in));
                assertTrue(e.getMessage().contains("has no streams"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> itf.allocateBulkStreams(0, in));
                assertThrows(IllegalArgumentException.class, () -> itf.allocateBulkStreams(2, 0x8f), "no such endpoint");
            }
        }
        try (Gadget g = Gadget.builder().function("SourceSink", Map.of()).maxSpeed("high-speed").bind()) {
            UsbDevice d = g.await(usb);
            try (UsbDeviceHandle h = d.open(); UsbInterfaceHandle itf = h.claimInterface(0)) {
                UsbNotSupportedException e = assertThrows(UsbNotSupportedException.class,
                        () -> itf.allocateBulkStreams(2, itf.endpoints().getFirst().address()));
                assertTrue(e.getMessage().contains("SuperSpeed"), e.getMessage());
            }
        }
    }
}
