package dev.chainkit.examples.cluster;

import dev.chainkit.examples.scenario.Hints;
import dev.chainkit.oplog.sync.AppendConflict;
import dev.chainkit.oplog.sync.HintListener;
import dev.chainkit.oplog.sync.HintSubscription;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.LogTail;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.fault.FaultRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The database several simulated servers share: one store with the fencing of the real ones (an append lands at
 * its expected position or is refused, cursors only move forward), and the hints a database sends after each commit
 * that appended ops or moved a client to another server, with the faults of a real notification channel.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>One store, a view per server.</b> {@link #forServer} gives each server a {@link ServerStore} that
 *   reads and commits to the one shared store and is {@link ServerStore#shared()}: the servers run exactly the
 *   code they run on PostgreSQL. The store outlives every server's crash (it is the database, not a node's
 *   disk).</li>
 *   <li><b>Hints as the database sends them.</b> After a commit of server {@code w}, each other server {@code s}
 *   that listens gets the hint (log id, size) after a delay drawn from the {@link Hints} range; a targeted rule on
 *   the kind {@code Hint} ({@code drop}, {@code duplicate}, {@code delay} from {@code w} to {@code s}) applies first,
 *   then random loss (until the run is calm). A lost hint is not lost for ever: it stands for a notification the
 *   server missed, which its next poll of the logs' heads finds, at a multiple of the poll interval (with a phase
 *   per server). So a lost hint costs time, as on PostgreSQL.</li>
 *   <li><b>Deterministic.</b> Every choice is drawn from a random source seeded by the run's seed; deliveries are
 *   scripted actions of the simulation (described in the trace), so a run is not quiet while a hint is on its
 *   way.</li>
 *   <li><b>Crashes.</b> A hint reaches a server's current incarnation only: a server that is down gets none (it
 *   reads its logs when it starts again), and a restarted server listens anew.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; the simulation's thread uses it.
 *
 * @param <P> the domain's payload type
 */
public final class SharedStore<P> {

    /** The message kind a targeted rule names to aim at hints. */
    public static final String HINT_KIND = "Hint";
    private static final long SALT = 0x68696e7473L;

    private final ServerStore<P> db = ServerStore.inMemory();
    private final Simulation sim;
    private final Hints settings;
    private final SplittableRandom random;
    private final Map<String, HintListener> listeners = new HashMap<>();
    private final Map<String, Long> pollPhasesNs = new HashMap<>();
    private final List<FaultRule> rules = new ArrayList<>();
    private final Map<FaultRule, Integer> used = new java.util.IdentityHashMap<>();
    private long sent;
    private long lost;

    /**
     * A shared store in {@code sim}.
     *
     * @param sim the simulation whose time and seed it uses
     * @param settings how hints travel
     * @throws NullPointerException if an argument is null
     */
    public SharedStore(Simulation sim, Hints settings) {
        this.sim = Objects.requireNonNull(sim, "sim");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = new SplittableRandom(sim.seed() ^ SALT);
    }

    /** The store itself (what the database holds), for setting up and for checks. */
    public ServerStore<P> store() {
        return db;
    }

    /**
     * The store as server {@code server} sees it: the shared store, with hints to and from that server.
     *
     * @throws NullPointerException if {@code server} is null
     */
    public ServerStore<P> forServer(String server) {
        Objects.requireNonNull(server, "server");
        pollPhasesNs.computeIfAbsent(server, s -> random.nextLong(settings.poll().toNanos()));
        return new View(server);
    }

    /**
     * Adds a targeted rule on hints (its message kind {@value #HINT_KIND}): it applies to the next matching hints
     * sent from now on.
     *
     * @throws IllegalArgumentException if the rule is not about hints
     */
    public void addRule(FaultRule rule) {
        if (!HINT_KIND.equals(rule.messageKind())) {
            throw new IllegalArgumentException("a rule of the shared store is about hints, not " + rule.messageKind());
        }
        rules.add(rule);
    }

    /** How many hints the store sent (one per other server per commit that hints), duplicates included. */
    public long hintsSent() {
        return sent;
    }

    /** How many of them were lost (and found by a poll instead). */
    public long hintsLost() {
        return lost;
    }

    private void hint(String writer, List<LogAppend<P>> appends) {
        for (LogAppend<P> a : appends) {
            if (a.ops().isEmpty() && a.servedBy().isEmpty()) {
                continue;
            }
            for (String server : pollPhasesNs.keySet().stream().sorted().toList()) {
                if (!server.equals(writer)) {
                    send(writer, server, a.logId(), a.sizeAfter());
                }
            }
        }
    }

    private void send(String writer, String to, String logId, int size) {
        int copies = 1;
        long extraNs = 0;
        FaultRule rule = matching(writer, to);
        if (rule != null) {
            switch (rule.action()) {
                case DROP -> copies = 0;
                case DUPLICATE -> copies = 2;
                case DELAY -> extraNs = rule.delay().toNanos();
                default -> throw new IllegalStateException("unknown rule action " + rule.action());
            }
        } else if (!sim.isCalm() && settings.loss() > 0 && random.nextDouble() < settings.loss()) {
            copies = 0;
        }
        long nowNs = sim.nowNs();
        if (copies == 0) {
            lost++;
            long pollNs = settings.poll().toNanos();
            long phase = pollPhasesNs.get(to);
            long at = ((nowNs - phase) / pollNs + 1) * pollNs + phase; // the next poll of that server
            sim.at(Duration.ofNanos(at), "poll " + to + ": " + logId + " has " + size + " ops (hint from " + writer
                    + " lost)", () -> deliver(to, logId, size));
            return;
        }
        for (int c = 0; c < copies; c++) {
            sent++;
            long delayNs = settings.delayMin().toNanos()
                    + random.nextLong(settings.delayMax().toNanos() - settings.delayMin().toNanos() + 1);
            sim.at(Duration.ofNanos(nowNs + delayNs + extraNs), "hint " + writer + " -> " + to + ": " + logId
                    + " has " + size + " ops", () -> deliver(to, logId, size));
        }
    }

    private FaultRule matching(String writer, String to) {
        for (FaultRule r : rules) {
            int n = used.getOrDefault(r, 0);
            if (n < r.count() && r.from().name().equals(writer) && r.to().name().equals(to)) {
                used.put(r, n + 1);
                return r;
            }
        }
        return null;
    }

    private void deliver(String server, String logId, int size) {
        HintListener listener = listeners.get(server);
        if (listener != null && sim.node(server).isUp()) {
            listener.hint(logId, size);
        }
    }

    /** The shared store as one server sees it. */
    private final class View implements ServerStore<P> {
        private final String server;

        View(String server) {
            this.server = server;
        }

        @Override
        public Optional<StoredLog<P>> load(String logId) {
            return db.load(logId);
        }

        @Override
        public Optional<LogTail<P>> tail(String logId, int from) {
            return db.tail(logId, from);
        }

        @Override
        public Optional<AppendConflict> commit(List<LogAppend<P>> appends) {
            Optional<AppendConflict> conflict = db.commit(appends);
            if (conflict.isEmpty()) {
                hint(server, appends);
            }
            return conflict;
        }

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public HintSubscription listen(HintListener listener) {
            Objects.requireNonNull(listener, "listener");
            listeners.put(server, listener);
            return () -> listeners.remove(server, listener);
        }

        @Override
        public String toString() {
            return "the store shared by the servers, as " + server + " sees it";
        }
    }
}
