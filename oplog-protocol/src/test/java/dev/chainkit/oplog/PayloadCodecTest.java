package dev.chainkit.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import io.vavr.control.Either;
import java.util.List;
import org.junit.jupiter.api.Test;

class PayloadCodecTest {

    private static final PayloadCodec<TournamentOp> TOURNAMENT = new Tournament().payloads();

    @Test
    void tournamentOpsRoundTripThroughTheirTextForm() {
        List<TournamentOp> ops = List.of(new TournamentOp.Create("spring-open", "hq"),
                new TournamentOp.Register("alice"), new TournamentOp.Drop("bob"), new TournamentOp.Start(),
                new TournamentOp.Pair(3), new TournamentOp.Result(2, "carol", 2, 1, 1), new TournamentOp.Confirm(2),
                new TournamentOp.End());
        for (TournamentOp op : ops) {
            String text = TOURNAMENT.encode(op);
            assertFalse(text.contains("\n"), text);
            assertEquals(Either.right(op), TOURNAMENT.decode(text));
        }
    }

    @Test
    void undecodableTextSaysWhatWasWrong() {
        Either<String, TournamentOp> bad = TOURNAMENT.decode("result 1 bob two-one");
        assertTrue(bad.isLeft());
        assertTrue(bad.getLeft().contains("bad score"), bad.getLeft());
        assertTrue(TOURNAMENT.decode(null).isLeft());
    }

    @Test
    void integersRoundTripAndRefuseWhatIsNotOne() {
        PayloadCodec<Integer> ints = PayloadCodec.integers();
        for (int n : new int[] {0, -12, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertEquals(Either.right(n), ints.decode(ints.encode(n)));
        }
        assertTrue(ints.decode("12x").getLeft().contains("'12x'"));
        assertTrue(ints.decode("99999999999").isLeft());
        assertTrue(ints.decode(null).isLeft());
    }
}
