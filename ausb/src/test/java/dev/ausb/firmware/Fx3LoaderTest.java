package dev.ausb.firmware;

import dev.ausb.UsbTransferFuture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbControlRequest;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbDirection;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fx3Loader on the host, against a boot loader made of a proxy handle: sections written in 4 KiB
 * chunks at their 32-bit addresses (wValue the low half, wIndex the high), read back, then the jump
 * to the entry point as an empty OUT request; a byte not kept fails with no jump.
 */
class Fx3LoaderTest {
    record Op(UsbDirection dir, long address, int length) {}

    final Map<Long, Byte> memory = new HashMap<>();
    final List<Op> ops = new ArrayList<>();
    long flaky = -1;

    private UsbDeviceHandle bootLoader() {
        return (UsbDeviceHandle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {UsbDeviceHandle.class},
                (p, m, a) -> switch (m.getName()) {
                    case "controlOut" -> {
                        UsbControlRequest r = (UsbControlRequest) a[0];
                        byte[] data = (byte[]) a[1];
                        assertEquals(0x40, r.bmRequestType(UsbDirection.OUT));
                        assertEquals(0xA0, r.request());
                        long at = (long) r.index() << 16 | r.value();
                        ops.add(new Op(UsbDirection.OUT, at, data.length));
                        for (int i = 0; i < data.length; i++) {
                            memory.put(at + i, data[i]);
                        }
                        yield UsbTransferFuture.completed(data.length);
                    }
                    case "controlIn" -> {
                        UsbControlRequest r = (UsbControlRequest) a[0];
                        int n = (int) a[1];
                        long at = (long) r.index() << 16 | r.value();
                        ops.add(new Op(UsbDirection.IN, at, n));
                        byte[] back = new byte[n];
                        for (int i = 0; i < n; i++) {
                            back[i] = memory.getOrDefault(at + i, (byte) 0);
                            if (at + i == flaky) {
                                back[i] ^= 0x40;
                            }
                        }
                        yield UsbTransferFuture.completed(back);
                    }
                    case "toString" -> "FX3 boot loader";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void load_writesEachSectionAtItsWideAddress_inChunks_thenJumps() throws Exception {
        byte[] code = random(9000);
        byte[] data = random(64);
        Fx3Image img = Fx3Image.parse(Fx3Image.encode(List.of(new FirmwareSegment(0x4000_0000L, code),
                new FirmwareSegment(0x1000_2000L, data)), 0x4000_0100L));
        Fx3Loader.of(bootLoader()).load(img);
        List<Op> writes = ops.stream().filter(o -> o.dir() == UsbDirection.OUT && o.length() > 0).toList();
        assertEquals(List.of(new Op(UsbDirection.OUT, 0x4000_0000L, 4096), new Op(UsbDirection.OUT, 0x4000_1000L, 4096),
                new Op(UsbDirection.OUT, 0x4000_2000L, 808), new Op(UsbDirection.OUT, 0x1000_2000L, 64)), writes);
        assertEquals(4, ops.stream().filter(o -> o.dir() == UsbDirection.IN).count(), "each chunk read back");
        assertEquals(new Op(UsbDirection.OUT, 0x4000_0100L, 0), ops.getLast(), "the jump: the entry point, no data");
        byte[] kept = new byte[code.length];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = memory.get(0x4000_0000L + i);
        }
        assertArrayEquals(code, kept);
    }

    @Test
    void aByteNotKept_failsAtItsAddress_andThereIsNoJump() throws Exception {
        flaky = 0x4000_1234L;
        Fx3Image img = Fx3Image.parse(Fx3Image.encode(List.of(new FirmwareSegment(0x4000_0000L, random(8192))),
                0x4000_0000L));
        FirmwareLoadException e = assertThrows(FirmwareLoadException.class, () -> Fx3Loader.of(bootLoader()).load(img));
        assertEquals(0x4000_1234L, e.address());
        assertTrue(ops.stream().noneMatch(o -> o.dir() == UsbDirection.OUT && o.length() == 0), "no jump: " + ops);
        assertThrows(IllegalArgumentException.class, () -> Fx3Loader.of(bootLoader()).chunkSize(1002), "not whole words");
        assertThrows(IllegalArgumentException.class, () -> Fx3Loader.of(bootLoader()).chunkSize(8192), "over 4 KiB");
    }
}
