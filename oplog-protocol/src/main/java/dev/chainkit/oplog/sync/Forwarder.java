package dev.chainkit.oplog.sync;

import dev.chainkit.core.spi.StateSink;
import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.oplog.OpLog;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log's forward chains: passes the log's durable ops on to each member, from the member's forward cursor.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Cursors.</b> A persisted cursor per member marks how far the member has the log. At most one forward
 *   chain per member is in flight; it carries the durable ops after the cursor, at most {@link
 *   SyncLimits#maxOpsPerSync()} of them (the next chain carries the rest), so no forward outgrows a frame.</li>
 *   <li><b>A cursor moves on evidence.</b> A forward the member answered moves it over the forwarded ops (applied,
 *   or the member fetches them by its own sync). A sync from the member proves the member has the log up to the
 *   sync's anchor and its own ops that directly follow it. A sync that appended ops moves it to the end of the log:
 *   the member keeps syncing those ops until an answer computed after this one reaches it, and that answer carries
 *   everything after its anchor. So ops are not forwarded back to where they came from, and each op crosses each
 *   link once per direction (plus retransmissions). A sync that appended nothing may be a network copy of a chain
 *   that ended long ago (its tombstone lost to a server restart); its answer may reach no one, so it moves the
 *   cursor no further than what it proves, and the forwarder sends the rest; when the answer did arrive (a live
 *   catch-up sync), that next forward repeats ops the answer carried, once per such sync, which the client takes
 *   as ops it has (found by {@code chainsim explore}:
 *   {@code examples/scenarios/explored/stale-opsync-after-server-restart.scn}).</li>
 *   <li><b>Which members.</b> Every member but the server's own node has a cursor, which any completed forward or
 *   sync moves; forwards go only to the members this server serves (on a shared store, those that last synced or
 *   subscribed here), so one server, not all of them, forwards to each client.</li>
 *   <li><b>Retries.</b> A forward that fails (the member is down or cut off for longer than a chain's deadline) is
 *   tried again after a capped backoff for as long as the member lacks ops: a member that makes no ops of its own
 *   never syncs, so only the server can bring it up to date. A member that subscribes again is tried at once.</li>
 * </ul>
 *
 * <p>Thread safety: confined to the server's node thread.
 */
final class Forwarder<P> {

    /** How many times the pause between failed forwards to one member doubles before it stays the same. */
    static final int BACKOFF_DOUBLINGS = 4;

    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    private final ChainNode node;
    private final Scheduler scheduler;
    private final String logId;
    private final int maxOps;
    private final Supplier<OpLog<P>> opLog;
    private final IntSupplier durableSize;
    private final Predicate<NodeId> isMember;
    private final Predicate<NodeId> isTarget;
    private final BiConsumer<NodeId, Integer> persist;
    private final Map<NodeId, Integer> cursors = new HashMap<>();
    private final Map<NodeId, Integer> failures = new HashMap<>();
    private final Set<NodeId> forwarding = new HashSet<>();
    private final Set<NodeId> waitingToRetry = new HashSet<>();

    /**
     * @param opLog the log as it is in memory now
     * @param durableSize how many ops of it are durable
     * @param isMember whether a node is a member whose cursor is kept
     * @param isTarget whether a node is a member that this server forwards to
     * @param persist stages a cursor move for the store
     */
    Forwarder(ChainNode node, Scheduler scheduler, String logId, int maxOps, Supplier<OpLog<P>> opLog,
            IntSupplier durableSize, Predicate<NodeId> isMember, Predicate<NodeId> isTarget,
            BiConsumer<NodeId, Integer> persist) {
        this.node = Objects.requireNonNull(node, "node");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.logId = Objects.requireNonNull(logId, "logId");
        this.maxOps = maxOps;
        this.opLog = opLog;
        this.durableSize = durableSize;
        this.isMember = isMember;
        this.isTarget = isTarget;
        this.persist = persist;
    }

    /** The position up to which {@code member} has the log or was sent it (0, the genesis, at first). */
    int cursor(NodeId member) {
        return cursors.getOrDefault(member, 0);
    }

    /** Whether no forward is in flight or waiting to be tried again. */
    boolean idle() {
        return forwarding.isEmpty() && waitingToRetry.isEmpty();
    }

    /** Replaces every cursor with {@code stored} (as the store holds them). */
    void reset(io.vavr.collection.Map<NodeId, Integer> stored) {
        cursors.clear();
        stored.forEach(cursors::put);
    }

    /** Moves each cursor to where {@code stored} has it, if that is further on (another server moved it). */
    void merge(io.vavr.collection.Map<NodeId, Integer> stored) {
        stored.forEach((member, position) -> cursors.merge(member, position, Math::max));
    }

    /** Pulls every cursor back inside a log of {@code size} ops (after a roll-back). */
    void clampTo(int size) {
        cursors.replaceAll((member, position) -> Math.min(position, size - 1));
    }

    /** {@code member} has the log up to {@code position}: moves its cursor there (never back) and persists it. */
    void advance(NodeId member, int position) {
        if (isMember.test(member) && position > cursors.getOrDefault(member, 0)) {
            cursors.put(member, position);
            persist.accept(member, position);
        }
        failures.remove(member);
    }

    /** {@code member} (re)subscribed: forwards what it lacks now, without waiting out a backoff. */
    void resume(NodeId member) {
        failures.remove(member);
        waitingToRetry.remove(member);
        pump(member);
    }

    /** Forwards what each of {@code members} lacks. */
    void pumpAll(Iterable<NodeId> members) {
        for (NodeId member : members) {
            pump(member);
        }
    }

    /** Starts a forward chain to {@code member} if it lacks durable ops and none is in flight or waiting. */
    void pump(NodeId member) {
        if (!isTarget.test(member) || forwarding.contains(member) || waitingToRetry.contains(member)) {
            return;
        }
        OpLog<P> current = opLog.get();
        int durableEnd = durableSize.getAsInt() - 1; // only durable ops leave the server
        int cursor = Math.min(cursors.getOrDefault(member, 0), durableEnd);
        if (cursor >= durableEnd) {
            return;
        }
        int end = Math.min(durableEnd, cursor + maxOps);
        ForwardMessage.ForwardSync<P> forward = new ForwardMessage.ForwardSync<>(logId, current.get(cursor).id(),
                current.ops().slice(cursor + 1, end + 1));
        forwarding.add(member);
        ChainHandle<ForwardMessage.ForwardAck.Status> handle = node.start(OplogProtocols.<P>forward(), member,
                forward, (chain, reply) -> reply instanceof ForwardMessage.ForwardAck<P> ack
                        ? InitiatorAction.complete(ack.status())
                        : InitiatorAction.fail("unexpected forward reply " + reply));
        handle.outcome().thenAccept(outcome -> onOutcome(member, end, outcome));
    }

    /** Writes the forwarding state, for a model checker (see {@code HostedLog.digest}). */
    void digest(StateSink sink) {
        StateDigests.putByNode(sink, cursors);
        StateDigests.putByNode(sink, failures);
        java.util.Map<NodeId, String> flags = new java.util.HashMap<>();
        forwarding.forEach(n -> flags.put(n, "forwarding"));
        waitingToRetry.forEach(n -> flags.merge(n, "waiting", (a, b) -> a + "+" + b));
        StateDigests.putByNode(sink, flags);
    }

    private void onOutcome(NodeId member, int end, Outcome<ForwardMessage.ForwardAck.Status> outcome) {
        forwarding.remove(member);
        if (outcome instanceof Outcome.Completed<ForwardMessage.ForwardAck.Status>) {
            // applied: the member has the ops; deferred or behind: it fetches them through its own sync.
            advance(member, end);
            pump(member);
            return;
        }
        int failed = failures.merge(member, 1, Integer::sum);
        long delayNs = retryDelayNs(failed);
        if (failed == BACKOFF_DOUBLINGS + 1) {
            log.warn("Forwarding log [{}] to [{}] failed [{}] times in a row ({}); trying again every [{}] ms until "
                    + "it answers", logId, member, failed, outcome, delayNs / 1_000_000);
        }
        waitingToRetry.add(member);
        scheduler.schedule(delayNs, () -> {
            if (waitingToRetry.remove(member)) {
                pump(member);
            }
        });
    }

    /**
     * The pause before forwarding again after {@code failed} failed forwards in a row: the retry policy's max delay,
     * doubled per failure up to {@value #BACKOFF_DOUBLINGS} times (32 s with the default policy).
     */
    private long retryDelayNs(int failed) {
        return node.settings().retryPolicy().maxDelay().toNanos() << Math.min(failed - 1, BACKOFF_DOUBLINGS);
    }
}
