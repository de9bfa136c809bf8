package dev.ausb.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.ausb.UsbDirection;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbIsoPacket;
import dev.ausb.UsbIsoResult;
import dev.ausb.UsbSpeed;
import dev.ausb.UsbSuperSpeedCompanion;
import dev.ausb.UsbTransferResult.Status;
import dev.ausb.internal.libusb.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IsoTest {
    private static UsbEndpoint iso(int wMaxPacketSize, UsbSuperSpeedCompanion companion) {
        return new UsbEndpoint(0x81, 0x05, wMaxPacketSize, 1, 0, 0, Optional.ofNullable(companion), List.of());
    }

    @Test
    void maxPacketBytes_followsTheSpeedAndTheDescriptors() {
        assertEquals(1023, Iso.maxPacketBytes(iso(1023, null), UsbSpeed.FULL));
        assertEquals(1024, Iso.maxPacketBytes(iso(1024, null), UsbSpeed.HIGH));
        assertEquals(3072, Iso.maxPacketBytes(iso(1024 | 2 << 11, null), UsbSpeed.HIGH), "three transactions");
        // SuperSpeed: the companion's wBytesPerInterval, even when below wMaxPacketSize x burst x mult
        assertEquals(49152, Iso.maxPacketBytes(iso(1024, new UsbSuperSpeedCompanion(15, 2, 49152)), UsbSpeed.SUPER));
        assertEquals(3000, Iso.maxPacketBytes(iso(1024, new UsbSuperSpeedCompanion(2, 0, 3000)), UsbSpeed.SUPER));
        assertEquals(1024, Iso.maxPacketBytes(iso(1024, null), UsbSpeed.SUPER), "no companion: the packet size alone");
        assertEquals(2048, Iso.maxPacketBytes(iso(1024 | 1 << 11, null), UsbSpeed.UNKNOWN), "the multiplier, as libusb");
    }

    @Test
    void packetLengths_areCheckedAgainstTheIntervalsCapacity() {
        assertEquals(6, Iso.checkPackets(new int[] {1, 2, 3}, 3, false, "iso IN"));
        assertEquals(3, Iso.checkPackets(new int[] {0, 3}, 3, true, "iso OUT"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Iso.checkPackets(new int[] {3, 4}, 3, false, "iso IN 0x81"));
        assertEquals("packet 1 of 4 bytes: iso IN 0x81 carries 1..3 bytes per packet (one service interval)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Iso.checkPackets(new int[] {0}, 3, false, "in"), "a 0-byte IN packet");
        assertThrows(IllegalArgumentException.class, () -> Iso.checkPackets(new int[0], 3, true, "none"));
        assertThrows(IllegalArgumentException.class, () -> Iso.checkPackets(new int[1025], 3, true, "too many"));
    }

    @Test
    void theStructCarriesEachPacketsLength_andTheResultReadsThemBack() {
        MemorySegment struct = Arena.ofAuto().allocate(Structs.TRANSFER.byteSize() + 8 * Structs.ISO_PACKET_DESCRIPTOR.byteSize(), 8);
        Transfer t = new Transfer(0, struct, 8);
        t.prepare(0x81, Structs.TRANSFER_TYPE_ISOCHRONOUS, 0, MemorySegment.NULL, 60, 0);
        t.prepareIso(new int[] {10, 20, 30});
        t.writeStruct(MemorySegment.NULL, MemorySegment.NULL);
        assertEquals(3, struct.get(JAVA_INT, Structs.TRANSFER_NUM_ISO_PACKETS));
        assertEquals(20, t.isoLength(1));
        assertThrows(IllegalStateException.class, () -> t.prepareIso(new int[9]), "more packets than the struct has room for");
        // what libusb hands back: packet 0 full, packet 1 short, packet 2 failed
        long desc = Structs.TRANSFER_ISO_PACKET_DESC;
        struct.set(JAVA_INT, desc + 4, 10);
        struct.set(JAVA_INT, desc + 12 + 4, 5);
        struct.set(JAVA_INT, desc + 24 + 4, 99); // never beyond the packet's length
        struct.set(JAVA_INT, desc + 24 + 8, 1);
        MemorySegment buf = Arena.ofAuto().allocate(60);
        for (int i = 0; i < 60; i++) {
            buf.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        UsbIsoResult r = new Iso.Result(UsbDirection.IN).convert(t, buf, 0);
        assertEquals(new UsbIsoPacket(0, 10, 10, Status.COMPLETED), r.packet(0));
        assertEquals(new UsbIsoPacket(10, 20, 5, Status.COMPLETED), r.packet(1));
        assertEquals(new UsbIsoPacket(30, 30, 30, Status.ERROR), r.packet(2));
        assertArrayEquals(new byte[] {10, 11, 12, 13, 14}, r.packetData(1), "a short packet's bytes, at its offset");
        assertEquals(30, r.packetData(2)[0], "a failed packet still hands back the bytes it says it carried");
        assertEquals(1, r.failedPackets());
        t.clear();
        assertEquals(0, t.isoPackets());
    }

    @Test
    void resultsRefuseValuesThatCannotBe() {
        assertThrows(IllegalArgumentException.class, () -> new UsbIsoPacket(0, 10, 11, Status.COMPLETED));
        assertThrows(IllegalArgumentException.class, () -> new UsbIsoResult(UsbDirection.IN,
                List.of(new UsbIsoPacket(8, 10, 10, Status.COMPLETED)), new byte[10]));
    }
}
