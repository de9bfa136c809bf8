package dev.ausb.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbAlternateSetting;
import dev.ausb.UsbBos;
import dev.ausb.UsbBosCapability;
import dev.ausb.UsbConfiguration;
import dev.ausb.UsbContext;
import dev.ausb.UsbDevice;
import dev.ausb.UsbDeviceFilter;
import dev.ausb.UsbDeviceHandle;
import dev.ausb.UsbEndpoint;
import dev.ausb.UsbInterfaceAssociation;
import dev.ausb.UsbSpeed;
import dev.ausb.UsbTransferType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The library's descriptor tree against gadgets whose descriptors the test chose, and QEMU's devices. */
@Timeout(120)
class DescriptorTreeIT {
    private static UsbContext usb;

    @BeforeAll
    static void open() {
        Lab.requireGuest();
        usb = UsbContext.create();
    }

    @AfterAll
    static void close() {
        usb.close();
    }

    @Test
    void sourceSinkAtHighSpeed_showsTheGadgetsDescriptorsAndPlace() {
        try (Gadget g = Gadget.builder().function("SourceSink", Map.of()).maxSpeed("high-speed").maxPower(120)
                .bcdDevice(0x0123).bind()) {
            UsbDevice d = g.await(usb);
            assertEquals(UsbSpeed.HIGH, d.speed());
            assertEquals(2, d.descriptor().usbVersion().major(), "USB 2 (2.10 with LPM on a SuperSpeed-capable UDC)");
            assertEquals("1.23", d.descriptor().deviceVersion().toString());
            assertEquals(64, d.descriptor().maxPacketSize0());
            var strings = d.readStrings();
            assertEquals("Lab", strings.manufacturer().orElseThrow());
            assertEquals("SourceSink", strings.product().orElseThrow());
            assertEquals(g.serial, strings.serialNumber().orElseThrow());
            assertEquals(1, d.portPath().size());
            UsbDevice hub = d.parent().orElseThrow();
            assertTrue(hub.isHub() && hub.portPath().isEmpty(), "parent is the root hub: " + hub);
            assertEquals(1, hub.hubPortCount().orElseThrow());
            assertEquals("dummy_hcd", d.hostControllerDriver().orElseThrow());

            UsbConfiguration c = d.configurations().getFirst();
            assertEquals(1, c.value());
            assertEquals(120, c.maxPowerMilliamps());
            UsbAlternateSetting alt = c.findInterface(0).orElseThrow().defaultSetting();
            assertEquals(0xff, alt.interfaceClass());
            List<UsbEndpoint> eps = alt.endpoints();
            assertEquals(2, eps.size());
            assertTrue(eps.stream().allMatch(e -> e.transferType() == UsbTransferType.BULK && e.maxPacketSize() == 512));
            assertEquals(1, eps.stream().filter(e -> e.address() == 0x81).count());
            try (UsbDeviceHandle h = d.open()) {
                assertEquals(List.of(0x0409), h.readLanguages());
                assertEquals("ausb lab", h.readString(c.nameIndex()).orElseThrow());
                assertEquals(1, h.activeConfiguration());
                assertTrue(h.readBos().isEmpty() || d.descriptor().usbVersion().bcd() >= 0x0201);
            }
            assertEquals(1, d.cachedActiveConfiguration().orElseThrow());
        }
    }

    @Test
    void sourceSinkAtSuperSpeed_hasCompanionsExponentMaxPacketAndBos() {
        try (Gadget g = Gadget.builder().function("SourceSink", Map.of()).maxPower(120).bind()) {
            UsbDevice d = g.await(usb);
            assertEquals(UsbSpeed.SUPER, d.speed());
            assertTrue(d.descriptor().usbVersion().bcd() >= 0x0300);
            assertEquals(9, d.descriptor().rawMaxPacketSize0());
            assertEquals(512, d.descriptor().maxPacketSize0());
            UsbConfiguration c = d.configurations().getFirst();
            assertEquals(120, c.maxPowerMilliamps(), "15 units of 8 mA");
            for (UsbEndpoint e : c.findInterface(0).orElseThrow().defaultSetting().endpoints()) {
                assertEquals(1024, e.maxPacketSize(), "SuperSpeed bulk");
                assertTrue(e.superSpeedCompanion().isPresent(), "companion of " + e);
            }
            UsbBos bos = d.readBos().orElseThrow();
            assertTrue(bos.capability(UsbBosCapability.SuperSpeed.class).isPresent(), bos.toString());
            assertTrue(bos.capability(UsbBosCapability.Usb2Extension.class).isPresent(), bos.toString());
        }
    }

