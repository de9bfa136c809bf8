package dev.ausb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The USB 3 peer port as sysfs links it, on a copy of the kernel's layout. */
class LinuxSysfsTest {
    @Test
    void portNames_nameThePlaceTheirDeviceWouldHave() {
        assertEquals(Optional.of(new LinuxSysfs.Place(2, List.of(1))), LinuxSysfs.parsePortName("usb2-port1"));
        assertEquals(Optional.of(new LinuxSysfs.Place(3, List.of(1, 4, 2))), LinuxSysfs.parsePortName("3-1.4-port2"));
        assertEquals(Optional.of(new LinuxSysfs.Place(10, List.of(2, 12))), LinuxSysfs.parsePortName("10-2-port12"));
        assertEquals(Optional.empty(), LinuxSysfs.parsePortName("usb2"));
        assertEquals(Optional.empty(), LinuxSysfs.parsePortName("usbx-port1"));
        assertEquals(Optional.empty(), LinuxSysfs.parsePortName("-port1"));
        assertEquals(Optional.empty(), LinuxSysfs.parsePortName("3-1.a-port2"));
    }

    @Test
    void thePeerOfARootHubPort_andOfAHubsPort_areFollowedThroughTheirLinks(@TempDir Path root) throws Exception {
        // root hubs 1 (USB 2) and 2 (USB 3) of one xHCI: usb1-port3 <-> usb2-port3; a USB 3 hub on
        // that connector shows as 1-3 and 2-3, whose ports 1-3-port2 <-> 2-3-port2 are peers
        Path devices = root.resolve("devices");
        Path p13 = Files.createDirectories(devices.resolve("usb1/1-0:1.0/usb1-port3"));
        Path p23 = Files.createDirectories(devices.resolve("usb2/2-0:1.0/usb2-port3"));
        Path h1 = Files.createDirectories(devices.resolve("usb1/1-3/1-3:1.0/1-3-port2"));
        Path h2 = Files.createDirectories(devices.resolve("usb2/2-3/2-3:1.0/2-3-port2"));
        Files.createSymbolicLink(p13.resolve("peer"), p23);
        Files.createSymbolicLink(p23.resolve("peer"), p13);
        Files.createSymbolicLink(h1.resolve("peer"), h2);
        Path bus = Files.createDirectories(root.resolve("bus"));
        Files.createSymbolicLink(bus.resolve("1-0:1.0"), devices.resolve("usb1/1-0:1.0"));
        Files.createSymbolicLink(bus.resolve("2-0:1.0"), devices.resolve("usb2/2-0:1.0"));
        Files.createSymbolicLink(bus.resolve("1-3:1.0"), devices.resolve("usb1/1-3/1-3:1.0"));

        assertEquals(Optional.of(new LinuxSysfs.Place(2, List.of(3))), LinuxSysfs.peerPort(bus, 1, List.of(3)));
        assertEquals(Optional.of(new LinuxSysfs.Place(1, List.of(3))), LinuxSysfs.peerPort(bus, 2, List.of(3)));
        assertEquals(Optional.of(new LinuxSysfs.Place(2, List.of(3, 2))), LinuxSysfs.peerPort(bus, 1, List.of(3, 2)));
        assertEquals(Optional.empty(), LinuxSysfs.peerPort(bus, 1, List.of(4)), "a port without a peer");
        assertEquals(Optional.empty(), LinuxSysfs.peerPort(bus, 1, List.of()), "a root hub is on no port");
        assertEquals(Optional.empty(), LinuxSysfs.peerPort(bus, 7, List.of(1)), "a bus that is not there");
    }
}
