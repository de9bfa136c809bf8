package dev.ausb.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbSpeed;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hub descriptors and port status decoded from bytes real hubs send (USB 2.0 and SuperSpeed layouts). */
class HubValuesTest {
    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void usb2HubDescriptor_decodesCharacteristicsAndRemovableBitmap() {
        // 7-port hub: individual power switching, individual over-current, TT think time 16, indicators,
        // compound; port 3 and 7 non-removable (bits 3 and 7 of byte 7); then PortPwrCtrlMask 0xff
        var d = HubDescriptor.parse(bytes(9, 0x29, 7, 0xad, 0x00, 50, 100, 0x88, 0xff));
        assertFalse(d.superSpeed());
        assertEquals(7, d.portCount());
        assertEquals(HubDescriptor.PowerSwitching.INDIVIDUAL, d.powerSwitching());
        assertTrue(d.compound());
        assertEquals(HubDescriptor.OverCurrentProtection.INDIVIDUAL, d.overCurrentProtection());
        assertEquals(16, d.ttThinkTimeBitTimes());
        assertTrue(d.indicatorsSupported());
        assertEquals(100, d.powerOnToPowerGoodMillis());
        assertEquals(100, d.controllerCurrent());
        assertEquals(List.of(3, 7), d.nonRemovablePorts());
        assertFalse(d.isRemovable(3));
        assertTrue(d.isRemovable(1));
    }

    @Test
    void usb2HubDescriptor_ofManyPortsReadsTheWholeBitmap() {
        // 9 ports: (9 + 1 + 7) / 8 = 2 bytes; port 9 fixed (byte 8 bit 1); ganged, global, no indicators
        var d = HubDescriptor.parse(bytes(11, 0x29, 9, 0x00, 0x00, 1, 0, 0x00, 0x02, 0xff, 0xff));
        assertEquals(List.of(9), d.nonRemovablePorts());
        assertEquals(HubDescriptor.PowerSwitching.GANGED, d.powerSwitching());
        assertEquals(HubDescriptor.OverCurrentProtection.GLOBAL, d.overCurrentProtection());
        assertEquals(2, d.powerOnToPowerGoodMillis());
        assertFalse(d.indicatorsSupported());
    }

    @Test
    void superSpeedHubDescriptor_hasItsOwnOffsets() {
        // the Python original read this with the USB 2 layout: here bHubHdrDecLat at 7, wHubDelay at 8,
        // DeviceRemovable 2 bytes at 10; bHubContrCurrent in 4 mA units
        var d = HubDescriptor.parse(bytes(12, 0x2a, 4, 0x09, 0x00, 10, 25, 4, 0x34, 0x12, 0x04, 0x00));
        assertTrue(d.superSpeed());
        assertEquals(4, d.portCount());
        assertEquals(HubDescriptor.PowerSwitching.INDIVIDUAL, d.powerSwitching());
        assertEquals(HubDescriptor.OverCurrentProtection.INDIVIDUAL, d.overCurrentProtection());
        assertEquals(20, d.powerOnToPowerGoodMillis());
        assertEquals(100, d.controllerCurrent());
        assertEquals(4, d.headerDecodeLatency());
        assertEquals(0x1234, d.hubDelayNanos());
        assertEquals(List.of(2), d.nonRemovablePorts());
        assertEquals(0, d.ttThinkTimeBitTimes());
        assertFalse(d.indicatorsSupported());
    }

