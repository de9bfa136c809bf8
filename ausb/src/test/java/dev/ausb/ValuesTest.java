package dev.ausb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void bcdVersion_readsAsLsusbPrintsIt() {
        assertEquals("2.00", new UsbVersion(0x0200).toString());
        assertEquals("3.10", new UsbVersion(0x0310).toString());
        assertEquals("6.01", new UsbVersion(0x0601).toString());
        assertEquals(2, new UsbVersion(0x0210).major());
        assertEquals(1, new UsbVersion(0x0210).minor());
        assertEquals(12, new UsbVersion(0x1234).major());
        assertThrows(IllegalArgumentException.class, () -> new UsbVersion(0x10000));
    }

    @Test
    void maxPacketSize0_isAnExponentForUsb3() {
        byte[] usb3 = {18, 1, 0x20, 0x03, 0, 0, 0, 9, 0x6b, 0x1d, 3, 0, 1, 6, 3, 2, 1, 1};
        assertEquals(512, UsbDeviceDescriptor.parse(usb3).maxPacketSize0());
        usb3[2] = 0x00;
        usb3[3] = 0x02;
        usb3[7] = 64;
        assertEquals(64, UsbDeviceDescriptor.parse(usb3).maxPacketSize0());
        assertEquals(0x1d6b, UsbDeviceDescriptor.parse(usb3).vendorId());
    }

    @Test
    void rawDescriptor_isAValueAndCopiesItsBytes() {
        byte[] b = {3, 0x24, 7};
        UsbDescriptor d = new UsbDescriptor(b);
        b[2] = 9;
        assertEquals(7, d.u8(2));
        assertEquals(new UsbDescriptor(new byte[] {3, 0x24, 7}), d);
        assertNotEquals(new UsbDescriptor(new byte[] {3, 0x24, 8}), d);
        assertEquals("03 24 07", d.toString());
        assertThrows(IllegalArgumentException.class, () -> new UsbDescriptor(new byte[1]));
    }

    @Test
    void endpoint_derivedFields() {
        UsbEndpoint ep = new UsbEndpoint(0x83, 0x15, 0x1400 | 1024, 1, 0, 0, Optional.empty(), List.of());
        assertEquals(3, ep.number());
        assertEquals(UsbDirection.IN, ep.direction());
        assertEquals(UsbTransferType.ISOCHRONOUS, ep.transferType());
        assertEquals(UsbSyncType.ASYNCHRONOUS, ep.syncType());
        assertEquals(UsbUsageType.FEEDBACK, ep.usageType());
        assertEquals(1024, ep.maxPacketSize());
        assertEquals(3, ep.transactionsPerMicroframe());
    }

    @Test
    void filter_describesItsCriteriaAndRejectsOutOfRangeValues() {
        UsbDeviceFilter f = UsbDeviceFilter.of(0x1a0a, 0xbadd).usbClass(0xff).bus(3).portPath(1, 2);
        assertEquals("vendorId=0x1a0a, productId=0xbadd, class=0xff, bus=3, portPath=1.2", f.toString());
        assertEquals("any device", UsbDeviceFilter.any().toString());
        assertThrows(IllegalArgumentException.class, () -> UsbDeviceFilter.any().vendorId(0x10000));
        assertThrows(IllegalArgumentException.class, () -> UsbDeviceFilter.any().usbClass(256));
        assertThrows(NullPointerException.class, () -> UsbDeviceFilter.any().serialNumber(null));
    }
}