    @Test
    void acmFunction_hasAnInterfaceAssociationAndCdcClassDescriptors() {
        try (Gadget g = Gadget.builder().productId(0xacac).function("acm", Map.of()).maxSpeed("high-speed").bind()) {
            UsbDevice d = g.await(usb);
            UsbConfiguration c = d.configurations().getFirst();
            assertEquals(1, c.associations().size());
            UsbInterfaceAssociation iad = c.associations().getFirst();
            assertEquals(List.of(0, 2, 2, 2), List.of(iad.firstInterface(), iad.interfaceCount(), iad.functionClass(),
                    iad.functionSubclass()));
            UsbAlternateSetting control = c.findInterface(0).orElseThrow().defaultSetting();
            assertTrue(control.extra().size() >= 4, "CDC header, call management, ACM, union: " + control.extra());
            assertTrue(control.extra().stream().allMatch(x -> x.type() == 0x24));
            assertEquals(0x0a, c.findInterface(1).orElseThrow().defaultSetting().interfaceClass());
            try (UsbDeviceHandle h = d.open()) {
                assertFalse(h.readString(iad.nameIndex()).orElseThrow().isBlank());
            }
            assertTrue(usb.findAny(UsbDeviceFilter.any().usbClass(0x02, 0x02)).isPresent(), "found by interface class");
        }
    }

    @Test
    void loopback_hasABulkPairAndIsFoundByItsPlace() {
        try (Gadget g = Gadget.builder().productId(0x100b).function("Loopback", Map.of()).maxSpeed("high-speed")
                .udc(1).bind()) {
            UsbDevice d = g.await(usb);
            UsbAlternateSetting alt = d.configurations().getFirst().interfaces().getFirst().defaultSetting();
            assertEquals(2, alt.endpoints().size());
            UsbDevice byPlace = usb.findOne(UsbDeviceFilter.any().bus(d.bus())
                    .portPath(d.portPath().stream().mapToInt(Integer::intValue).toArray()));
            assertEquals(d, byPlace);
        }
    }

    @Test
    void qemuDevices_hidClassDescriptorStorageBosAndAudioAlternateSettings() {
        UsbDevice kbd = usb.findAll(UsbDeviceFilter.of(0x0627, 0x0001)).getFirst();
        UsbAlternateSetting hid = kbd.configurations().getFirst().interfaces().getFirst().defaultSetting();
        assertEquals(0x03, hid.interfaceClass());
        assertEquals(0x21, hid.extra().getFirst().type(), "HID descriptor");
        assertEquals(List.of(1), kbd.portPath().subList(0, 1));
        assertEquals(2, kbd.portPath().size(), "behind the hub on port 1");
        assertTrue(kbd.parent().orElseThrow().isHub());

        UsbDevice storage = usb.findOne(UsbDeviceFilter.of(0x46f4, 0x0001));
        assertEquals(UsbSpeed.SUPER, storage.speed());
        assertTrue(storage.readBos().orElseThrow().capability(UsbBosCapability.SuperSpeed.class).isPresent());

        UsbDevice audio = usb.findOne(UsbDeviceFilter.of(0x46f4, 0x0002));
        boolean isoAlt = audio.configurations().getFirst().interfaces().stream()
                .flatMap(i -> i.alternateSettings().stream())
                .anyMatch(a -> a.alternateSetting() == 1
                        && a.endpoints().stream().anyMatch(e -> e.transferType() == UsbTransferType.ISOCHRONOUS));
        assertTrue(isoAlt, "isochronous endpoint on an alternate setting");
        assertTrue(usb.findAny(UsbDeviceFilter.any().usbClass(0x01)).isPresent(), "audio found by class");
    }
}
