package dev.chainkit.sim.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class SeedsTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void sweepsFiveHundredSeedsUnlessToldOtherwise() {
        assertEquals(new Seeds(1, 500), Seeds.from(props()));
        assertEquals(new Seeds(1, 100_000), Seeds.from(props("chainkit.seeds", "100000")));
        assertArrayEquals(new long[] {1, 2, 3}, Seeds.from(props("chainkit.seeds", "3")).stream().toArray());
    }

    @Test
    void replaysOneSeedWhenAsked() {
        assertArrayEquals(new long[] {42}, Seeds.from(props("chainkit.seeds", "300", "chainkit.seed", "42"))
                .stream().toArray());
    }

    @Test
    void malformedPropertiesFailNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Seeds.from(props("chainkit.seeds", "lots")));
        assertTrue(e.getMessage().startsWith("system property chainkit.seeds must be"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seeds.from(props("chainkit.seeds", "0")));
        assertTrue(e.getMessage().contains("got '0'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Seeds.from(props("chainkit.seed", "x1")));
        assertTrue(e.getMessage().startsWith("system property chainkit.seed must be a seed"), e.getMessage());
    }
}
