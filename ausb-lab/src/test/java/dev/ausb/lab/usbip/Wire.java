package dev.ausb.lab.usbip;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The USB/IP wire format (the kernel's Documentation/usb/usbip_protocol.rst, usbip_common.h):
 * 48-byte big-endian headers, the basic part (command, seqnum, devid, direction, ep) and a
 * command-specific part; OUT data after CMD_SUBMIT, IN data after RET_SUBMIT (isochronous: packed in
 * packet order), then 16-byte isochronous packet descriptors.
 */
final class Wire {
    static final int HEADER = 48;
    static final int ISO_DESCRIPTOR = 16;
    static final int CMD_SUBMIT = 1;
    static final int CMD_UNLINK = 2;
    static final int RET_SUBMIT = 3;
    static final int RET_UNLINK = 4;
    static final int DIR_IN = 1;
    /** The kernel's USBIP_MAX_ISO_PACKETS: more is a protocol error. */
    static final int MAX_ISO_PACKETS = 1024;

    private Wire() {}

    /** A received header, both kinds of command in one shape. */
    record Header(int command, int seqnum, int devid, int direction, int ep, int transferFlags, int bufferLength,
            int startFrame, int numberOfPackets, int interval, byte[] setup) {
        /** For CMD_UNLINK: the seqnum of the URB to unlink (the first word after the basic part). */
        int unlinkSeqnum() {
            return transferFlags;
        }

        static Header decode(byte[] b) {
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
            int[] w = new int[10];
            for (int i = 0; i < 10; i++) {
                w[i] = bb.getInt();
            }
            byte[] setup = new byte[8];
            bb.get(setup);
            return new Header(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], setup);
        }
    }

    static List<IsoPacket> decodeIso(byte[] b, int count) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        IsoPacket[] p = new IsoPacket[count];
        for (int i = 0; i < count; i++) {
            p[i] = new IsoPacket(bb.getInt(), bb.getInt(), bb.getInt(), bb.getInt());
        }
        return List.of(p);
    }

    /** USBIP_RET_SUBMIT: header, IN data, isochronous descriptors. */
    static byte[] retSubmit(int seqnum, int devid, int status, int actualLength, int startFrame, int errorCount,
            byte[] inData, List<IsoPacket> iso) {
        ByteBuffer bb = ByteBuffer.allocate(HEADER + inData.length + ISO_DESCRIPTOR * iso.size()).order(ByteOrder.BIG_ENDIAN);
        bb.putInt(RET_SUBMIT).putInt(seqnum).putInt(devid).putInt(0).putInt(0);
        bb.putInt(status).putInt(actualLength).putInt(startFrame).putInt(iso.size()).putInt(errorCount);
        bb.put(new byte[8]);
        bb.put(inData);
        for (IsoPacket p : iso) {
            bb.putInt(p.offset()).putInt(p.length()).putInt(p.actualLength()).putInt(p.status());
        }
        return bb.array();
    }

    /** USBIP_RET_UNLINK: the CMD_UNLINK's own seqnum and the unlink's status. */
    static byte[] retUnlink(int seqnum, int devid, int status) {
        ByteBuffer bb = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
        bb.putInt(RET_UNLINK).putInt(seqnum).putInt(devid).putInt(0).putInt(0).putInt(status);
        return bb.array();
    }
}
