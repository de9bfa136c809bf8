package dev.ausb;

/**
 * How a stream moves data: {@code transfers} transfers of {@code transferSize} bytes each kept in
 * flight, so the bus is never idle waiting for the host. Start from the endpoint's own defaults
 * and change what you need:
 * {@snippet :
 * UsbStreamOptions options = in.defaultStreamOptions().withTransfers(32);
 * }
 *
 * @param transfers    transfers in flight, 1..1024
 * @param transferSize bytes per transfer, 1..64 MiB; for IN streams a multiple of the endpoint's
 *                     maximum packet size, else a device sending a full packet overflows
 */
public record UsbStreamOptions(int transfers, int transferSize) {
    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException if a value is out of range
     */
    public UsbStreamOptions {
        if (transfers < 1 || transfers > 1024) {
            throw new IllegalArgumentException("transfers in flight is 1..1024, not " + transfers);
        }
        if (transferSize < 1 || transferSize > 64 << 20) {
            throw new IllegalArgumentException("a transfer size is 1..64 MiB, not " + transferSize);
        }
    }

    /**
     * These options with {@code transfers} in flight instead.
     *
     * @param transfers transfers in flight, 1..1024
     * @return the new options
     * @throws IllegalArgumentException if out of range
     */
    public UsbStreamOptions withTransfers(int transfers) {
        return new UsbStreamOptions(transfers, transferSize);
    }

    /**
     * These options with {@code transferSize} bytes per transfer instead.
     *
     * @param transferSize bytes per transfer, 1..64 MiB (for IN, a multiple of the endpoint's packet size)
     * @return the new options
     * @throws IllegalArgumentException if out of range
     */
    public UsbStreamOptions withTransferSize(int transferSize) {
        return new UsbStreamOptions(transfers, transferSize);
    }

    /**
     * Defaults for an endpoint at a speed: for bulk endpoints 16 KiB per transfer at high speed and
     * below and 64 KiB at SuperSpeed, 8 and 16 in flight; for interrupt endpoints one packet per
     * transfer, 4 in flight. An open endpoint gives its own: {@link UsbInEndpoint#defaultStreamOptions()}.
     *
     * @param endpoint the endpoint to stream, whose maximum packet size (times its transactions per
     *                 microframe) the transfer size is a multiple of
     * @param speed    the speed the device runs at, {@link UsbDevice#speed()}
     * @return the options for that endpoint and speed
     */
    public static UsbStreamOptions defaults(UsbEndpoint endpoint, UsbSpeed speed) {
        int mps = Math.max(1, endpoint.maxPacketSize() * endpoint.transactionsPerMicroframe());
        if (endpoint.transferType() == UsbTransferType.INTERRUPT) {
            return new UsbStreamOptions(4, mps);
        }
        boolean superSpeed = speed.compareTo(UsbSpeed.SUPER) >= 0;
        int size = superSpeed ? 64 << 10 : 16 << 10;
        return new UsbStreamOptions(superSpeed ? 16 : 8, Math.max(mps, size / mps * mps));
    }
}
