package dev.ausb.bench;

/**
 * One USB library doing the benchmark's work through its own fastest public API. Each method runs
 * a warm-up, then a measured window, and returns the fields of a RESULT line ({@link Meter#result}).
 */
interface Impl extends AutoCloseable {
    /** Bulk IN from SourceSink, {@code count} transfers of {@code size} bytes in flight. */
    String streamIn(int size, int count, double seconds) throws Exception;

    /** Bulk OUT to SourceSink, {@code count} transfers of {@code size} bytes in flight. */
    String streamOut(int size, int count, double seconds) throws Exception;

    /** Round trips through Loopback: write {@code size} bytes, read them back; one transfer in flight. */
    String roundTrips(int size, double seconds) throws Exception;

    @Override
    void close() throws Exception;

    static void sleep(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
