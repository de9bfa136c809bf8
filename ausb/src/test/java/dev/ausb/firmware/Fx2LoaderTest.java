package dev.ausb.firmware;

import dev.ausb.UsbTransferFuture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDeviceGoneException;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDirection;
import dev.ausb.UsbStallException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fx2Loader on the host, against a boot ROM made of a proxy handle and 64 KiB of RAM: the order of
 * its requests (CPU held, chunks written and read back, CPU let run), a byte the RAM does not keep,
 * a run request the chip answers by leaving, and an image out of reach refused before anything is
 * sent. FirmwareLoadIT does the same through a virtual device in the lab.
 */
class Fx2LoaderTest {
    /** One 0xA0 request: OUT with its data, or IN with the bytes returned. */
    record Op(UsbDirection dir, int address, int length, int firstByte) {}

    final byte[] ram = new byte[0x10000];
    final List<Op> ops = new ArrayList<>();
    /** The address whose byte reads back wrong (-1: none). */
    int flaky = -1;
    /** How the run request (CPUCS = 0) ends: null for answered. */
    RuntimeException runFails;

    private UsbDeviceHandle rom() {
        return (UsbDeviceHandle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {UsbDeviceHandle.class},
                (p, m, a) -> switch (m.getName()) {
                    case "controlOut" -> {
                        UsbControlRequest r = (UsbControlRequest) a[0];
                        byte[] data = (byte[]) a[1];
                        assertEquals(0x40, r.bmRequestType(UsbDirection.OUT), "vendor, OUT, device");
                        assertEquals(0xA0, r.request());
                        assertEquals(0, r.index(), "FX2: wIndex 0");
                        ops.add(new Op(UsbDirection.OUT, r.value(), data.length, data.length > 0 ? data[0] & 0xff : -1));
                        if (r.value() == 0xE600 && data.length == 1 && data[0] == 0 && runFails != null) {
                            yield UsbTransferFuture.failed(runFails);
                        }
                        System.arraycopy(data, 0, ram, r.value(), data.length);
                        yield UsbTransferFuture.completed(data.length);
                    }
                    case "controlIn" -> {
                        UsbControlRequest r = (UsbControlRequest) a[0];
                        int n = (int) a[1];
                        assertEquals(0xC0, r.bmRequestType(UsbDirection.IN));
                        ops.add(new Op(UsbDirection.IN, r.value(), n, -1));
                        byte[] back = Arrays.copyOfRange(ram, r.value(), r.value() + n);
                        if (flaky >= r.value() && flaky < r.value() + n) {
                            back[flaky - r.value()] ^= 0x01;
                        }
                        yield UsbTransferFuture.completed(back);
                    }
                    case "toString" -> "FX2 boot ROM";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static IntelHex image(int address, byte[] data) throws FirmwareFormatException {
        StringBuilder s = new StringBuilder();
        for (int off = 0; off < data.length; off += 16) {
            int n = Math.min(16, data.length - off);
            int at = address + off;
            int sum = n + (at >> 8 & 0xff) + (at & 0xff);
            s.append(String.format(":%02X%04X00", n, at));
            for (int i = 0; i < n; i++) {
                s.append(String.format("%02X", data[off + i] & 0xff));
                sum += data[off + i] & 0xff;
            }
            s.append(String.format("%02X\n", -sum & 0xff));
        }
        return IntelHex.parse(s.append(":00000001FF\n").toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void load_holdsTheCpu_writesAndReadsBackEachChunk_thenRuns() throws Exception {
        byte[] data = random(2500);
        Fx2Loader.of(rom()).chunkSize(1024).load(image(0x0100, data));
        assertEquals(new Op(UsbDirection.OUT, 0xE600, 1, 1), ops.getFirst(), "CPUCS = 1 first: the 8051 held");
        assertEquals(new Op(UsbDirection.OUT, 0xE600, 1, 0), ops.getLast(), "CPUCS = 0 last: it runs");
        List<Op> body = ops.subList(1, ops.size() - 1);
        assertEquals(6, body.size(), "three chunks, each written then read back: " + body);
        int[] at = {0x0100, 0x0500, 0x0900};
        int[] len = {1024, 1024, 452};
        for (int i = 0; i < 3; i++) {
            assertEquals(new Op(UsbDirection.OUT, at[i], len[i], data[i * 1024] & 0xff), body.get(2 * i));
            assertEquals(new Op(UsbDirection.IN, at[i], len[i], -1), body.get(2 * i + 1));
        }
        assertArrayEquals(data, Arrays.copyOfRange(ram, 0x0100, 0x0100 + 2500));
    }

    @Test
    void aByteTheRamDoesNotKeep_failsAtItsAddress_andTheCpuStaysHeld() throws Exception {
        flaky = 0x0234;
        FirmwareLoadException e = assertThrows(FirmwareLoadException.class,
                () -> Fx2Loader.of(rom()).load(image(0x0100, random(1000))));
        assertEquals(0x0234, e.address());
        assertTrue(ops.stream().noneMatch(o -> o.address() == 0xE600 && o.firstByte() == 0), "never let run: " + ops);
    }

    @Test
    void aRunRequestTheChipAnswersByLeaving_isTheFirmwareStarting_butAStallFails() throws Exception {
        runFails = new UsbDeviceGoneException("gone", -4, "LIBUSB_ERROR_NO_DEVICE", 0, null);
        Fx2Loader.of(rom()).load(image(0, random(64))); // tolerated, as fxload does
        ops.clear();
        UsbStallException stall = new UsbStallException("stalled", -9, "LIBUSB_ERROR_PIPE", 0, null);
        runFails = stall;
        assertSame(stall, assertThrows(UsbStallException.class, () -> Fx2Loader.of(rom()).load(image(0, random(64)))));
    }

    @Test
    void anImageOutOfReach_isRefusedBeforeAnythingIsSent() throws Exception {
        IntelHex external = image(0x4000, random(16)); // FX2LP's internal RAM ends at 0x3FFF
        assertThrows(IllegalArgumentException.class, () -> Fx2Loader.of(rom()).load(external));
        assertEquals(List.of(), ops);
        Fx2Loader.of(rom()).chip(Fx2Loader.Chip.FX2).verify(false).load(image(0x1000, random(100)));
        assertTrue(ops.stream().noneMatch(o -> o.dir() == UsbDirection.IN), "no read-back without verify: " + ops);
        assertThrows(IllegalArgumentException.class,
                () -> Fx2Loader.of(rom()).chip(Fx2Loader.Chip.FX2).load(image(0x2000, random(16))), "FX2: 8 KiB");
    }
}
