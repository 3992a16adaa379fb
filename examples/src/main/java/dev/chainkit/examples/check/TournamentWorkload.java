package dev.chainkit.examples.check;

import dev.chainkit.examples.cluster.TournamentCluster;
import dev.chainkit.oplog.Author;
import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.Match;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import dev.chainkit.sim.check.Action;
import dev.chainkit.sim.check.TimedAction;
import io.vavr.collection.Vector;
import io.vavr.control.Either;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws a sweep's workload: timed local ops on the clients and the server, drawn one after the other against a
 * plausible tournament (the state the ops drawn so far would make if they all applied in time order), so that
 * most of them are valid when made and conflicts come from concurrency. A few are conflicts on purpose: a name
 * registered twice, a round confirmed before its results are in, a round paired twice, a registration after the
 * start; one op in seven has a twin, the same op made by another user at about the same time (a conflict for
 * whichever reaches the server second); and one op in twenty goes to a random node whose user may not make it,
 * which that node rejects at once.
 *
 * <p>The ops follow a tournament's life: registrations (and a few drops), the organizer's {@code start} on the
 * server, then rounds of {@code pair}, {@code result} per match and {@code confirm}, rarely an {@code end}. Users
 * tend to go on with what they started (a judge runs a round), and a fifth of the ops come in bursts at the same
 * instant on the same node, so they travel in one sync.
 *
 * <p>Thread safety: stateless; every choice comes from the random source it is given.
 */
final class TournamentWorkload {

    /** How many player names the workload uses: {@code p1} to {@code p12}. */
    static final int PLAYERS = 12;

    private static final Tournament DOMAIN = TournamentCluster.domain();
    private static final int[][] SCORES = {{2, 0, 0}, {2, 1, 0}, {1, 2, 0}, {0, 2, 0}, {1, 1, 1}};

    private TournamentWorkload() {
    }

