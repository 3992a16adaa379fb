package dev.chainkit.examples.scenario;

import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.Match;
import dev.chainkit.oplog.tournament.Round;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import io.vavr.control.Either;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes big scenario files: a whole tournament of any size, played by {@code K} judge devices and the
 * organizer's server on a slightly lossy venue network, for {@code chainsim generate} and the scale figure of
 * {@code ./bench} (P3b). The same arguments always give the same text.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Shape.</b> A tenth of the ops register players (at least 4), spread over the judges; the server's
 *   organizer starts; then rounds until the op count is reached: the organizer pairs, the judges enter one result
 *   per match from 2 s on, the organizer confirms 2 s after the last result. So both the tournament (players,
 *   rounds, results) and the log grow with the op count: it is the case the issue "linear costs for big
 *   tournaments and long scenarios" asks about.</li>
 *   <li><b>Real pairings.</b> The generator folds its ops with the {@link Tournament} rules as it writes them, so
 *   each result names a player of a match the server's pairing will have made; the gaps (2 s after a pairing,
 *   2 s before a confirmation, latency at most 60 ms) let every op reach its node before the next one needs it,
 *   so nearly every op applies.</li>
 *   <li><b>Some conflict on purpose.</b> One registration in twenty is made at the same instant by a second
 *   judge: a real conflict, answered by that judge's {@code decide=} habit (judges alternate {@code skip} and
 *   {@code purge}).</li>
 *   <li><b>Expectations.</b> {@code expect converged} and {@code expect quiet}: every op anywhere is in every log
 *   once, and the run drains.</li>
 * </ul>
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class ScenarioGenerator {

    /** The most clients a generated scenario has. */
    public static final int MAX_CLIENTS = 1000;
    /** The most ops a generated scenario has. */
    public static final int MAX_OPS = 1_000_000;

    private static final Tournament RULES = new Tournament();
    private static final String SERVER = "hq";
    private static final long REGISTER_GAP_MS = 100;
    private static final long RESULT_GAP_MS = 150;
    private static final long SETTLE_MS = 2000;
    private static final String[] SCORES = {"2-0", "2-1", "1-2", "0-2", "1-1-1"};

    private ScenarioGenerator() {
    }

    /**
     * Writes a generated scenario.
     *
     * @param clients how many judge devices besides the server, 1 to {@link #MAX_CLIENTS}
     * @param ops how many ops the users make, 1 to {@link #MAX_OPS}
     * @param seed the seed of the generator's choices and of the scenario's network
     * @return the scenario text, parseable by {@link ScenarioParser}
     * @throws IllegalArgumentException if {@code clients} or {@code ops} is out of range
     */
    public static String generate(int clients, int ops, long seed) {
        if (clients < 1 || clients > MAX_CLIENTS) {
            throw new IllegalArgumentException("clients must be from 1 to " + MAX_CLIENTS + ", got " + clients);
        }
        if (ops < 1 || ops > MAX_OPS) {
            throw new IllegalArgumentException("ops must be from 1 to " + MAX_OPS + ", got " + ops);
        }
        return new Writer(clients, ops, seed).write();
    }

    /** One generation; not thread-safe. */
    private static final class Writer {
        private final int clients;
        private final int ops;
        private final long seed;
        private final SplittableRandom random;
        private final List<String> events = new ArrayList<>();
        private TournamentState model;
        private long nowMs;
        private int made;

        Writer(int clients, int ops, long seed) {
            this.clients = clients;
            this.ops = ops;
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            this.model = RULES.apply(TournamentState.empty(), op(new TournamentOp.Create("tournament", SERVER)))
                    .get();
        }

        String write() {
            int players = Math.max(4, ops / 10);
            for (int p = 1; p <= players && made < ops; p++) {
                String name = String.format("p%04d", p);
                String judge = judge();
                at(judge, new TournamentOp.Register(name));
                if (clients > 1 && random.nextInt(20) == 0 && made < ops) {
                    String other = judge();
                    while (other.equals(judge)) {
                        other = judge();
                    }
                    event(other, new TournamentOp.Register(name)); // same instant: one of the two conflicts
                    made++;
                }
                nowMs += REGISTER_GAP_MS;
            }
            if (made < ops) {
                at(SERVER, new TournamentOp.Start());
            }
            while (made < ops) {
                round();
            }
            StringBuilder b = new StringBuilder(events.size() * 40 + 512);
            b.append("# Generated by `chainsim generate --clients ").append(clients).append(" --ops ").append(ops)
                    .append(" --seed ").append(seed).append("`: a tournament of ").append(players)
                    .append(" players on ").append(clients).append(" judge devices.\n");
            b.append("scenario generated-").append(clients).append("-clients-").append(ops).append("-ops\n");
            b.append("seed ").append(seed).append('\n');
            b.append("network loss=0.02 duplicate=0.01 latency=5ms..60ms\n");
            b.append("limit ").append(ScenarioSyntax.formatDuration(Duration.ofMillis(nowMs + 600_000))).append('\n');
            b.append("server ").append(SERVER).append('\n');
            for (int c = 1; c <= clients; c++) {
                b.append("client ").append(clientName(c)).append(" role=judge decide=")
                        .append(c % 2 == 1 ? "skip" : "purge").append('\n');
            }
            events.forEach(e -> b.append(e).append('\n'));
            b.append("calm at ").append(ScenarioSyntax.formatDuration(Duration.ofMillis(nowMs + SETTLE_MS)))
                    .append('\n');
            b.append("expect converged\nexpect quiet\n");
            return b.toString();
        }

        /** Pairs the next round, enters one result per match, confirms it. */
        private void round() {
            int number = model.currentRound() + 1;
            if (!at(SERVER, new TournamentOp.Pair(number))) {
                throw new IllegalStateException("the generator's own pairing of round " + number
                        + " does not apply: " + model);
            }
            nowMs += SETTLE_MS;
            Round round = model.round(number).get();
            for (Match m : round.matches()) {
                if (made >= ops) {
                    return;
                }
                String score = SCORES[random.nextInt(SCORES.length)];
                String[] wld = score.split("-");
                at(judge(), new TournamentOp.Result(number, m.first(), Integer.parseInt(wld[0]),
                        Integer.parseInt(wld[1]), wld.length > 2 ? Integer.parseInt(wld[2]) : 0));
                nowMs += RESULT_GAP_MS;
            }
            nowMs += SETTLE_MS;
            if (made < ops) {
                at(SERVER, new TournamentOp.Confirm(number));
                nowMs += RESULT_GAP_MS;
            }
        }

        /** Writes an op at the current time and folds it into the model; false if it does not apply there. */
        private boolean at(String node, TournamentOp op) {
            event(node, op);
            made++;
            Either<?, TournamentState> next = RULES.apply(model, op(op));
            if (next.isRight()) {
                model = next.get();
                return true;
            }
            return false;
        }

        private void event(String node, TournamentOp op) {
            events.add("at " + ScenarioSyntax.formatDuration(Duration.ofMillis(nowMs)) + " " + node + ": "
                    + op.text());
        }

        private String judge() {
            return clientName(1 + random.nextInt(clients));
        }

        private static String clientName(int c) {
            return "j" + c;
        }

        private Operation<TournamentOp> op(TournamentOp payload) {
            return new Operation<>(OpId.of("g" + made), new Author(SERVER, Role.organizer()), nowMs, payload);
        }
    }
}
