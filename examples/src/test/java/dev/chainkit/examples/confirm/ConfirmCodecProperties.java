package dev.chainkit.examples.confirm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainkit.core.wire.WireFormatException;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.sim.check.Seeds;
import io.vavr.control.Option;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of the match-confirmation protocol, with random field values, survives {@link ConfirmCodec}; no
 * mutation of its bytes makes the decoder throw anything but a {@link WireFormatException}. Seeds:
 * {@code chainkit.seeds}, or one with {@code -Dchainkit.seed=N}.
 */
class ConfirmCodecProperties {

    static LongStream seeds() {
        return Seeds.fromSystemProperty().stream();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyMessageRoundTripsAndMutationsAreRefusedCleanly(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String match = "r" + random.nextInt(9) + "-p" + random.nextInt(1000) + "-é" + random.nextInt(1000);
        Score score = new Score(random.nextInt(5), random.nextInt(5), random.nextInt(Integer.MAX_VALUE));
        Settlement.How how = Settlement.How.values()[random.nextInt(3)];
        Settlement settlement = new Settlement(match, "n" + random.nextInt(99), how,
                how == Settlement.How.ESCALATED ? Option.none() : Option.some(score));
        List<ConfirmMessage> all = List.of(new ConfirmMessage.ResultReport(match, score),
                new ConfirmMessage.Confirmed(match, score), new ConfirmMessage.Disputed(match, score.mirrored()),
                new ConfirmMessage.Resolution(match, ConfirmMessage.Resolution.Choice.values()[random.nextInt(2)]),
                new ConfirmMessage.Settled(settlement));
        for (ConfirmMessage m : all) {
            WireWriter w = new WireWriter();
            ConfirmCodec.CODEC.encode(m, w);
            byte[] bytes = w.toByteArray();
            WireReader r = new WireReader(bytes);
            assertEquals(m, ConfirmCodec.CODEC.decode(r), "seed " + seed + " (replay: -Dchainkit.seed=" + seed + ")");
            r.expectEnd();
            for (int k = 0; k < 8; k++) {
                byte[] mutated = bytes.clone();
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                try {
                    ConfirmCodec.CODEC.decode(new WireReader(mutated, 0, random.nextInt(mutated.length + 1)));
                } catch (WireFormatException expected) {
                    // refused cleanly
                } catch (RuntimeException e) {
                    fail("seed " + seed + " (replay: -Dchainkit.seed=" + seed + "): mutated bytes threw " + e, e);
                }
            }
        }
    }
}