    @Test
    void malformedHubDescriptors_areRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HubDescriptor.parse(bytes(9, 0x02, 7, 0, 0, 0, 0, 0, 0)))
                .getMessage().contains("0x02 is not a hub descriptor"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HubDescriptor.parse(bytes(12, 0x29, 7)))
                .getMessage().contains("says it has 12 bytes"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HubDescriptor.parse(bytes(9, 0x2a, 4, 0, 0, 0, 0, 0, 0)))
                .getMessage().contains("SuperSpeed hub descriptor has 12 bytes"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> HubDescriptor.parse(bytes(12, 0x2a, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0))).getMessage().contains("15 ports"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HubDescriptor.parse(bytes(8, 0x29, 9, 0, 0, 0, 0, 0)))
                .getMessage().contains("of 9 ports has at least 9 bytes"));
        assertThrows(IllegalArgumentException.class, () -> HubDescriptor.parse(bytes(9)));
    }

    @Test
    void usb2PortStatus_decodesPowerSpeedAndChanges() {
        // 0x0503: power, high speed, enable, connect; change 0x0011: connection and reset
        var s = PortStatus.parse(1, false, bytes(0x03, 0x05, 0x11, 0x00));
        assertTrue(s.connected());
        assertTrue(s.enabled());
        assertTrue(s.powered());
        assertFalse(s.suspended());
        assertEquals(Optional.of(UsbSpeed.HIGH), s.speed());
        assertEquals(Set.of(PortChange.CONNECTION, PortChange.RESET), s.changes());
        assertEquals(Optional.empty(), s.linkState());
        assertEquals("port 1: 0x0503 power 480M enable connect changed [CONNECTION, RESET]", s.toString());
        assertEquals(Optional.of(UsbSpeed.LOW), PortStatus.parse(2, false, bytes(0x03, 0x03, 0, 0)).speed());
        assertEquals(Optional.of(UsbSpeed.FULL), PortStatus.parse(2, false, bytes(0x03, 0x01, 0, 0)).speed());
        assertEquals(Optional.empty(), PortStatus.parse(2, false, bytes(0x00, 0x01, 0, 0)).speed());
        assertFalse(PortStatus.parse(2, false, bytes(0x00, 0x00, 0, 0)).powered());
    }

    @Test
    void superSpeedPortStatus_hasPowerAtBit9AndALinkState() {
        // 0x0203: power (bit 9), link U0, enable, connect; change 0x0041: connection, link state
        var s = PortStatus.parse(3, true, bytes(0x03, 0x02, 0x41, 0x00));
        assertTrue(s.powered());
        assertEquals(Optional.of(LinkState.U0), s.linkState());
        assertEquals(Optional.of(UsbSpeed.SUPER), s.speed());
        assertEquals(Set.of(PortChange.CONNECTION, PortChange.LINK_STATE), s.changes());
        // 0x02a0: power, Rx.Detect (5 << 5), nothing connected; bit 8 alone is link-state bits, not power
        var empty = PortStatus.parse(1, true, bytes(0xa0, 0x02, 0, 0));
        assertEquals(Optional.of(LinkState.RX_DETECT), empty.linkState());
        assertTrue(empty.powered());
        assertFalse(empty.connected());
        assertFalse(PortStatus.parse(1, true, bytes(0x00, 0x01, 0, 0)).powered());
        assertTrue(PortStatus.parse(1, true, bytes(0x60, 0x02, 0, 0)).suspended()); // U3
        // the USB 2 change bits ENABLE/SUSPEND do not exist in the SuperSpeed layout
        assertEquals(-1, PortChange.ENABLE.bit(true));
        assertFalse(PortStatus.parse(1, true, bytes(0, 0, 0x02, 0)).changed(PortChange.ENABLE));
    }

    @Test
    void statusReplies_ofTheWrongLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PortStatus.parse(1, false, bytes(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> HubStatus.parse(bytes(1, 2, 3)));
        assertThrows(IllegalArgumentException.class, () -> new PortStatus(0, false, 0, 0));
        var h = HubStatus.parse(bytes(0x02, 0x00, 0x03, 0x00));
        assertTrue(h.overCurrent());
        assertFalse(h.localPowerLost());
        assertTrue(h.localPowerChanged());
        assertTrue(h.overCurrentChanged());
    }

    @Test
    void linkStates_coverTheFourBits() {
        assertEquals(LinkState.POLLING, LinkState.of(7));
        assertEquals(LinkState.LOOPBACK, LinkState.of(11));
        assertEquals(LinkState.RESERVED, LinkState.of(15));
        assertThrows(IllegalArgumentException.class, () -> LinkState.of(16));
    }
}
