package dev.ausb;

import java.util.List;
import java.util.Optional;

/**
 * An endpoint descriptor within an alternate setting.
 *
 * <p>Obtained from {@link UsbAlternateSetting#endpoints()}; an immutable value, no I/O.
 *
 * @param address             {@code bEndpointAddress}: number in bits 3..0, direction in bit 7
 * @param attributes          {@code bmAttributes}: transfer, sync and usage type
 * @param rawMaxPacketSize    {@code wMaxPacketSize} as it stands: size in bits 10..0, high-bandwidth
 *                            multiplier in bits 12..11
 * @param interval            {@code bInterval}: polling interval, in frames or as an exponent by speed
 * @param refresh             {@code bRefresh} of audio-class endpoints (9-byte form), else 0
 * @param synchAddress        {@code bSynchAddress} of audio-class endpoints (9-byte form), else 0
 * @param superSpeedCompanion the SuperSpeed endpoint companion, where the device sent one
 * @param extra               the descriptors that followed this one before the next standard descriptor
 */
public record UsbEndpoint(int address, int attributes, int rawMaxPacketSize, int interval, int refresh,
        int synchAddress, Optional<UsbSuperSpeedCompanion> superSpeedCompanion, List<UsbDescriptor> extra) {

    /** Makes the lists unmodifiable. */
    public UsbEndpoint {
        extra = List.copyOf(extra);
    }

    /**
     * The endpoint number, bits 3..0 of the address.
     *
     * @return the endpoint number, 0..15
     */
    public int number() {
        return address & 0x0f;
    }

    /**
     * The direction, from bit 7 of the address.
     *
     * @return {@link UsbDirection#IN} when bit 7 is set, else {@link UsbDirection#OUT}
     */
    public UsbDirection direction() {
        return UsbDirection.ofAddress(address);
    }

    /**
     * The transfer type.
     *
     * @return control, isochronous, bulk or interrupt, from bits 1..0 of {@code bmAttributes}
     */
    public UsbTransferType transferType() {
        return UsbTransferType.ofAttributes(attributes);
    }

    /**
     * The synchronisation type (meaningful for isochronous endpoints).
     *
     * @return the synchronisation type, from bits 3..2 of {@code bmAttributes}
     */
    public UsbSyncType syncType() {
        return UsbSyncType.ofAttributes(attributes);
    }

    /**
     * The usage type (meaningful for isochronous and USB 3 interrupt endpoints).
     *
     * @return the usage type, from bits 5..4 of {@code bmAttributes}
     */
    public UsbUsageType usageType() {
        return UsbUsageType.ofAttributes(attributes);
    }

    /**
     * The maximum packet size in bytes, bits 10..0 of {@code wMaxPacketSize}.
     *
     * @return the size, 0..2047 bytes, without the high-bandwidth multiplier
     */
    public int maxPacketSize() {
        return rawMaxPacketSize & 0x7ff;
    }

    /**
     * Transactions per microframe for high-speed, high-bandwidth periodic endpoints: 1, 2 or 3
     * (bits 12..11 of {@code wMaxPacketSize}, plus one).
     *
     * @return 1, 2 or 3 (a reserved value 3 in the bits reads as 4)
     */
    public int transactionsPerMicroframe() {
        return ((rawMaxPacketSize >> 11) & 0x3) + 1;
    }

    /**
     * The concatenated bytes of {@link #extra()}: the class-specific bytes as libusb reports them.
     *
     * @return a new array of the extra descriptors' bytes, one after the other; empty if there are none
     */
    public byte[] extraBytes() {
        return UsbConfiguration.concat(extra);
    }

    /**
     * A compact form with numbers as USB tools print them (ids, codes, attributes and addresses in
     * hex): {@code UsbEndpoint[address=0x81, BULK IN, maxPacketSize=512, interval=0]}.
     *
     * @return the text
     */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format("UsbEndpoint[address=0x%02x, %s %s", address, transferType(),
                direction()));
        if (transferType() == UsbTransferType.ISOCHRONOUS) {
            s.append(' ').append(syncType()).append(' ').append(usageType());
        }
        s.append(String.format(", attributes=0x%02x, maxPacketSize=%d", attributes, maxPacketSize()));
        if (transactionsPerMicroframe() > 1) {
            s.append('x').append(transactionsPerMicroframe());
        }
        s.append(", interval=").append(interval);
        if (refresh != 0 || synchAddress != 0) {
            s.append(String.format(", refresh=%d, synchAddress=0x%02x", refresh, synchAddress));
        }
        superSpeedCompanion.ifPresent(c -> s.append(", ").append(c));
        if (!extra.isEmpty()) {
            s.append(", extra=").append(extra);
        }
        return s.append(']').toString();
    }
}
