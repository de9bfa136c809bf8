package dev.ausb.lab;

import dev.ausb.lab.usbip.Descriptors;
import dev.ausb.lab.usbip.Reply;
import dev.ausb.lab.usbip.Speed;
import dev.ausb.lab.usbip.Urb;
import dev.ausb.lab.usbip.VirtualDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device side of the isochronous benchmark ({@code bin/bench-iso}): a virtual device on
 * vhci_hcd with interface 0, alternate setting 1, isochronous IN 0x81 and OUT 0x02 of
 * {@code wMaxPacketSize} bytes, that fills every IN packet and takes every OUT packet at once, and
 * keeps no history. C libusb and ausb read and write the same device in the same run.
 *
 * <p>{@code IsoBenchDevice PID full|high MAXPACKET}: prints {@code READY bus address} once the host
 * configured it, and detaches when its standard input ends.
 */
public final class IsoBenchDevice {
    private IsoBenchDevice() {}

    public static void main(String[] args) throws Exception {
        int pid = Integer.parseInt(args[0], 16);
        Speed speed = Speed.valueOf(args[1].toUpperCase(java.util.Locale.ROOT));
        int mps = Integer.parseInt(args[2]);
        Map<Long, Reply> replies = new ConcurrentHashMap<>(); // one answer per (direction, packets, length)
        try (VirtualDevice v = VirtualDevice.builder()
                .device(Descriptors.device(UsbipDeviceIT.VID, pid).usb(speed == Speed.FULL ? 0x0110 : 0x0200).strings(0, 1, 0))
                .configuration(UsbipDeviceIT.isoConfig(mps)).strings("iso bench " + speed).speed(speed)
                .handler(urb -> urb.iso() ? replies.computeIfAbsent(key(urb), k -> answer(urb)) : Reply.standard())
                .attach()) {
            v.awaitConfigured(Duration.ofSeconds(30));
            VirtualDevice.Location at = v.awaitLocation(Duration.ofSeconds(30));
            v.keepNoHistory();
            System.out.println("READY " + at.bus() + " " + at.address());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the script closes our input
            }
            v.checkHealthy();
        }
    }

    /** Every packet the same length, as the benchmark asks: the answer depends on direction, count and length. */
    private static long key(Urb urb) {
        var p = urb.isoPackets();
        return (urb.in() ? 1L << 62 : 0) | ((long) p.size() << 32) | (p.isEmpty() ? 0 : p.getFirst().length());
    }

    private static Reply answer(Urb urb) {
        List<Reply.Packet> packets = new ArrayList<>();
        for (var p : urb.isoPackets()) {
            if (p.length() != urb.isoPackets().getFirst().length()) {
                throw new IllegalArgumentException("the benchmark's packets are all of one length: " + urb);
            }
            byte[] data = new byte[p.length()];
            java.util.Arrays.fill(data, (byte) 0x5a);
            packets.add(urb.in() ? Reply.Packet.in(data) : Reply.Packet.out(p.length()));
        }
        return Reply.iso(packets);
    }
}
