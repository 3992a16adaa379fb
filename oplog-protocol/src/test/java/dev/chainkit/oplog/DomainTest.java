package dev.chainkit.oplog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vavr.collection.Vector;
import io.vavr.control.Either;
import org.junit.jupiter.api.Test;

class DomainTest {

    /** A tiny domain: the state is a running sum; negative numbers do not apply. */
    private static final Domain<Integer, Integer> SUM = new Domain<>() {
        @Override
        public Integer empty() {
            return 0;
        }

        @Override
        public PayloadCodec<Integer> payloads() {
            return PayloadCodec.integers();
        }

        @Override
        public Either<OpError, Integer> apply(Integer state, Operation<Integer> op) {
            return op.payload() < 0
                    ? Either.left(new OpError("negative", "only non-negative numbers add up"))
                    : Either.right(state + op.payload());
        }
    };

    private static Operation<Integer> op(int n, int payload) {
        return new Operation<>(OpId.of("op-" + n), new Author("n1", Role.organizer()), n, payload);
    }

    @Test
    void replayEqualsStepByStepApplication() {
        OpLog<Integer> log = OpLog.genesis(op(0, 1)).appendAll(Vector.of(op(1, 2), op(2, 3), op(3, 4)));
        Integer stepwise = SUM.empty();
        for (Operation<Integer> o : log.ops()) {
            stepwise = SUM.apply(stepwise, o).get();
        }
        assertEquals(stepwise, SUM.replay(log));
        assertEquals(10, SUM.replay(log));
        assertEquals(Either.right(10), SUM.applyAll(SUM.empty(), log.ops()));
    }

    @Test
    void replayThrowsNamingTheIndexOfAnOpThatDoesNotApply() {
        OpLog<Integer> bad = OpLog.genesis(op(0, 1)).append(op(1, 2)).append(op(2, -5));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SUM.replay(bad));
        assertTrue(e.getMessage().contains("index 2"), e.getMessage());
        assertTrue(e.getMessage().contains("op-2"), e.getMessage());
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }

    @Test
    void applyAllStopsAtTheFirstOpThatDoesNotApply() {
        Either<OpError, Integer> result = SUM.applyAll(0, Vector.of(op(0, 1), op(1, -1), op(2, 5)));
        assertEquals("negative", result.getLeft().kind());
    }
}
