package dev.ausb.internal;

import dev.ausb.UsbConfiguration;

/** Internal entry points the JMH benchmarks measure (same package on the class path). */
public final class HostPaths {
    private HostPaths() {}

    public static UsbConfiguration parseConfiguration(byte[] raw) {
        return DescriptorParser.parseConfiguration(raw, false);
    }

    /** Builds a transfer future and runs its completion, as the event thread does, with no device. */
    public static Object completeOnce() {
        Transfer t = new Transfer(0, java.lang.foreign.MemorySegment.NULL);
        TransferFutureImpl<Integer> f = new TransferFutureImpl<>(NO_ENGINE, t, (b, n) -> n, () -> "bench", null);
        f.onReaped(t, Errors.TRANSFER_COMPLETED, 512);
        return f.join();
    }

    private static final TransferEngine NO_ENGINE = TransferEngine.detached();
}
