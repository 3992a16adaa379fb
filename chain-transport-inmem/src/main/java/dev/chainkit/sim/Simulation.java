package dev.chainkit.sim;

import dev.chainkit.core.ChainListener;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.NetworkConfig;
import dev.chainkit.sim.internal.SimCore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A deterministic simulated network of chain nodes: one thread, virtual time, one event queue, one seed.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>One queue.</b> Deliveries, timers and scripted actions are events in one queue ordered by virtual time,
 *   then by the order they were queued, so events due at the same instant run first-in first-out. Nothing reads
 *   the wall clock.</li>
 *   <li><b>One seed.</b> Every random choice comes from a generator derived from the seed: the network's faults
 *   and latencies (drawn in the order messages are sent), and each node incarnation's retransmission jitter and
 *   application random source (derived from the seed, the node's name and the incarnation). The same seed and the
 *   same script give a byte-identical {@link Trace}.</li>
 *   <li><b>Faults.</b> Each message handed to the network goes through, in order: a partition (dropped), the
 *   targeted {@link FaultRule}s (drop, or duplicate and/or delay), random loss, random duplication, then one
 *   latency draw per copy. {@link #calm()} stops random loss and duplication only. The decisions are made by a
 *   {@link dev.chainkit.sim.fault.NetworkFaults}, the same fault logic a
 *   {@link dev.chainkit.sim.fault.FaultInjectingTransport} applies to any other transport; the simulator carries
 *   them out, counts and traces them. A delay too long for the clock means the copy never arrives.</li>
 *   <li><b>Crash and restart.</b> A crash discards the node's incarnation without closing it: a crashed process
 *   runs no more code, so its timers never fire, nothing more is sent, and its chains' outcome futures never
 *   complete. Only the node's {@link Durable} store survives. A restart calls the node's factory again with the
 *   next incarnation number, so peers tell the new life from the old one (the engine's incarnations).</li>
 *   <li><b>A manual network.</b> Built with {@link Builder#manualNetwork}, the simulation hands every message to
 *   the caller instead of the fault model, and the caller decides what becomes of it and when
 *   ({@link #deliver}, {@link #lose}, {@link #duplicated}): a model checker enumerates those choices, and
 *   {@link #nextEventNs()} and {@link #pendingTimers()} show it the timers it may let run. Timers and scripted
 *   actions run in time order as ever.</li>
 *   <li><b>Speed.</b> The hot path (send, deliver) allocates the delivery event and nothing else when tracing is
 *   off; counters are array increments per message kind. Property sweeps run thousands of seeds.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe. Build, script and run a simulation on one thread; node factories, handlers,
 * listeners, hooks and scripted actions all run on it.
 */
public final class Simulation {

    private final SimCore core;

    private Simulation(Builder b) {
        this.core = new SimCore(b.seed, b.network, b.settings, b.listener, b.tracing, b.manualNetwork);
    }

    /** Starts building a simulation: seed 1, a reliable network, default settings, tracing on. */
    public static Builder builder() {
        return new Builder();
    }

    /** The seed every random choice of this run derives from. */
    public long seed() {
        return core.seed();
    }

    /** The network's random faults. */
    public NetworkConfig network() {
        return core.network();
    }

    /** The virtual clock every node reads. */
    public NanoClock clock() {
        return core.clock();
    }

    /** The current virtual time in nanoseconds. */
    public long nowNs() {
        return core.nowNs();
    }

    /** The current virtual time. */
    public Duration now() {
        return Duration.ofNanos(core.nowNs());
    }

    // ---------------------------------------------------------------- nodes

    /**
     * Adds a node and starts its first incarnation at once: builds its chain engine and calls {@code factory}.
     *
     * @param name the node's name: a letter, then letters, digits, {@code _} or {@code -}
     * @param factory builds each incarnation's application; called again at every restart
     * @return the node
     * @throws IllegalArgumentException if the name is invalid or already used
     * @throws NullPointerException if an argument is null
     */
    public <A> SimNode<A> addNode(String name, NodeFactory<A> factory) {
        return core.addNode(name, factory);
    }

    /**
     * The node named {@code id}.
     *
     * @throws IllegalArgumentException if there is no such node
     */
    public SimNode<?> node(NodeId id) {
        return core.node(id);
    }

    /**
     * The node named {@code name}.
     *
     * @throws IllegalArgumentException if there is no such node
     */
    public SimNode<?> node(String name) {
        return core.node(NodeId.of(name));
    }

    /** Every node, in the order added. */
    public List<SimNode<?>> nodes() {
        return core.nodes();
    }

    /** Every node's id, in the order added. */
    public List<NodeId> nodeIds() {
        return core.nodeIds();
    }

    /**
     * Crashes a node now: its incarnation loses all volatile state (application, chains, caches, timers) and
     * sends nothing more; messages that reach it while it is down are dropped. Its {@link Durable} store stays.
     *
     * @throws IllegalArgumentException if there is no such node
     * @throws IllegalStateException if the node is already down
     */
    public void crash(NodeId id) {
        core.crash(id);
    }

    /**
     * Restarts a crashed node now as a new incarnation (the last one plus 1): builds a new chain engine and calls
     * the node's factory again.
     *
     * @throws IllegalArgumentException if there is no such node
     * @throws IllegalStateException if the node is up
     */
    public void restart(NodeId id) {
        core.restart(id);
    }

    // ---------------------------------------------------------------- faults

    /**
     * Cuts every link between the two groups, both ways, until {@link #heal()}. Messages sent across a cut are
     * dropped; messages already in transit still arrive. Partitions add up.
     *
     * @throws IllegalArgumentException if a group is empty, a node is in both, or a node is unknown
     * @throws NullPointerException if a group is null
     */
    public void partition(Set<NodeId> left, Set<NodeId> right) {
        core.partition(left, right);
    }

    /** Undoes every partition. */
    public void heal() {
        core.heal();
    }

    /**
     * Adds a targeted fault rule; it applies to messages sent from now on, retransmissions included.
     *
     * @throws IllegalArgumentException if the rule names an unknown node
     * @throws NullPointerException if {@code rule} is null
     */
    public void addRule(FaultRule rule) {
        core.addRule(rule);
    }

    /** Stops the network's random loss and duplication from now on; rules, partitions and latency stay. */
    public void calm() {
        core.calm();
    }

    /**
     * Schedules {@link #calm()} at virtual time {@code at}; until it has run the simulation is not quiet.
     *
     * @param at the virtual time, from the start of the run
     * @throws IllegalArgumentException if {@code at} is negative
     */
    public void calmAt(Duration at) {
        core.at(nanos(at, "calm time"), null, core::calm);
    }

    /** Whether random faults have stopped. */
    public boolean isCalm() {
        return core.isCalm();
    }

    // ---------------------------------------------------------------- scripting and observers

    /**
     * Schedules {@code action} at virtual time {@code at}; actions due at the same time run in the order they were
     * scheduled, and a time already past means "at the next step". Until it has run the simulation is not quiet.
     *
     * @param at the virtual time, from the start of the run
     * @throws IllegalArgumentException if {@code at} is negative
     * @throws NullPointerException if an argument is null
     */
    public void at(Duration at, Runnable action) {
        core.at(nanos(at, "action time"), null, action);
    }

    /**
     * As {@link #at(Duration, Runnable)}, with the time in nanoseconds.
     *
     * @throws IllegalArgumentException if {@code atNs} is negative
     */
    public void at(long atNs, Runnable action) {
        core.at(atNs, null, action);
    }

    /**
     * As {@link #at(Duration, Runnable)}; the trace records the action with {@code description}.
     *
     * @throws IllegalArgumentException if {@code at} is negative
     * @throws NullPointerException if an argument is null
     */
    public void at(Duration at, String description, Runnable action) {
        core.at(nanos(at, "action time"), Objects.requireNonNull(description, "description"), action);
    }

    /**
     * Calls {@code hook} after every event (a delivery, a timer, a scripted action), for instance to check
     * invariants. What the hook throws propagates out of the running method.
     *
     * @throws NullPointerException if {@code hook} is null
     */
    public void afterEachEvent(Consumer<Simulation> hook) {
        Objects.requireNonNull(hook, "hook");
        core.afterEachEvent(() -> hook.accept(this));
    }

    /**
     * Adds a condition that must also hold for the simulation to be quiet (for instance "every client's queue is
     * empty").
     *
     * @throws NullPointerException if {@code condition} is null
     */
    public void quietWhen(BooleanSupplier condition) {
        core.quietWhen(condition);
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs the next event.
     *
     * @return false when no event is left
     */
    public boolean step() {
        return core.step();
    }

    /**
     * Runs the timer at {@code index} of {@link #pendingTimers()}, one of those due at {@link #nextEventNs()}: of
     * timers due at the same instant, the one chosen rather than the one set first, as an explorer that enumerates
     * every order of them needs.
     *
     * @throws IllegalArgumentException if {@code index} names no timer, or one not due next
     */
    public void stepTimer(int index) {
        core.stepTimer(index);
    }

    /**
     * Runs every event due within {@code duration} from now, then sets the clock to now plus {@code duration}.
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void runFor(Duration duration) {
        core.runFor(nanos(duration, "run duration"));
    }

    /**
     * Runs events until {@code done} holds (checked before each event) or {@code limit} of virtual time has passed.
     *
     * @return whether {@code done} holds
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public boolean runUntil(BooleanSupplier done, Duration limit) {
        return core.runUntil(done, nanos(limit, "run limit"));
    }

    /**
     * Runs until quiet or until {@code limit} of virtual time has passed. Quiet means: every scripted action has
     * run (calm included), no message is in transit, no application timer is pending, no node holds a chain it
     * opened ({@link dev.chainkit.core.ChainNode#hasInitiatorChains()}), and every {@link #quietWhen} condition
     * holds. Pending engine housekeeping (tombstone expiry) does not count.
     *
     * @return whether quiet was reached, the virtual time, and what was pending otherwise
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public RunResult runUntilQuiet(Duration limit) {
        return core.runUntilQuiet(nanos(limit, "run limit"));
    }

    /** Whether the simulation is quiet now (see {@link #runUntilQuiet}). */
    public boolean isQuiet() {
        return core.isQuiet();
    }

    /** What keeps the simulation from being quiet, for people; empty when quiet. */
    public String pending() {
        return core.pending();
    }

    /**
     * The due time of the next event that will run (a live timer or a scripted action), in virtual nanoseconds;
     * {@code Long.MAX_VALUE} when none is left.
     */
    public long nextEventNs() {
        return core.nextEventNs();
    }

    /** Every live timer that has not run yet, in the order they will run (due time, then the order they were set). */
    public List<PendingTimer> pendingTimers() {
        List<PendingTimer> timers = new ArrayList<>();
        core.forEachPendingTimer((node, incarnation, dueNs, task, app) -> timers.add(new PendingTimer(node,
                incarnation, dueNs, task, app)));
        return timers;
    }

    // ---------------------------------------------------------------- the manual network

    /**
     * Delivers a message that a node sent through the manual network to its receiver now, as one event (counted,
     * traced, followed by the {@link #afterEachEvent} hooks); a receiver that is down drops it.
     *
     * @param envelope the message, as the manual network received it
     * @param copy whether it is a copy the network made (the trace marks its delivery so)
     * @throws IllegalStateException if this simulation has no manual network
     * @throws IllegalArgumentException if the receiver is unknown
     */
    public void deliver(Envelope envelope, boolean copy) {
        core.deliverHeld(Objects.requireNonNull(envelope, "envelope"), copy);
    }

    /**
     * Counts and traces a message the manual network lost.
     *
     * @throws IllegalStateException if this simulation has no manual network
     * @throws NullPointerException if an argument is null
     */
    public void lose(Envelope envelope, DropReason reason) {
        core.dropHeld(Objects.requireNonNull(envelope, "envelope"), reason);
    }

    /**
     * Counts and traces a copy the manual network made of a message.
     *
     * @throws IllegalStateException if this simulation has no manual network
     * @throws NullPointerException if {@code envelope} is null
     */
    public void duplicated(Envelope envelope) {
        core.duplicatedHeld(Objects.requireNonNull(envelope, "envelope"));
    }

    /** How many events have run. */
    public long eventCount() {
        return core.eventCount();
    }

    // ---------------------------------------------------------------- results

    /** A snapshot of the trace so far; {@link Trace#empty()} when tracing is off. */
    public Trace trace() {
        return core.trace();
    }

    /** A snapshot of the network's counters (kept even when tracing is off). */
    public NetworkCounters counters() {
        return core.counters();
    }

    private static long nanos(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must be 0 or more, got " + d);
        }
        return d.toNanos();
    }

    @Override
    public String toString() {
        return "Simulation[seed=" + core.seed() + ", now=" + core.nowNs() + "ns, nodes=" + core.nodeIds() + "]";
    }

    /** Builds a {@link Simulation}. Not thread-safe. */
    public static final class Builder {
        private long seed = 1;
        private NetworkConfig network = NetworkConfig.reliable();
        private NodeSettings settings = NodeSettings.defaults();
        private ChainListener listener = ChainListener.NONE;
        private boolean tracing = true;
        private Consumer<Envelope> manualNetwork;

        private Builder() {
        }

        /** The seed every random choice derives from; default 1. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The random faults of every link; default {@link NetworkConfig#reliable()}. @throws NullPointerException if null */
        public Builder network(NetworkConfig network) {
            this.network = Objects.requireNonNull(network, "network");
            return this;
        }

        /** Every node's engine settings; default {@link NodeSettings#defaults()}. @throws NullPointerException if null */
        public Builder settings(NodeSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Receives every chain event of every node, on the simulation's thread.
         *
         * @throws NullPointerException if null
         */
        public Builder listener(ChainListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Whether to record a {@link Trace}; default true. Turn it off for speed in sweeps. */
        public Builder tracing(boolean tracing) {
            this.tracing = tracing;
            return this;
        }

        /**
         * Makes the network manual: every message a live node sends to a known node is counted and traced as sent,
         * then handed to {@code network} (on the simulation's thread, from inside the sending node's event) instead
         * of the fault model; nothing reaches a receiver until the caller {@link Simulation#deliver}s it. The
         * {@link #network} setting is then unused. For model checkers that choose every delivery themselves.
         *
         * @throws NullPointerException if null
         */
        public Builder manualNetwork(Consumer<Envelope> network) {
            this.manualNetwork = Objects.requireNonNull(network, "network");
            return this;
        }

        /** A new simulation with no nodes at virtual time 0. */
        public Simulation build() {
            return new Simulation(this);
        }
    }
}
