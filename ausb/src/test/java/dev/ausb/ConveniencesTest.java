package dev.ausb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a first program needs beside transfers: stream options to start from, endpoints found by address. */
class ConveniencesTest {
    /** A configuration: interface 0 alt 0 bulk IN 0x81; alt 1 iso IN 0x82 (192 bytes); interface 1 alt 0 iso IN 0x82 (64 bytes). */
    private static final byte[] CONFIG = {
        9, 2, 55, 0, 2, 1, 0, (byte) 0x80, 50,
        9, 4, 0, 0, 1, (byte) 0xff, 0, 0, 0,
        7, 5, (byte) 0x81, 2, 0, 2, 0,
        9, 4, 0, 1, 1, (byte) 0xff, 0, 0, 0,
        7, 5, (byte) 0x82, 5, (byte) 0xc0, 0, 1,
        9, 4, 1, 0, 1, (byte) 0xff, 0, 0, 0,
        7, 5, (byte) 0x82, 5, 64, 0, 1,
    };

    @Test
    void anEndpointIsFoundAcrossInterfacesAndAlternateSettings() {
        UsbConfiguration cfg = UsbConfiguration.parse(CONFIG, UsbSpeed.HIGH);
        UsbEndpointLocation bulk = cfg.findEndpoint(0x81).orElseThrow();
        assertEquals(0, bulk.interfaceNumber());
        assertEquals(0, bulk.alternateSettingNumber());
        assertEquals(UsbTransferType.BULK, bulk.endpoint().transferType());

        List<UsbEndpointLocation> iso = cfg.findEndpoints(0x82);
        assertEquals(2, iso.size());
        assertEquals(List.of(0, 1), iso.stream().map(UsbEndpointLocation::interfaceNumber).toList());
        assertEquals(List.of(1, 0), iso.stream().map(UsbEndpointLocation::alternateSettingNumber).toList());
        assertEquals(List.of(192, 64), iso.stream().map(l -> l.endpoint().maxPacketSize()).toList());
        assertEquals(iso.getFirst(), cfg.findEndpoint(0x82).orElseThrow());
        assertEquals("endpoint 0x82 at interface 0 alternate setting 1", iso.getFirst().toString());

        assertTrue(cfg.findEndpoint(0x01).isEmpty(), "OUT 0x01 is not IN 0x81");
        assertThrows(IllegalArgumentException.class, () -> cfg.findEndpoint(0x100));
        assertThrows(IllegalArgumentException.class, () -> cfg.findEndpoints(-1));
        UsbAlternateSetting alt0 = cfg.interfaces().getFirst().alternateSettings().getFirst();
        assertThrows(IllegalArgumentException.class, () -> new UsbEndpointLocation(alt0, iso.getFirst().endpoint()));
    }

    @Test
    void streamOptionsStartFromDefaultsAndChangeOneThing() {
        UsbConfiguration cfg = UsbConfiguration.parse(CONFIG, UsbSpeed.HIGH);
        UsbEndpoint bulk = cfg.findEndpoint(0x81).orElseThrow().endpoint();
        UsbStreamOptions d = UsbStreamOptions.defaults(bulk, UsbSpeed.HIGH);
        assertEquals(new UsbStreamOptions(8, 16384), d);
        assertEquals(new UsbStreamOptions(32, 16384), d.withTransfers(32));
        assertEquals(new UsbStreamOptions(8, 4096), d.withTransferSize(4096));
        assertThrows(IllegalArgumentException.class, () -> d.withTransfers(0));
        assertThrows(IllegalArgumentException.class, () -> d.withTransferSize(65 << 20));

        UsbIsoStreamOptions iso = UsbIsoStreamOptions.defaults(192);
        assertEquals(new UsbIsoStreamOptions(8, 8, 192), iso);
        assertEquals(new UsbIsoStreamOptions(4, 8, 192), iso.withTransfers(4));
        assertEquals(new UsbIsoStreamOptions(8, 32, 192), iso.withPackets(32));
        assertEquals(new UsbIsoStreamOptions(8, 8, 100), iso.withPacketLength(100));
        assertThrows(IllegalArgumentException.class, () -> iso.withPackets(0));
        assertThrows(IllegalArgumentException.class, () -> UsbIsoStreamOptions.defaults(0));
    }
}
