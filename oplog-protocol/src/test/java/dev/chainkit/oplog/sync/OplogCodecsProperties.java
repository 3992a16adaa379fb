package dev.chainkit.oplog.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainkit.core.wire.ProtocolCodec;
import dev.chainkit.core.wire.WireFormatException;
import dev.chainkit.core.wire.WireReader;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.sim.check.Seeds;
import io.vavr.collection.Vector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of the sync and forward chains, with random field values, survives its codec; no byte string
 * makes a decoder throw anything but a {@link WireFormatException}. Seeds: {@code chainkit.seeds} (or one with
 * {@code -Dchainkit.seed=N}); each seed draws every message type.
 */
class OplogCodecsProperties {

    private static final ProtocolCodec<SyncMessage<TournamentOp>> SYNC = OplogCodecs.sync(new Tournament().payloads());
    private static final ProtocolCodec<ForwardMessage<TournamentOp>> FORWARD =
            OplogCodecs.forward(new Tournament().payloads());

    static LongStream seeds() {
        return Seeds.fromSystemProperty().stream();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyMessageRoundTrips(long seed) {
        Messages m = new Messages(new SplittableRandom(seed));
        for (Object message : m.all()) {
            ProtocolCodec<?> codec = codecOf(message);
            WireWriter w = new WireWriter();
            codec.encode(message, w);
            WireReader r = new WireReader(w.toByteArray());
            assertEquals(message, codec.decode(r), "seed " + seed + " (replay: -Dchainkit.seed=" + seed + ")");
            r.expectEnd();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void truncatedAndMutatedBytesNeverThrowAnythingElse(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Messages m = new Messages(random);
        for (Object message : m.all()) {
            ProtocolCodec<?> codec = codecOf(message);
            WireWriter w = new WireWriter();
            codec.encode(message, w);
            byte[] whole = w.toByteArray();
            for (int k = 0; k < 8; k++) {
                int n = random.nextInt(whole.length);
                assertThrows(WireFormatException.class, () -> {
                    WireReader r = new WireReader(whole, 0, n);
                    codec.decode(r);
                    r.expectEnd();
                }, "seed " + seed + ": a prefix of " + n + " of " + whole.length + " bytes decoded");
            }
            for (int k = 0; k < 8; k++) {
                byte[] mutated = whole.clone();
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
                }
                try {
                    codec.decode(new WireReader(mutated));
                } catch (WireFormatException expected) {
                    // refused: fine
                } catch (RuntimeException e) {
                    fail("seed " + seed + " (replay: -Dchainkit.seed=" + seed + "): mutated bytes threw " + e, e);
                }
            }
        }
    }

    private static ProtocolCodec<?> codecOf(Object message) {
        return message instanceof SyncMessage<?> ? SYNC : FORWARD;
    }

    /** Random messages of every type; every choice from the seeded generator. */
    private static final class Messages {
        private final SplittableRandom random;

        Messages(SplittableRandom random) {
            this.random = random;
        }

        List<Object> all() {
            List<Object> all = new ArrayList<>();
            Vector<Operation<TournamentOp>> ops = ops(random.nextInt(5));
            OpId anchor = new OpId("anchor-" + random.nextInt(1000));
            all.add(new SyncMessage.OpSync<>(word(), anchor, ops));
            all.add(new SyncMessage.SyncSuccess<TournamentOp>(opId()));
            all.add(new SyncMessage.SyncSuccessWithNewOps<>(opId(), ops(random.nextInt(4))));
            all.add(new SyncMessage.OpProcessor<>(ops(random.nextInt(3)), ops(random.nextInt(3)), op(),
                    new OpError("kind-" + random.nextInt(9), text())));
            all.add(new SyncMessage.ProcessorDecision<TournamentOp>(Vector.fill(1 + random.nextInt(4), this::opId)));
            all.add(new SyncMessage.SyncFailed<>(opId(), ops(random.nextInt(4))));
            SyncMessage.SyncRejected.Reason[] reasons = SyncMessage.SyncRejected.Reason.values();
            all.add(new SyncMessage.SyncRejected<>(reasons[random.nextInt(reasons.length)], text(),
                    ops(random.nextInt(3))));
            all.add(new ForwardMessage.ForwardSync<>(word(), opId(), ops(1 + random.nextInt(4))));
            ForwardMessage.ForwardAck.Status[] statuses = ForwardMessage.ForwardAck.Status.values();
            all.add(new ForwardMessage.ForwardAck<TournamentOp>(statuses[random.nextInt(statuses.length)]));
            return all;
        }

        Vector<Operation<TournamentOp>> ops(int n) {
            List<Operation<TournamentOp>> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                list.add(new Operation<>(new OpId("op-" + i + "-" + random.nextInt(1_000_000)), author(),
                        random.nextLong(Long.MAX_VALUE), payload()));
            }
            return Vector.ofAll(list);
        }

        Operation<TournamentOp> op() {
            return ops(1).head();
        }

        OpId opId() {
            return new OpId(word() + "-" + random.nextInt(100));
        }

        Author author() {
            Role role = switch (random.nextInt(3)) {
                case 0 -> Role.organizer();
                case 1 -> Role.judge();
                default -> Role.player(name());
            };
            return new Author(word(), role);
        }

        TournamentOp payload() {
            return switch (random.nextInt(8)) {
                case 0 -> new TournamentOp.Create(word(), word());
                case 1 -> new TournamentOp.Register(name());
                case 2 -> new TournamentOp.Drop(name());
                case 3 -> new TournamentOp.Start();
                case 4 -> new TournamentOp.Pair(1 + random.nextInt(20));
                case 5 -> new TournamentOp.Result(1 + random.nextInt(20), name(), random.nextInt(4),
                        random.nextInt(4), random.nextInt(3));
                case 6 -> new TournamentOp.Confirm(1 + random.nextInt(20));
                default -> new TournamentOp.End();
            };
        }

        String name() {
            return "p" + Integer.toString(random.nextInt(1 << 20), 36) + (random.nextBoolean() ? "_x" : "-Y");
        }

        String word() {
            String[] words = {"hq", "spring-open", "é-tablet", "n1", "表", "judge_2"};
            return words[random.nextInt(words.length)] + random.nextInt(1000);
        }

        String text() {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(30);
            for (int i = 0; i < n; i++) {
                b.appendCodePoint(random.nextInt(10) == 0 ? 0x1F000 + random.nextInt(200) : 'a' + random.nextInt(26));
            }
            return b.append('.').toString();
        }
    }
}
