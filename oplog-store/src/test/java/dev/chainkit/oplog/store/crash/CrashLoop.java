package dev.chainkit.oplog.store.crash;

import dev.chainkit.oplog.OpId;
import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.store.OplogDatabase;
import dev.chainkit.oplog.sync.ClientStore;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.tournament.TournamentOp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Kills a crash child with SIGKILL again and again, aimed at the kill points of a mix, restarts it on the same files
 * and checks them after every kill:
 * <ul>
 *   <li>the server's log opens (positions dense, every op decodes, matches its digest and applies, cursors inside
 *   the log) and holds every op whose sync was answered exactly once;</li>
 *   <li>each client's store opens, its synced part is a prefix of the server's log (it never believes an op synced
 *   that the server lost), and it holds every op its client made (pending ops survive);</li>
 *   <li>where the kill landed: a held commit is absent (before) or present but unanswered (between commit and reply),
 *   a commit cut short is all there or not at all, a held client save is in the client's file;</li>
 *   <li>after the restart the nodes converge (the child says so before making new ops), on a log no shorter.</li>
 * </ul>
 * The plan (kill points, holds, pauses, the child's seeds) is drawn from the seed, so a failure replays the same
 * plan with {@code -Dchainkit.seed=N}; the exact instants of the kills are the machine's.
 *
 * <p>The child is started by a {@link Target}, so the same loop can drive a server and clients in separate
 * processes over a real network once there is one; the checks only read the files.
 */
final class CrashLoop {

    /** Starts the processes of one incarnation of the system under test. */
    interface Target {
        ChildJvm start(Path folder, long seed, int run, Hold hold, boolean convergeOnly);
    }

    /** The server and the clients in one child JVM over the threaded in-memory network. */
    static Target oneProcess(int clients) {
        return (folder, seed, run, hold, convergeOnly) -> ChildJvm.start(folder, CrashChildMain.class,
                convergeOnly ? List.of(folder.toString(), Long.toString(seed), Integer.toString(run),
                        Integer.toString(clients), hold.toString(), "converge-only")
                        : List.of(folder.toString(), Long.toString(seed), Integer.toString(run),
                        Integer.toString(clients), hold.toString()));
    }

    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(60);

    private final long seed;
    private final int kills;
    private final int clients;
    private final List<KillPoint> mix;
    private final Target target;

    private final Map<OpId, String> answered = new HashMap<>();
    private final Map<String, Set<OpId>> made = new HashMap<>();
    private final Map<String, Integer> landed = new TreeMap<>();
    private int lastServerSize = 1;
    private Path stderr;

    // what the current incarnation said
    private String lastCommitBegin;
    private final Set<Integer> commitsEnded = new HashSet<>();
    private String lastSaveBegin;
    private boolean lastSaveEnded;
    private String holdLine;

    CrashLoop(long seed, int kills, int clients, List<KillPoint> mix, Target target) {
        this.seed = seed;
        this.kills = kills;
        this.clients = clients;
        this.mix = List.copyOf(mix);
        this.target = target;
    }

    /** Where the kills landed, by kind, once {@link #run} returned. */
    Map<String, Integer> landed() {
        return landed;
    }

    /** How many ops were answered in all. */
    int answeredOps() {
        return answered.size();
    }

    void run(Path folder) {
        stderr = folder.resolve("child-stderr.log");
        SplittableRandom random = new SplittableRandom(seed);
        for (int run = 1; run <= kills; run++) {
            KillPoint point = mix.get(random.nextInt(mix.size()));
            Hold hold = point.hold == Hold.Kind.NONE ? Hold.NONE
                    : new Hold(point.hold, 1 + random.nextInt(point == KillPoint.CLIENT_AFTER_SAVE ? 6 : 4));
            resetIncarnation();
            try (ChildJvm child = target.start(folder, random.nextLong(), run, hold, false)) {
                converged(child, run);
                aim(child, point, random);
                child.kill();
                for (String line = child.next(LINE_TIMEOUT); line != null; line = child.next(LINE_TIMEOUT)) {
                    observe(line); // printed before it died
                }
            }
            String where = check(folder, point, run);
            landed.merge(where, 1, Integer::sum);
        }
        resetIncarnation();
        try (ChildJvm child = target.start(folder, random.nextLong(), kills + 1, Hold.NONE, true)) {
            converged(child, kills + 1);
            int exit = child.waitFor(LINE_TIMEOUT);
            if (exit != 0) {
                throw failure(kills + 1, "the last child exited with " + exit);
            }
        }
        checkConverged(folder);
    }

    private void resetIncarnation() {
        lastCommitBegin = null;
        commitsEnded.clear();
        lastSaveBegin = null;
        lastSaveEnded = false;
        holdLine = null;
    }

    private void converged(ChildJvm child, int run) {
        String line = awaitObserving(child, "CONVERGED", run);
        int size = Integer.parseInt(line.substring(line.indexOf("size=") + 5));
        if (size < lastServerSize) {
            throw failure(run, "converged on " + size + " ops, fewer than the " + lastServerSize
                    + " the server's file held");
        }
    }

    private void aim(ChildJvm child, KillPoint point, SplittableRandom random) {
        switch (point) {
            case RANDOM -> {
                sleep(5 + random.nextInt(150));
                child.drain().forEach(this::observe);
            }
            case BEFORE_COMMIT, BETWEEN_COMMIT_AND_REPLY, CLIENT_AFTER_SAVE -> awaitObserving(child, "HOLD ", 0);
            case DURING_COMMIT -> {
                for (int skip = random.nextInt(3); skip >= 0; skip--) {
                    while (awaitObserving(child, "COMMIT-BEGIN ", 0).startsWith("COMMIT-BEGIN cursors")) {
                        // aim at commits that carry ops
                    }
                }
            }
            case CLIENT_DURING_SAVE -> {
                for (int skip = random.nextInt(5); skip >= 0; skip--) {
                    awaitObserving(child, "CSAVE-BEGIN ", 0);
                }
            }
            case AFTER_REPLY -> {
                for (int n = 1 + random.nextInt(10); n > 0; n--) {
                    awaitObserving(child, "SYNCED ", 0);
                }
            }
            default -> throw new IllegalArgumentException("no aim for " + point);
        }
    }

    private String awaitObserving(ChildJvm child, String prefix, int run) {
        while (true) {
            String line = child.next(LINE_TIMEOUT);
            if (line == null) {
                throw failure(run, "the child ended before printing '" + prefix + "'");
            }
            observe(line);
            if (line.startsWith("NOT-CONVERGED") || line.startsWith("HOLD-TIMEOUT")
                    || line.startsWith("WORKLOAD-TIMEOUT")) {
                throw failure(run, "the child says " + line);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    private void observe(String line) {
        String[] w = line.split(" ");
        switch (w[0]) {
            case "MADE" -> made.computeIfAbsent(w[1], k -> new HashSet<>()).add(OpId.of(w[2]));
            case "SYNCED" -> answered.put(OpId.of(w[2]), w[1]);
            case "COMMIT-BEGIN" -> {
                if (!w[1].equals("cursors")) {
                    lastCommitBegin = line;
                }
            }
            case "COMMIT-END" -> {
                if (!w[1].equals("cursors")) {
                    commitsEnded.add(Integer.parseInt(w[1]));
                }
            }
            case "CSAVE-BEGIN" -> {
                lastSaveBegin = line;
                lastSaveEnded = false;
            }
            case "CSAVE-END" -> lastSaveEnded = lastSaveBegin != null && lastSaveBegin.startsWith(
                    "CSAVE-BEGIN " + w[1] + " " + w[2] + " ");
            case "HOLD" -> holdLine = line;
            default -> { }
        }
    }

    /** Checks the files after a kill; returns where the kill landed. */
    private String check(Path folder, KillPoint point, int run) {
        OpLog<TournamentOp> serverLog;
        try (OplogDatabase db = OplogDatabase.sqlite(folder.resolve("hq.db"))) {
            StoredLog<TournamentOp> stored = db.serverStore(CrashChildMain.DOMAIN).load(CrashChildMain.LOG)
                    .orElseThrow(() -> failure(run, "the server's file has no log"));
            serverLog = stored.log();
            stored.cursors().forEach((client, position) -> {
                if (position >= stored.log().size()) {
                    throw failure(run, "the cursor of " + client + " is past the log");
                }
            });
        } catch (RuntimeException e) {
            throw failure(run, "the server's file does not open: " + e);
        }
        Map<OpId, Integer> count = new HashMap<>();
        for (Operation<TournamentOp> op : serverLog.ops()) {
            count.merge(op.id(), 1, Integer::sum);
        }
        for (OpId id : answered.keySet()) {
            if (count.getOrDefault(id, 0) != 1) {
                throw failure(run, "op " + id + " was answered but is " + count.getOrDefault(id, 0)
                        + " times in the server's log of " + serverLog.size() + " ops");
            }
        }
        Map<String, OpLog<TournamentOp>> clientLogs = new HashMap<>();
        for (int i = 1; i <= clients; i++) {
            String name = "c" + i;
            try (OplogDatabase db = OplogDatabase.sqlite(folder.resolve(name + ".db"))) {
                ClientStore<TournamentOp> store = db.clientStore(CrashChildMain.LOG, CrashChildMain.DOMAIN,
                        CrashChildMain.GENESIS);
                OpLog<TournamentOp> log = store.log();
                clientLogs.put(name, log);
                int synced = log.indexOf(store.syncedTip()) + 1;
                for (int p = 0; p < synced; p++) {
                    if (p >= serverLog.size() || !serverLog.get(p).id().equals(log.get(p).id())) {
                        throw failure(run, name + " holds " + log.get(p).id() + " as synced at position " + p
                                + " but the server's log does not");
                    }
                }
                for (OpId id : made.getOrDefault(name, Set.of())) {
                    if (!log.contains(id)) {
                        throw failure(run, name + " made " + id + " but its store lost it");
                    }
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failure(run, "the file of " + name + " does not open: " + e);
            }
        }
        String where = landing(point, serverLog, clientLogs, run);
        lastServerSize = serverLog.size();
        return where;
    }

    private String landing(KillPoint point, OpLog<TournamentOp> serverLog, Map<String, OpLog<TournamentOp>> clientLogs,
            int run) {
        Integer open = lastCommitBegin == null ? null : Integer.parseInt(lastCommitBegin.split(" ")[1]);
        List<OpId> batch = lastCommitBegin == null ? List.of() : batchOps(lastCommitBegin);
        long inLog = batch.stream().filter(serverLog::contains).count();
        if (inLog != 0 && inLog != batch.size()) {
            throw failure(run, "the last commit (" + lastCommitBegin + ") is only partly in the server's log");
        }
        boolean batchLanded = !batch.isEmpty() && inLog == batch.size();
        boolean batchAnswered = batch.stream().anyMatch(answered::containsKey);
        boolean commitOpen = open != null && !commitsEnded.contains(open);
        switch (point) {
            case BEFORE_COMMIT -> {
                require(holdLine != null && holdLine.startsWith("HOLD SERVER_BEFORE_COMMIT"), run, "no hold seen");
                require(!batchLanded && !batchAnswered, run, "a commit held before it began is in the log or answered");
                return "before a commit (held, its ops absent)";
            }
            case BETWEEN_COMMIT_AND_REPLY -> {
                require(holdLine != null && holdLine.startsWith("HOLD SERVER_AFTER_COMMIT"), run, "no hold seen");
                require(batchLanded && !batchAnswered, run, "a commit held after it was durable is missing, or was "
                        + "answered");
                return "between commit and reply (held, durable, unanswered)";
            }
            case DURING_COMMIT -> {
                require(batchLanded || !batchAnswered, run, "an op was answered that is not in the log");
                return commitOpen ? (batchLanded ? "during a commit (it landed)" : "during a commit (it did not land)")
                        : "just after a commit (before its answers)";
            }
            case CLIENT_AFTER_SAVE -> {
                require(holdLine != null && holdLine.startsWith("HOLD CLIENT_AFTER_SAVE"), run, "no hold seen");
                String[] w = holdLine.split(" "); // HOLD CLIENT_AFTER_SAVE n client last=ID
                OpId last = OpId.of(w[4].substring("last=".length()));
                require(clientLogs.get(w[3]).last().id().equals(last), run, "the saved log of " + w[3]
                        + " does not end with " + last);
                return "after a client save (held, its op in the client's file)";
            }
            case CLIENT_DURING_SAVE -> {
                String[] w = lastSaveBegin.split(" ");
                OpId last = OpId.of(w[3].substring("last=".length()));
                boolean in = clientLogs.get(w[1]).last().id().equals(last);
                require(in || !lastSaveEnded, run, "a finished client save is not in the file");
                return lastSaveEnded ? "just after a client save" : in ? "during a client save (it landed)"
                        : "during a client save (it did not land)";
            }
            case AFTER_REPLY -> {
                return "after replies";
            }
            default -> {
                return commitOpen ? "at random, during a commit (" + (batchLanded ? "landed" : "not landed") + ")"
                        : "at random, between commits";
            }
        }
    }

    private static List<OpId> batchOps(String commitBegin) {
        String ops = commitBegin.substring(commitBegin.indexOf("ops=") + 4);
        List<OpId> ids = new ArrayList<>();
        if (!ops.isEmpty()) {
            for (String id : ops.split(",")) {
                ids.add(OpId.of(id));
            }
        }
        return ids;
    }

    private void checkConverged(Path folder) {
        OpLog<TournamentOp> serverLog;
        try (OplogDatabase db = OplogDatabase.sqlite(folder.resolve("hq.db"))) {
            serverLog = db.serverStore(CrashChildMain.DOMAIN).load(CrashChildMain.LOG).orElseThrow().log();
        }
        for (int i = 1; i <= clients; i++) {
            try (OplogDatabase db = OplogDatabase.sqlite(folder.resolve("c" + i + ".db"))) {
                ClientStore<TournamentOp> store = db.clientStore(CrashChildMain.LOG, CrashChildMain.DOMAIN,
                        CrashChildMain.GENESIS);
                require(store.log().equals(serverLog), kills + 1, "c" + i + "'s log differs from the server's");
                require(store.syncedTip().equals(serverLog.last().id()), kills + 1, "c" + i + " has pending ops");
            }
        }
        for (OpId id : answered.keySet()) {
            require(serverLog.contains(id), kills + 1, "answered op " + id + " is missing at the end");
        }
        for (Map.Entry<String, Set<OpId>> e : made.entrySet()) {
            for (OpId id : e.getValue()) {
                require(serverLog.contains(id), kills + 1, e.getKey() + "'s op " + id + " never reached the server");
            }
        }
    }

    private void require(boolean ok, int run, String what) {
        if (!ok) {
            throw failure(run, what);
        }
    }

    private IllegalStateException failure(int run, String what) {
        return new IllegalStateException("crash loop seed " + seed + ", run " + run + ": " + what
                + (stderr == null ? "" : "\nchild's stderr (last lines):\n" + tail(stderr))
                + " (last commit: " + shorten(lastCommitBegin) + ", last client save: " + lastSaveBegin + ", hold: "
                + holdLine
                + "; replay the plan with -Dchainkit.seed=" + seed + ")");
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String shorten(String line) {
        return line == null || line.length() < 200 ? line : line.substring(0, 200) + "...";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
