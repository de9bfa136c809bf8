package dev.ausb.firmware;

import java.io.IOException;

/**
 * The device did not take or keep what a loader wrote: it accepted fewer bytes than were sent, or
 * what was read back differs. The message gives the first address concerned; nothing is started
 * after it.
 */
public final class FirmwareLoadException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The first address the device did not take or keep, as {@link #address()} returns it. */
    private final long address;

    private FirmwareLoadException(long address, String message) {
        super(message);
        this.address = address;
    }

    static FirmwareLoadException mismatch(long address, int wrote, int read) {
        return new FirmwareLoadException(address, String.format(
                "read back 0x%02x at 0x%04x where 0x%02x was written: the device did not keep the firmware",
                read, address, wrote));
    }

    static FirmwareLoadException shortRead(long address, int got, int wanted) {
        return new FirmwareLoadException(address, String.format(
                "read back %d of the %d bytes written at 0x%04x", got, wanted, address));
    }

    static FirmwareLoadException shortWrite(long address, int took, int sent) {
        return new FirmwareLoadException(address, String.format(
                "the device took %d of the %d bytes written at 0x%04x", took, sent, address));
    }

    /**
     * The first address concerned.
     *
     * @return the address in the device's memory
     */
    public long address() {
        return address;
    }
}
