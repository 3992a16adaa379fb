package dev.chainkit.sim.internal;

import dev.chainkit.core.ChainEvent;
import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainListener;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.time.Cancellable;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.sim.DropReason;
import dev.chainkit.sim.NetworkCounters;
import dev.chainkit.sim.NodeFactory;
import dev.chainkit.sim.RunResult;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Trace;
import dev.chainkit.sim.TraceEvent;
import dev.chainkit.sim.fault.Durations;
import dev.chainkit.sim.fault.FaultDecision;
import dev.chainkit.sim.fault.FaultRule;
import dev.chainkit.sim.fault.MessageInfo;
import dev.chainkit.sim.fault.NetworkConfig;
import dev.chainkit.sim.fault.NetworkFaults;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery behind {@code dev.chainkit.sim.Simulation}: the event queue, the nodes and their incarnations, the
 * network (which carries out the decisions of its {@link NetworkFaults}), the counters and the trace. The facade
 * documents the behaviour; this class implements it, and knows nothing of the facade (its hooks are plain
 * {@link Runnable}s). Not API.
 *
 * <p>With a manual network ({@code Simulation.Builder.manualNetwork}), every message a live node sends is counted,
 * traced and handed to the caller instead of the fault model, and the caller delivers, loses or duplicates it
 * later ({@link #deliverHeld}, {@link #dropHeld}, {@link #duplicatedHeld}): how the explorer enumerates the
 * network's choices.
 *
 * <p>Thread safety: not thread-safe; confined to one thread.
 */
public final class SimCore {

    /** The facade's logger: users configure {@code dev.chainkit.sim.Simulation}. */
    private static final Logger log = LoggerFactory.getLogger("dev.chainkit.sim.Simulation");

    private final long seed;
    private final NodeSettings settings;
    private final ChainListener listener;
    private final boolean tracing;
    private final EventQueue queue = new EventQueue();
    private final NetworkFaults faults;
    /** The network's random draws, in the order messages are sent. */
    private final SplittableRandom networkRandom;
    private final KindCounters counters = new KindCounters();
    private final List<TraceEvent> trace = new ArrayList<>();
    private final List<NodeSlot<?>> nodes = new ArrayList<>();
    private final Map<NodeId, NodeSlot<?>> byId = new HashMap<>();
    private final List<Runnable> hooks = new ArrayList<>();
    private final List<BooleanSupplier> quietConditions = new ArrayList<>();
    /** Where sent messages go instead of the fault model; null for the simulated network. */
    private final Consumer<Envelope> manualNetwork;
    private long inTransit;
    private int scriptedPending;
    private int appTimersPending;
    private long eventCount;

    /**
     * @param seed the run's seed
     * @param network the random faults of every link
     * @param settings every node's engine settings
     * @param listener receives every chain event of every node, or {@link ChainListener#NONE}
     * @param tracing whether to record a {@link Trace}
     * @param manualNetwork where sent messages go instead of the fault model, or null
     */
    public SimCore(long seed, NetworkConfig network, NodeSettings settings, ChainListener listener, boolean tracing,
            Consumer<Envelope> manualNetwork) {
        this.seed = seed;
        this.settings = settings;
        this.listener = listener;
        this.tracing = tracing;
        this.manualNetwork = manualNetwork;
        this.faults = new NetworkFaults(network);
        this.networkRandom = new SplittableRandom(Seeding.derive(seed, Seeding.NETWORK));
    }

    public long seed() {
        return seed;
    }

    public NodeSettings settings() {
        return settings;
    }

    public NanoClock clock() {
        return queue;
    }

    public long nowNs() {
        return queue.nanoTime();
    }

    public NetworkConfig network() {
        return faults.config();
    }

    public long eventCount() {
        return eventCount;
    }

    /** The due time of the next event that will run (a timer or a scripted action), or {@code Long.MAX_VALUE}. */
    public long nextEventNs() {
        SimEvent next = queue.peek();
        return next == null ? Long.MAX_VALUE : next.atNs();
    }

    /**
     * Every live timer not yet run, in the order they will run (due time, then the order they were set).
     *
     * @param each told each timer's node, its incarnation, due time in nanoseconds, task, and whether it is an
     *     application timer
     */
    public void forEachPendingTimer(PendingTimerVisitor each) {
        for (Timer t : pendingTimers()) {
            each.visit(t.inc.slot.id(), t.inc.incarnation(), t.atNs, t.task, t.app);
        }
    }

    /**
     * Runs the timer at {@code index} of {@link #forEachPendingTimer}'s order, which must be due at the next event's
     * time: one of the timers due at that instant, whichever was set first. What lets the explorer choose the order
     * of timers due together, which the order they were set in decides otherwise.
     *
     * @throws IllegalArgumentException if there is no such timer, or it is not due first
     */
    public void stepTimer(int index) {
        List<Timer> pending = pendingTimers();
        long next = nextEventNs();
        if (index < 0 || index >= pending.size() || pending.get(index).atNs != next) {
            throw new IllegalArgumentException("no timer " + index + " is due next (at " + next + " ns); timers due: "
                    + pending.stream().filter(t -> t.atNs == next).count());
        }
        Timer t = pending.get(index);
        queue.advanceTo(next);
        if (t.fire()) {
            ran();
        }
    }

    /** Every live timer not yet run, in the order they will run (due time, then the order they were set). */
    private List<Timer> pendingTimers() {
        List<Timer> pending = new ArrayList<>();
        queue.forEach(ev -> {
            if (ev instanceof Timer t && t.inc.alive) {
                pending.add(t);
            }
        });
        pending.sort((a, b) -> a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.seq, b.seq));
        return pending;
    }

    /** Told about one pending timer by {@link #forEachPendingTimer}. */
    @FunctionalInterface
    public interface PendingTimerVisitor {
        /** One timer of {@code node}'s incarnation {@code incarnation}, due at {@code dueNs}. */
        void visit(NodeId node, long incarnation, long dueNs, Runnable task, boolean application);
    }

    // ---------------------------------------------------------------- nodes

    public <A> SimNode<A> addNode(String name, NodeFactory<A> factory) {
        Objects.requireNonNull(factory, "factory");
        NodeId id = NodeId.of(name);
        if (byId.containsKey(id)) {
            throw new IllegalArgumentException("node '" + name + "' already exists; node names must be unique");
        }
        NodeSlot<A> slot = new NodeSlot<>(id, factory);
        nodes.add(slot);
        byId.put(id, slot);
        slot.start(this);
        log.debug("Started node [{}] incarnation [1] at [{}] ns", id, nowNs());
        return slot;
    }

    public SimNode<?> node(NodeId id) {
        return require(id, "node");
    }

    public List<SimNode<?>> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public List<NodeId> nodeIds() {
        return nodes.stream().map(SimNode::id).collect(Collectors.toUnmodifiableList());
    }

    public void crash(NodeId id) {
        NodeSlot<?> slot = require(id, "crash");
        Incarnation inc = slot.current;
        if (inc == null) {
            throw new IllegalStateException("cannot crash node " + id + ": it is already down");
        }
        inc.alive = false;
        appTimersPending -= inc.pendingAppTimers;
        queue.forEach(ev -> { // a crashed incarnation's timers never run: out of the queue with them
            if (ev instanceof Timer t && t.inc == inc) {
                ev.cancelled = true;
            }
        });
        slot.stop();
        recordNode(TraceEvent.Type.CRASHED, id, "incarnation " + inc.incarnation());
        log.info("Crashed node [{}] incarnation [{}] at [{}] ns", id, inc.incarnation(), nowNs());
    }

    public void restart(NodeId id) {
        NodeSlot<?> slot = require(id, "restart");
        if (slot.isUp()) {
            throw new IllegalStateException("cannot restart node " + id + ": it is up; crash it first");
        }
        slot.start(this);
        recordNode(TraceEvent.Type.RESTARTED, id, "incarnation " + slot.incarnation());
        log.info("Restarted node [{}] as incarnation [{}] at [{}] ns", id, slot.incarnation(), nowNs());
    }

    // ---------------------------------------------------------------- faults

    public void partition(Set<NodeId> left, Set<NodeId> right) {
        Objects.requireNonNull(left, "left").forEach(n -> require(n, "partition"));
        Objects.requireNonNull(right, "right").forEach(n -> require(n, "partition"));
        faults.partition(left, right);
        String groups = group(left) + " | " + group(right);
        recordNetwork(TraceEvent.Type.PARTITIONED, groups);
        log.debug("Partitioned [{}] at [{}] ns", groups, nowNs());
    }

    public void heal() {
        faults.heal();
        recordNetwork(TraceEvent.Type.HEALED, "");
        log.debug("Healed all partitions at [{}] ns", nowNs());
    }

    public void addRule(FaultRule rule) {
        Objects.requireNonNull(rule, "rule");
        for (NodeId n : List.of(rule.from(), rule.to())) {
            if (!byId.containsKey(n)) {
                throw new IllegalArgumentException("rule '" + rule + "' names unknown node '" + n + "'; nodes are "
                        + nodeIds());
            }
        }
        faults.addRule(rule);
        recordNetwork(TraceEvent.Type.RULE_ADDED, rule.toString());
    }

    public void calm() {
        if (!faults.isCalm()) {
            faults.calm();
            recordNetwork(TraceEvent.Type.CALM, "");
        }
    }

    public boolean isCalm() {
        return faults.isCalm();
    }

    // ---------------------------------------------------------------- scripting and observers

    public void at(long atNs, String description, Runnable action) {
        Objects.requireNonNull(action, "action");
        if (atNs < 0) {
            throw new IllegalArgumentException("action time must be 0 or more nanoseconds, got " + atNs);
        }
        scriptedPending++;
        queue.add(new Scripted(description, action), atNs);
    }

    public void afterEachEvent(Runnable hook) {
        hooks.add(Objects.requireNonNull(hook, "hook"));
    }

    public void quietWhen(BooleanSupplier condition) {
        quietConditions.add(Objects.requireNonNull(condition, "condition"));
    }

    // ---------------------------------------------------------------- running

    public boolean step() {
        return runOne(Long.MAX_VALUE);
    }

    public void runFor(long durationNs) {
        long target = deadline(durationNs);
        while (runOne(target)) {
            // keep going
        }
        queue.advanceTo(target);
    }

    public boolean runUntil(BooleanSupplier done, long limitNs) {
        Objects.requireNonNull(done, "done");
        long target = deadline(limitNs);
        while (!done.getAsBoolean()) {
            if (!runOne(target)) {
                queue.advanceTo(target);
                return done.getAsBoolean();
            }
        }
        return true;
    }

    public RunResult runUntilQuiet(long limitNs) {
        long target = deadline(limitNs);
        while (!isQuiet()) {
            if (!runOne(target)) {
                queue.advanceTo(target);
                boolean quiet = isQuiet();
                return new RunResult(quiet, nowNs(), quiet ? "" : pending());
            }
        }
        return new RunResult(true, nowNs(), "");
    }

    public boolean isQuiet() {
        if (scriptedPending != 0 || inTransit != 0 || appTimersPending != 0) {
            return false;
        }
        for (NodeSlot<?> n : nodes) {
            Incarnation inc = n.current;
            if (inc != null && inc.node().hasInitiatorChains()) {
                return false;
            }
        }
        for (BooleanSupplier q : quietConditions) {
            if (!q.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    public String pending() {
        List<String> parts = new ArrayList<>();
        if (scriptedPending != 0) {
            parts.add(scriptedPending + " scripted action(s) to run");
        }
        if (inTransit != 0) {
            parts.add(inTransit + " message(s) in transit");
        }
        if (appTimersPending != 0) {
            parts.add(appTimersPending + " application timer(s) pending");
        }
        List<NodeId> holding = new ArrayList<>();
        for (NodeSlot<?> n : nodes) {
            if (n.current != null && n.current.node().hasInitiatorChains()) {
                holding.add(n.id());
            }
        }
        if (!holding.isEmpty()) {
            parts.add("chains in flight on " + holding);
        }
        long unmet = quietConditions.stream().filter(q -> !q.getAsBoolean()).count();
        if (unmet != 0) {
            parts.add(unmet + " quiet condition(s) unmet");
        }
        return String.join(", ", parts);
    }

    private boolean runOne(long limitNs) {
        while (true) {
            SimEvent next = queue.peek();
            if (next == null || next.atNs() > limitNs) {
                return false;
            }
            queue.poll();
            if (next.fire()) {
                ran();
                return true;
            }
        }
    }

    private long deadline(long durationNs) {
        if (durationNs < 0) {
            throw new IllegalArgumentException("run limit must be 0 or more nanoseconds, got " + durationNs);
        }
        long now = nowNs();
        return durationNs > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + durationNs;
    }

    // ---------------------------------------------------------------- results

    public Trace trace() {
        return tracing ? Trace.of(nodeIds(), trace) : Trace.empty();
    }

    public NetworkCounters counters() {
        return counters.snapshot();
    }

    // ---------------------------------------------------------------- the network (called by incarnations)

    void send(Incarnation from, Envelope e) {
        boolean retransmission = from.retransmitting;
        from.retransmitting = false;
        int kind = counters.kindOf(e);
        if (!from.alive) {
            counters.dropped[kind]++;
            recordMessage(TraceEvent.Type.DROPPED, e, kind, DropReason.NODE_DOWN.label());
            return;
        }
        counters.sent[kind]++;
        if (tracing) {
            recordMessage(TraceEvent.Type.SENT, e, kind, retransmission ? "retransmission" : "");
        }
        NodeSlot<?> to = byId.get(e.receiver());
        if (to == null) {
            drop(e, kind, DropReason.UNKNOWN_NODE);
            return;
        }
        if (manualNetwork != null) {
            manualNetwork.accept(e);
            return;
        }
        long now = nowNs();
        FaultDecision d = faults.decide(new MessageInfo(e.sender(), e.receiver(), e.protocol(), counters.name(kind),
                MessageInfo.UNKNOWN_SIZE), now, networkRandom);
        if (d.ruleDuplicated()) {
            counters.duplicated[kind]++;
            recordMessage(TraceEvent.Type.DUPLICATED, e, kind, "rule");
        }
        if (d.ruleDelayNs() > 0) {
            recordMessage(TraceEvent.Type.DELAYED, e, kind, "by " + Durations.format(d.ruleDelayNs()));
        }
        switch (d.drop()) {
            case PARTITION -> drop(e, kind, DropReason.PARTITION);
            case RULE -> drop(e, kind, DropReason.RULE);
            case LOSS -> drop(e, kind, DropReason.LOSS);
            case NONE -> {
                if (d.randomDuplicated()) {
                    counters.duplicated[kind]++;
                    recordMessage(TraceEvent.Type.DUPLICATED, e, kind, "random");
                }
                for (int c = 0, copies = d.copies(); c < copies; c++) {
                    inTransit++;
                    queue.add(new Delivery(to, e, kind, c > 0, retransmission), d.dueNs(c));
                }
            }
        }
    }

    Cancellable schedule(Incarnation inc, long delayNs, Runnable task, boolean app) {
        Objects.requireNonNull(task, "task");
        if (delayNs < 0) {
            throw new IllegalArgumentException("timer delay must be 0 or more nanoseconds, got " + delayNs);
        }
        Timer t = new Timer(inc, task, app);
        if (inc.alive && app) {
            inc.pendingAppTimers++;
            appTimersPending++;
        }
        queue.add(t, deadline(delayNs));
        return t;
    }

    void onChainEvent(Incarnation inc, ChainEvent event) {
        if (event.type() == ChainEventType.RETRANSMITTED) {
            inc.retransmitting = true;
            counters.retransmitted[counters.indexOf(event.detail())]++;
        }
        if (listener != ChainListener.NONE) {
            listener.onEvent(event);
        }
    }

    private void deliver(Delivery d) {
        inTransit--;
        deliver(d.to, d.envelope, d.kind, d.copy ? "duplicate" : d.retransmission ? "retransmission" : "");
    }

    private void deliver(NodeSlot<?> to, Envelope e, int kind, String detail) {
        Incarnation inc = to.current;
        if (inc == null) {
            drop(e, kind, DropReason.NODE_DOWN);
            return;
        }
        counters.delivered[kind]++;
        if (tracing) {
            recordMessage(TraceEvent.Type.DELIVERED, e, kind, detail);
        }
        inc.node().onEnvelope(e);
    }

    // ---------------------------------------------------------------- the manual network

    /**
     * Delivers a message the manual network held to its receiver now (dropped if the receiver is down), as one
     * event: counted, traced, and followed by the hooks.
     *
     * @param e a message a node sent
     * @param copy whether it is a copy the network made (the trace says so)
     */
    public void deliverHeld(Envelope e, boolean copy) {
        requireManual();
        deliver(require(e.receiver(), "deliver"), e, counters.kindOf(e), copy ? "duplicate" : "");
        ran();
    }

    /** Counts an event that ran and runs the hooks that follow every event. */
    private void ran() {
        eventCount++;
        for (int i = 0; i < hooks.size(); i++) {
            hooks.get(i).run();
        }
    }

    /** Counts and traces a message the manual network lost. */
    public void dropHeld(Envelope e, DropReason reason) {
        requireManual();
        drop(e, counters.kindOf(e), Objects.requireNonNull(reason, "reason"));
    }

    /** Counts and traces a copy the manual network made of a message. */
    public void duplicatedHeld(Envelope e) {
        requireManual();
        int kind = counters.kindOf(e);
        counters.duplicated[kind]++;
        recordMessage(TraceEvent.Type.DUPLICATED, e, kind, "network");
    }

    private void requireManual() {
        if (manualNetwork == null) {
            throw new IllegalStateException("this simulation has no manual network: its messages are delivered by"
                    + " the simulated network");
        }
    }

    private void drop(Envelope e, int kind, DropReason reason) {
        counters.dropped[kind]++;
        recordMessage(TraceEvent.Type.DROPPED, e, kind, reason.label());
        if (log.isTraceEnabled()) {
            log.trace("Dropped [{}] of chain [{}]: {}", e, e.chainId(), reason.label());
        }
    }

    // ---------------------------------------------------------------- trace

    private void recordMessage(TraceEvent.Type type, Envelope e, int kind, String detail) {
        if (tracing) {
            trace.add(new TraceEvent(nowNs(), type, e.sender(), e.receiver(), counters.name(kind), e.chainId(),
                    e.step(), detail));
        }
    }

    private void recordNode(TraceEvent.Type type, NodeId node, String detail) {
        if (tracing) {
            trace.add(new TraceEvent(nowNs(), type, node, null, null, null, -1, detail));
        }
    }

    private void recordNetwork(TraceEvent.Type type, String detail) {
        if (tracing) {
            trace.add(new TraceEvent(nowNs(), type, null, null, null, null, -1, detail));
        }
    }

    private NodeSlot<?> require(NodeId id, String what) {
        Objects.requireNonNull(id, "node id");
        NodeSlot<?> slot = byId.get(id);
        if (slot == null) {
            throw new IllegalArgumentException(what + ": unknown node '" + id + "'; nodes are " + nodeIds());
        }
        return slot;
    }

    private static String group(Set<NodeId> nodes) {
        return new TreeSet<>(nodes).stream().map(NodeId::name).collect(Collectors.joining(","));
    }

    // ---------------------------------------------------------------- events

    private final class Delivery extends SimEvent {
        final NodeSlot<?> to;
        final Envelope envelope;
        final int kind;
        final boolean copy;
        /** Whether the send was a retransmission (the trace marks its delivery so). */
        final boolean retransmission;

        Delivery(NodeSlot<?> to, Envelope envelope, int kind, boolean copy, boolean retransmission) {
            this.to = to;
            this.envelope = envelope;
            this.kind = kind;
            this.copy = copy;
            this.retransmission = retransmission;
        }

        @Override
        protected boolean fire() {
            deliver(this);
            return true;
        }
    }

    private final class Timer extends SimEvent implements Cancellable {
        final Incarnation inc;
        final Runnable task;
        final boolean app;

        Timer(Incarnation inc, Runnable task, boolean app) {
            this.inc = inc;
            this.task = task;
            this.app = app;
        }

        @Override
        protected boolean fire() {
            if (!inc.alive) {
                return false;
            }
            cancelled = true; // a later cancel() is a no-op
            if (app) {
                inc.pendingAppTimers--;
                appTimersPending--;
            }
            recordNode(TraceEvent.Type.TIMER, inc.slot.id(), app ? "app" : "");
            task.run();
            return true;
        }

        @Override
        public void cancel() {
            if (cancelled) {
                return;
            }
            cancelled = true;
            if (app && inc.alive) {
                inc.pendingAppTimers--;
                appTimersPending--;
            }
        }
    }

    private final class Scripted extends SimEvent {
        final String description;
        final Runnable action;

        Scripted(String description, Runnable action) {
            this.description = description;
            this.action = action;
        }

        @Override
        protected boolean fire() {
            scriptedPending--;
            if (description != null) {
                recordNetwork(TraceEvent.Type.ACTION, description);
            }
            action.run();
            return true;
        }
    }
}
