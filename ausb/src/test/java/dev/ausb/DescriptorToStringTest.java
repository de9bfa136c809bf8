package dev.ausb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The descriptor records print their ids, codes, attributes and addresses in hex. */
class DescriptorToStringTest {
    @Test
    void deviceDescriptor_hasHexIds() {
        UsbDeviceDescriptor dd = UsbDeviceDescriptor.parse(
                java.util.HexFormat.of().parseHex("12011002ef0201400a1addba000101020301"));
        assertEquals("UsbDeviceDescriptor[vendorId=0x1a0a, productId=0xbadd, usbVersion=2.10, class=0xef/0x02/0x01, "
                + "maxPacketSize0=64, deviceVersion=1.00, manufacturerIndex=1, productIndex=2, serialNumberIndex=3, "
                + "numConfigurations=1]", dd.toString());
    }

    @Test
    void configurationTree_printsEachLevel() {
        UsbEndpoint bulk = new UsbEndpoint(0x81, 0x02, 512, 0, 0, 0,
                Optional.of(new UsbSuperSpeedCompanion(15, 0x04, 0)), List.of());
        UsbEndpoint iso = new UsbEndpoint(0x03, 0x05, 0x1400 | 1024, 1, 0, 0x83, Optional.empty(),
                List.of(new UsbDescriptor(new byte[] {7, 0x25, 1, 0, 0, 0, 0})));
        assertEquals("UsbEndpoint[address=0x81, BULK IN, attributes=0x02, maxPacketSize=512, interval=0, "
                + "UsbSuperSpeedCompanion[maxBurst=15, attributes=0x04, bytesPerInterval=0]]", bulk.toString());
        assertEquals("UsbEndpoint[address=0x03, ISOCHRONOUS OUT ASYNCHRONOUS DATA, attributes=0x05, "
                + "maxPacketSize=1024x3, interval=1, refresh=0, synchAddress=0x83, extra=[07 25 01 00 00 00 00]]",
                iso.toString());
        UsbAlternateSetting alt = new UsbAlternateSetting(0, 1, 0xff, 0x42, 0x01, 4, List.of(bulk), List.of());
        assertEquals("UsbAlternateSetting[interface=0, alternateSetting=1, class=0xff/0x42/0x01, nameIndex=4, endpoints=["
                + bulk + "], extra=[]]", alt.toString());
        UsbInterface itf = new UsbInterface(0, List.of(alt));
        assertEquals("UsbInterface[number=0, alternateSettings=[" + alt + "]]", itf.toString());
        UsbInterfaceAssociation iad = new UsbInterfaceAssociation(2, 2, 0x02, 0x02, 0x01, 5);
        assertEquals("UsbInterfaceAssociation[interfaces=2..3, class=0x02/0x02/0x01, nameIndex=5]", iad.toString());
        UsbConfiguration c = new UsbConfiguration(1, 0, 0xa0, 50, 100, 32, List.of(itf), List.of(iad), List.of());
        assertEquals("UsbConfiguration[value=1, nameIndex=0, attributes=0xa0, maxPower=100mA, totalLength=32, interfaces=["
                + itf + "], associations=[" + iad + "], extra=[]]", c.toString());
    }

    @Test
    void bosCapabilities_printTheirFieldsInHex() {
        UsbDescriptor raw = new UsbDescriptor(new byte[] {7, 0x10, 2, 0x1e, 0, 0, 0});
        UsbBosCapability.Usb2Extension ext = new UsbBosCapability.Usb2Extension(0x1e, raw);
        assertEquals("Usb2Extension[attributes=0x0000001e, LPM]", ext.toString());
        assertEquals("SuperSpeed[attributes=0x00, speedsSupported=0x000e, functionalitySupport=1, "
                + "u1DeviceExitLatency=10 us, u2DeviceExitLatency=2047 us]",
                new UsbBosCapability.SuperSpeed(0, 0x0e, 1, 10, 2047, raw).toString());
        UUID id = UUID.fromString("d8dd60df-4589-4cc7-9cd2-659d9e648a9f");
        assertEquals("ContainerId[" + id + "]", new UsbBosCapability.ContainerId(id, raw).toString());
        assertEquals("SuperSpeedPlus[attributes=0x00000001, functionalitySupport=0x1100, sublinkSpeeds=[0x00050030]]",
                new UsbBosCapability.SuperSpeedPlus(1, 0x1100, List.of(0x00050030L), raw).toString());
        assertEquals("Other[type=0x02, bytes=07 10 02 1e 00 00 00]", new UsbBosCapability.Other(2, raw).toString());
        assertEquals("UsbBos[totalLength=12, capabilities=[" + ext + "]]", new UsbBos(12, List.of(ext)).toString());
    }
}
