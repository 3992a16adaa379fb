package dev.chainkit.sim.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The explorer's fingerprints are MurmurHash3 x64 128 with seed 0, bit for bit: the published value of "hello", and
 * the same values over every length of tail as the implementation that wrote the first checkpoints. A checkpoint
 * holds fingerprints, so a change here would make every saved search unusable (its check would refuse it).
 */
class Hash128Test {

    @Test
    void theReferenceValues() {
        assertArrayEquals(new long[] {0xcbd8a7b341bd9b02L, 0x5b1e906a48ae1d19L},
                Hash128.of("hello".getBytes(StandardCharsets.US_ASCII), 5));
        assertArrayEquals(new long[] {0, 0}, Hash128.of(new byte[0], 0));
    }

    @Test
    void everyLengthOfTailAsBefore() {
        byte[] data = new byte[64];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 37 + 11);
        }
        long high = 0;
        long low = 0;
        for (int n = 0; n <= data.length; n++) {
            long[] h = Hash128.of(data, n);
            high = Long.rotateLeft(high, 7) ^ h[0];
            low = Long.rotateLeft(low, 7) ^ h[1];
        }
        assertArrayEquals(new long[] {0xc2c1712c2227e3daL, 0x893265c23387d5caL}, new long[] {high, low});
    }
}
