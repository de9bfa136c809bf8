package dev.ausb.internal;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ausb.UsbConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property test: whatever bytes a device sends, parsing ends quickly with a value or an
 * {@link IllegalArgumentException}, and a value never claims more than the bytes hold.
 */
class DescriptorFuzzTest {
    private static final List<byte[]> SEEDS = List.of(Fixtures.SOURCESINK_HS, Fixtures.KEYBOARD,
            Fixtures.CDC_ACM_IAD, Fixtures.SUPERSPEED_BULK, Fixtures.AUDIO_ALT, Fixtures.BOS);

    /** Inputs per run: 1,000,000 in all by default (800,000 mutated, 200,000 random); -Dausb.fuzz.inputs=N for more. */
    static final int INPUTS = Integer.getInteger("ausb.fuzz.inputs", 1_000_000);

    @Test
    void mutatedDescriptors_neverThrowUnexpectedlyNorLoop() {
        SplittableRandom rnd = new SplittableRandom(0xA5B);
        assertTimeoutPreemptively(Duration.ofSeconds(240), () -> {
            for (int i = 0; i < INPUTS / 5 * 4; i++) {
                byte[] seed = SEEDS.get(rnd.nextInt(SEEDS.size()));
                byte[] b = mutate(seed, rnd);
                parseBoth(b);
            }
        });
    }

    @Test
    void randomBytes_neverThrowUnexpectedly() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < INPUTS / 5; i++) {
            byte[] b = new byte[rnd.nextInt(64)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) rnd.nextInt(256);
            }
            if (b.length > 1 && rnd.nextBoolean()) {
                b[1] = (byte) (rnd.nextBoolean() ? 2 : 0x0f);
            }
            parseBoth(b);
        }
    }

    private static void parseBoth(byte[] b) {
        try {
            UsbConfiguration c = DescriptorParser.parseConfiguration(b, false);
            long endpoints = c.interfaces().stream().flatMap(i -> i.alternateSettings().stream())
                    .mapToLong(a -> a.endpoints().size()).sum();
            assertTrue(endpoints * 7 <= b.length, "more endpoints than bytes");
        } catch (IllegalArgumentException expected) {
            // not a configuration descriptor
        }
        // the check of what the kernel kept: never throws, whatever the bytes
        DescriptorCheck.problems(b);
        DescriptorCheck.configurations(b).forEach(DescriptorCheck::problems);
        try {
            var bos = DescriptorParser.parseBos(b);
            assertTrue(bos.capabilities().size() * 3 <= b.length, "more capabilities than bytes");
        } catch (IllegalArgumentException expected) {
            // not a BOS descriptor
        }
        try {
            DescriptorParser.parseString(b, b.length);
            DescriptorParser.parseLanguages(b, b.length);
        } catch (IllegalArgumentException expected) {
            // not a string descriptor
        }
    }

    private static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        byte[] b = seed.clone();
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits; e++) {
            switch (rnd.nextInt(3)) {
                case 0 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                case 1 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                default -> b[rnd.nextInt(b.length)] = (byte) (rnd.nextBoolean() ? 0 : 0xff);
            }
            if (b.length == 0) {
                return b;
            }
        }
        return b;
    }
}