    /**
     * Draws 1 to {@code maxOps} timed ops within the shape's span, none on the long outage's quiet client, in time
     * order, labelled {@code w1}, {@code w2}, ... in the order drawn.
     */
    static List<TimedAction<SyncWork>> draw(RandomGenerator random, ClusterShape shape, int maxOps) {
        long horizonMs = shape.span().toMillis();
        int n = 1 + random.nextInt(maxOps);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = random.nextLong(horizonMs);
        }
        Arrays.sort(times);
        TournamentState model = DOMAIN.apply(DOMAIN.empty(), new Operation<>(OpId.of(TournamentCluster.GENESIS),
                new Author(shape.server().name(), Role.organizer()), 0,
                new TournamentOp.Create(TournamentCluster.LOG_ID, shape.server().name()))).get();
        List<TimedAction<SyncWork>> actions = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < n; i++) {
            Candidate c = choose(random, model, shape);
            long at = times[i];
            String node;
            int habit = random.nextInt(20);
            if (previous != null && habit < 4 && c.nodes().contains(previous)) {
                at = actions.get(actions.size() - 1).at().toMillis(); // a burst: travels in one sync
                node = previous;
            } else if (previous != null && habit < 15 && c.nodes().contains(previous)) {
                node = previous; // the same user goes on, on what it has seen
            } else if (habit == 19) {
                List<String> all = shape.nodeNames().stream().filter(shape::makesOps).toList();
                node = all.get(random.nextInt(all.size())); // maybe a user who may not make it: rejected at once
            } else {
                node = c.nodes().get(random.nextInt(c.nodes().size()));
            }
            model = add(actions, model, shape, at, node, c.op());
            previous = node;
            if (actions.size() < n && c.nodes().size() > 1 && random.nextInt(100) < 15) {
                // A twin: another user makes the same op at about the same time, before either has seen the
                // other's; one of them conflicts on the server or when rebased.
                List<String> others = new ArrayList<>(c.nodes());
                others.remove(node);
                String twin = others.get(random.nextInt(others.size()));
                model = add(actions, model, shape, Math.min(at + random.nextInt(30), horizonMs - 1), twin, c.op());
                i++;
            }
        }
        actions.sort(java.util.Comparator.comparing(TimedAction::at));
        return actions;
    }

    /** Adds the op as the next action, labelled by its position, and returns the model after it. */
    private static TournamentState add(List<TimedAction<SyncWork>> actions, TournamentState model,
            ClusterShape shape, long atMs, String node, TournamentOp op) {
        String label = "w" + (actions.size() + 1);
        actions.add(new TimedAction<>(Duration.ofMillis(atMs), new Action.Workload<>(new SyncWork(node, label, op))));
        Either<?, TournamentState> next = DOMAIN.apply(model, new Operation<>(OpId.of(label),
                new Author(node, shape.roleOf(node)), atMs, op));
        return next.isRight() ? next.get() : model;
    }

    /** An op the workload may make next, how likely, and which nodes' users may make it. */
    private record Candidate(double weight, TournamentOp op, List<String> nodes) { }

    private static Candidate choose(RandomGenerator random, TournamentState m, ClusterShape shape) {
        List<Candidate> menu = new ArrayList<>();
        Vector<String> active = m.activePlayers();
        Vector<String> registered = m.playerNames();
        List<String> fresh = new ArrayList<>();
        for (int p = 1; p <= PLAYERS; p++) {
            if (!m.isRegistered("p" + p)) {
                fresh.add("p" + p);
            }
        }
        String newName = fresh.isEmpty() ? "p" + (1 + random.nextInt(PLAYERS)) : fresh.get(random.nextInt(fresh.size()));
        if (!m.started()) {
            menu.add(new Candidate(6, new TournamentOp.Register(newName), forPlayers(shape, newName)));
            if (!registered.isEmpty()) {
                String again = registered.get(random.nextInt(registered.size()));
                menu.add(new Candidate(1, new TournamentOp.Register(again), forPlayers(shape, again)));
            }
            if (!active.isEmpty()) {
                String who = active.get(random.nextInt(active.size()));
                menu.add(new Candidate(1, new TournamentOp.Drop(who), forPlayers(shape, who)));
            }
            menu.add(new Candidate(active.size() >= 4 ? 5 : active.size() >= 2 ? 2 : 0.3, new TournamentOp.Start(),
                    shape.serverNames()));
        } else if (!m.ended()) {
            int round = m.currentRound();
            if (round == 0 || m.isConfirmed(round)) {
                menu.add(new Candidate(active.size() >= 2 ? 6 : 0.3, new TournamentOp.Pair(round + 1),
                        judges(shape)));
            } else {
                Vector<Match> matches = m.pairings(round);
                Vector<Match> open = matches.filter(x -> x.score().isEmpty());
                Vector<Match> scored = matches.filter(x -> x.score().isDefined());
                if (!open.isEmpty()) {
                    menu.add(result(random, shape, round, open.get(random.nextInt(open.size())), 6));
                }
                if (!scored.isEmpty()) {
                    menu.add(result(random, shape, round, scored.get(random.nextInt(scored.size())), 1));
                }
                menu.add(new Candidate(open.isEmpty() ? 5 : 0.4, new TournamentOp.Confirm(round), judges(shape)));
                menu.add(new Candidate(0.3, new TournamentOp.Pair(round + 1), judges(shape)));
            }
            if (!active.isEmpty()) {
                String who = active.get(random.nextInt(active.size()));
                menu.add(new Candidate(0.6, new TournamentOp.Drop(who), forPlayers(shape, who)));
            }
            menu.add(new Candidate(0.3, new TournamentOp.Register(newName), forPlayers(shape, newName)));
            if (round >= 2) {
                menu.add(new Candidate(0.1, new TournamentOp.End(), shape.serverNames()));
            }
        } else {
            menu.add(new Candidate(1, new TournamentOp.Register(newName), forPlayers(shape, newName)));
            menu.add(new Candidate(1, new TournamentOp.Pair(m.currentRound() + 1), judges(shape)));
        }
        double total = 0;
        for (Candidate c : menu) {
            total += c.weight();
        }
        double pick = random.nextDouble() * total;
        for (Candidate c : menu) {
            pick -= c.weight();
            if (pick < 0) {
                return c;
            }
        }
        return menu.get(menu.size() - 1);
    }

    private static Candidate result(RandomGenerator random, ClusterShape shape, int round, Match match,
            double weight) {
        String player = random.nextBoolean() ? match.first() : match.second();
        int[] s = SCORES[random.nextInt(SCORES.length)];
        List<String> nodes = judges(shape);
        for (String p : List.of(match.first(), match.second())) {
            nodes.addAll(playerNodes(shape, p));
        }
        return new Candidate(weight, new TournamentOp.Result(round, player, s[0], s[1], s[2]), nodes);
    }

    /** The servers and the judges. */
    private static List<String> judges(ClusterShape shape) {
        List<String> nodes = new ArrayList<>();
        nodes.addAll(shape.serverNames());
        shape.clients().stream().filter(c -> c.role() instanceof Role.Judge && shape.makesOps(c.name()))
                .forEach(c -> nodes.add(c.name()));
        return nodes;
    }

    /** The servers, the judges and the client whose user is {@code player}. */
    private static List<String> forPlayers(ClusterShape shape, String player) {
        List<String> nodes = judges(shape);
        nodes.addAll(playerNodes(shape, player));
        return nodes;
    }

    private static List<String> playerNodes(ClusterShape shape, String player) {
        return shape.clients().stream().filter(c -> c.role() instanceof Role.Player p && p.name().equals(player)
                && shape.makesOps(c.name())).map(c -> c.name()).toList();
    }
}
