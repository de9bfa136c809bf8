package dev.ausb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbAlternateSetting;
import dev.ausb.UsbBos;
import dev.ausb.UsbBosCapability;
import dev.ausb.UsbConfiguration;
import dev.ausb.UsbDirection;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInterfaceAssociation;
import dev.ausb.UsbSyncType;
import dev.ausb.UsbTransferType;
import dev.ausb.UsbUsageType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DescriptorParserTest {

    @Test
    void sourceSink_bulkPairAtHighSpeed() {
        UsbConfiguration c = DescriptorParser.parseConfiguration(Fixtures.SOURCESINK_HS, false);
        assertEquals(1, c.value());
        assertEquals(0x20, c.totalLength());
        assertEquals(2, c.maxPowerMilliamps());
        assertFalse(c.selfPowered());
        assertEquals(1, c.interfaces().size());
        UsbAlternateSetting alt = c.interfaces().getFirst().defaultSetting();
        assertEquals(0xff, alt.interfaceClass());
        assertEquals(2, alt.endpoints().size());
        UsbEndpoint in = alt.endpoint(0x81).orElseThrow();
        assertEquals(UsbDirection.IN, in.direction());
        assertEquals(UsbTransferType.BULK, in.transferType());
        assertEquals(512, in.maxPacketSize());
        assertEquals(1, in.number());
        UsbEndpoint out = alt.endpoint(0x02).orElseThrow();
        assertEquals(UsbDirection.OUT, out.direction());
        assertTrue(alt.endpoint(0x82).isEmpty());
    }

    @Test
    void keyboard_keepsHidClassDescriptorAsExtraOfTheInterface() {
        UsbConfiguration c = DescriptorParser.parseConfiguration(Fixtures.KEYBOARD, false);
        assertTrue(c.remoteWakeup());
        assertEquals(100, c.maxPowerMilliamps());
        UsbAlternateSetting alt = c.interfaces().getFirst().defaultSetting();
        assertEquals(List.of(3, 1, 1), List.of(alt.interfaceClass(), alt.interfaceSubclass(), alt.interfaceProtocol()));
        assertEquals(7, alt.nameIndex());
        assertEquals(1, alt.extra().size());
        assertEquals(0x21, alt.extra().getFirst().type());
        assertEquals(0x3f, alt.extra().getFirst().u16(7)); // report descriptor length
        assertEquals(9, alt.extraBytes().length);
        UsbEndpoint ep = alt.endpoints().getFirst();
        assertEquals(UsbTransferType.INTERRUPT, ep.transferType());
        assertEquals(8, ep.maxPacketSize());
        assertEquals(7, ep.interval());
    }

    @Test
    void interfaceAssociation_isDecodedAndClassDescriptorsStayWithTheirInterface() {
        UsbConfiguration c = DescriptorParser.parseConfiguration(Fixtures.CDC_ACM_IAD, false);
        assertEquals(List.of(new UsbInterfaceAssociation(0, 2, 2, 2, 1, 5)), c.associations());
        assertTrue(c.associations().getFirst().includes(1));
        assertFalse(c.associations().getFirst().includes(2));
        assertTrue(c.extra().isEmpty());
        UsbAlternateSetting control = c.findInterface(0).orElseThrow().defaultSetting();
        assertEquals(4, control.extra().size());
        assertTrue(control.extra().stream().allMatch(d -> d.type() == 0x24));
        UsbAlternateSetting data = c.findInterface(1).orElseThrow().defaultSetting();
        assertEquals(0x0a, data.interfaceClass());
        assertEquals(List.of(0x01, 0x81), data.endpoints().stream().map(UsbEndpoint::address).toList());
    }

    @Test
    void superSpeed_companionsAndEightMilliampUnits() {
        UsbConfiguration c = DescriptorParser.parseConfiguration(Fixtures.SUPERSPEED_BULK, true);
        assertEquals(400, c.maxPowerMilliamps());
        assertEquals(0x32, c.maxPower());
        assertTrue(c.selfPowered());
        UsbAlternateSetting alt = c.interfaces().getFirst().defaultSetting();
        var in = alt.endpoint(0x81).orElseThrow().superSpeedCompanion().orElseThrow();
        assertEquals(15, in.maxBurst());
        assertEquals(0, in.maxStreams());
        var out = alt.endpoint(0x02).orElseThrow().superSpeedCompanion().orElseThrow();
        assertEquals(16, out.maxStreams());
        assertEquals(1024, alt.endpoint(0x02).orElseThrow().maxPacketSize());
        assertTrue(alt.endpoint(0x02).orElseThrow().extra().isEmpty());
    }

    @Test
    void audio_alternateSettingsIsochronousAttributesAndHighBandwidth() {
        UsbConfiguration c = DescriptorParser.parseConfiguration(Fixtures.AUDIO_ALT, false);
        var itf = c.findInterface(1).orElseThrow();
        assertEquals(2, itf.alternateSettings().size());
        assertTrue(itf.alternateSetting(0).orElseThrow().endpoints().isEmpty());
        UsbAlternateSetting alt1 = itf.alternateSetting(1).orElseThrow();
        assertEquals(2, alt1.extra().size());
        UsbEndpoint ep = alt1.endpoints().getFirst();
        assertEquals(UsbTransferType.ISOCHRONOUS, ep.transferType());
        assertEquals(UsbSyncType.SYNCHRONOUS, ep.syncType());
        assertEquals(UsbUsageType.DATA, ep.usageType());
        assertEquals(0x1400, ep.rawMaxPacketSize());
        assertEquals(3, ep.transactionsPerMicroframe());
        assertEquals(1024, ep.maxPacketSize());
        assertEquals(1, ep.extra().size());
        assertEquals(0x25, ep.extra().getFirst().type());
    }

    @Test
    void truncatedConfiguration_keepsWhatIsWhole() {
        byte[] cut = java.util.Arrays.copyOf(Fixtures.CDC_ACM_IAD, 40);
        UsbConfiguration c = DescriptorParser.parseConfiguration(cut, false);
        assertEquals(1, c.interfaces().size());
        assertEquals(3, c.interfaces().getFirst().defaultSetting().extra().size());
    }

    @Test
    void zeroLengthDescriptor_endsTheWalkInsteadOfLooping() {
        byte[] b = Fixtures.hex("09 02 14 00 01 01 00 80 32 00 04 00 00 00 00 00 00 00 00 00");
        assertTrue(DescriptorParser.parseConfiguration(b, false).interfaces().isEmpty());
    }

    @Test
    void notAConfiguration_isRejectedWithTheBytes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DescriptorParser.parseConfiguration(Fixtures.hex("12 01 00 02"), false));
        assertTrue(e.getMessage().contains("12 01 00 02"), e.getMessage());
    }

    @Test
    void bos_decodesUsb2ExtensionSuperSpeedAndContainerId() {
        UsbBos bos = DescriptorParser.parseBos(Fixtures.BOS);
        assertEquals(42, bos.totalLength());
        assertEquals(3, bos.capabilities().size());
        assertTrue(bos.capability(UsbBosCapability.Usb2Extension.class).orElseThrow().linkPowerManagement());
        var ss = bos.capability(UsbBosCapability.SuperSpeed.class).orElseThrow();
        assertEquals(0x0e, ss.speedsSupported());
        assertEquals(1, ss.functionalitySupport());
        assertEquals(10, ss.u1DeviceExitLatency());
        assertEquals(0x07ff, ss.u2DeviceExitLatency());
        assertEquals(UUID.fromString("03020100-0504-0706-0809-0a0b0c0d0e0f"),
                bos.capability(UsbBosCapability.ContainerId.class).orElseThrow().containerId());
    }

    @Test
    void strings_decodeUtf16AndLanguageIds() {
        byte[] s = new byte[2 + 2 * 5];
        s[0] = (byte) s.length;
        s[1] = 3;
        byte[] text = "Grüß!".getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(text, 0, s, 2, text.length);
        assertEquals("Grüß!", DescriptorParser.parseString(s, s.length));
        assertEquals(List.of(0x0409, 0x0407), DescriptorParser.parseLanguages(Fixtures.hex("06 03 09 04 07 04"), 6));
        assertEquals("", DescriptorParser.parseString(Fixtures.hex("02 03"), 2));
        assertThrows(IllegalArgumentException.class, () -> DescriptorParser.parseString(Fixtures.hex("04 02 41 00"), 4));
    }
}
