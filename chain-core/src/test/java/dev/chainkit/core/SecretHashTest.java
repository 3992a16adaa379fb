package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link SecretHash} is SipHash-1-3. The reference values are CPython 3.11's {@code hash(bytes)}, which is SipHash-1-3
 * with the all-zero key under {@code PYTHONHASHSEED=0} (as an unsigned 64-bit number).
 */
class SecretHashTest {

    private static final SecretHash ZERO_KEY = new SecretHash(0, 0);

    @Test
    void sixteenBytesMatchTheReference() {
        // bytes 00 01 .. 0f, read as two little-endian words
        assertEquals(Long.parseUnsignedLong("9904005486622393783"),
                ZERO_KEY.hash(0, 0x0706050403020100L, 0x0f0e0d0c0b0a0908L));
    }

    @Test
    void stringsAreHashedAsTheirUtf16LittleEndianBytes() {
        assertEquals(Long.parseUnsignedLong("3201674266311268595"), ZERO_KEY.hash("ab")); // 61 00 62 00
        // bytes 00 01 .. 07: one full block and an empty last one
        assertEquals(Long.parseUnsignedLong("16921169381604339434"), ZERO_KEY.hash("\u0100\u0302\u0504\u0706"));
    }

    @Test
    void theKeyAndTheSaltChangeTheHash() {
        SecretHash a = new SecretHash(1, 2);
        SecretHash b = new SecretHash(1, 3);
        assertNotEquals(a.hash("Aa"), b.hash("Aa"));
        assertNotEquals(a.hash("Aa"), a.hash("BB"), "equal under String.hashCode, not here");
        assertNotEquals(a.hash(5, 1, 2), a.hash(6, 1, 2));
        assertNotEquals(a.hash(5, 1L << 32 | 1, 0), a.hash(5, 2L << 32 | 2, 0));
    }
}
