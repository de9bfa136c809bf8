package dev.ausb.bench;

import dev.ausb.UsbConfiguration;
import dev.ausb.internal.HostPaths;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Host-side costs with no device: parsing a configuration descriptor (done once per device at
 * enumeration) and the engine's completion path of a transfer future (done per transfer).
 * Run: java -cp "$(cat ausb-bench/target/classes.path)" org.openjdk.jmh.Main -f 1 -wi 3 -i 5
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DescriptorBenchmark {
    /** A CDC ACM function behind an interface association, 75 bytes. */
    private final byte[] cdc = HexFormat.of().parseHex(("09024b000201008032080b000202020105090400000102020100"
            + "05240010010524010001042402020524060001070582030800100904010002" + "0a000000070501024000000705810240000000"));

    @Benchmark
    public UsbConfiguration parseConfiguration() {
        return HostPaths.parseConfiguration(cdc);
    }

    @Benchmark
    public Object completeTransferFuture() {
        return HostPaths.completeOnce();
    }
}
