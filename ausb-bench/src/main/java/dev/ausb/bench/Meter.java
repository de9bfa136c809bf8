package dev.ausb.bench;

import java.lang.management.ManagementFactory;

/** Process CPU time and JVM heap allocation, sampled before and after a measurement window. */
final class Meter {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final long cpu0 = OS.getProcessCpuTime();
    private final long alloc0 = allocated();
    private final long t0 = System.nanoTime();

    /** Bytes allocated so far by the live threads. */
    static long allocated() {
        long sum = 0;
        for (long a : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            sum += Math.max(0, a);
        }
        return sum;
    }

    /** The result line's fields for {@code bytes} moved in {@code transfers} transfers since construction. */
    String result(long bytes, long transfers) {
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpuMs = (OS.getProcessCpuTime() - cpu0) / 1e6;
        double alloc = allocated() - alloc0;
        return String.format("MBps=%.3f tps=%.1f cpu_ms_per_MB=%.2f alloc_per_transfer=%.1f", bytes / secs / 1e6,
                transfers / secs, cpuMs / Math.max(1e-9, bytes / 1e6), alloc / Math.max(1, transfers));
    }
}
