package dev.chainkit.sim.explore;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.spi.StateDigestible;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.sim.PendingTimer;
import dev.chainkit.sim.SimNode;
import dev.chainkit.sim.Simulation;
import dev.chainkit.sim.check.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One world of an exploration: a fresh simulation of the model's nodes on a manual network, the messages in flight,
 * the faults spent and the workload done, driven one {@link Choice} at a time. The explorer builds a world for each
 * path it follows (replaying the path from the start: Java objects cannot be copied, so a state is reached again by
 * running the same choices), and describes each state canonically ({@link #describe}).
 *
 * <p>Thread safety: not thread-safe; one thread.
 *
 * @param <A> the application type
 * @param <W> the workload item type
 */
final class World<A, W> {

    private static final Budget CRASHES = new Budget(Choice.Type.CRASH, null, null);

    private final ExploreModel<A, W> model;
    private final ExploreBounds bounds;
    private final Simulation sim;
    private final Cluster<A> cluster;
    private final HeldMessages net;
    private final List<String> names = new ArrayList<>();
    private final Map<String, List<W>> work = new LinkedHashMap<>();
    private final Map<String, Integer> done = new HashMap<>();
    private final CodecRegistry codecs;
    private final long lifetimeNs;
    /** The faults spent so far, by budget ({@link #budget}). */
    private final Map<Budget, Integer> spent = new HashMap<>();

    /**
     * @param codecs the codecs that describe messages ({@link ExploreModel#codecs()} of {@code template}, asked once
     *     per exploration)
     */
    World(ExploreModel<A, W> template, ExploreBounds bounds, CodecRegistry codecs, boolean tracing) {
        this.model = template.fresh();
        this.bounds = bounds;
        this.codecs = codecs;
        this.lifetimeNs = bounds.messageLifetime().map(Duration::toNanos).orElse(model.settings().dedupWindowNs());
        this.net = new HeldMessages(bounds.network());
        this.sim = Simulation.builder().seed(1).settings(model.settings()).listener(model.listener())
                .tracing(tracing).manualNetwork(net).build();
        net.attach(sim);
        List<SimNode<A>> nodes = model.start(sim);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("the model has no nodes: give them in nodes() or start()");
        }
        for (SimNode<A> n : nodes) {
            names.add(n.id().name());
            work.put(n.id().name(), new ArrayList<>());
            done.put(n.id().name(), 0);
        }
        this.cluster = new Cluster<>(sim, nodes);
        for (W w : model.workload()) {
            List<W> mine = work.get(model.actor(w));
            if (mine == null) {
                throw new IllegalArgumentException("work item " + model.describe(w) + " is for node '"
                        + model.actor(w) + "', which is not a node of the model; nodes are " + names);
            }
            mine.add(w);
        }
    }

    Simulation simulation() {
        return sim;
    }

    ExploreModel<A, W> model() {
        return model;
    }

    /** Whether the state is terminal: the workload done, nothing in flight, the simulation quiet. */
    boolean terminal() {
        return net.isEmpty() && sim.isQuiet() && workLeft() == 0;
    }

    /** How many work items are left, over all nodes. */
    private int workLeft() {
        int left = 0;
        for (String n : names) {
            left += work.get(n).size() - done.get(n);
        }
        return left;
    }

    /** What is still pending, for a stuck state's report. */
    String pending() {
        List<String> parts = new ArrayList<>();
        if (!net.isEmpty()) {
            parts.add(net.inFlight().size() + " message(s) in flight");
        }
        if (!sim.isQuiet()) {
            parts.add(sim.pending());
        }
        return String.join(", ", parts);
    }

    /**
     * The choices of this state, in a fixed order, each with a text unique in the state. A terminal state offers
     * crashes, and the timers due now.
     */
    List<Choice> choices() {
        List<Choice> out = new ArrayList<>();
        boolean terminal = terminal();
        if (!terminal) {
            for (String n : names) {
                int d = done.get(n);
                if (d < work.get(n).size()) {
                    out.add(work(n, n + ": " + model.describe(work.get(n).get(d))));
                }
            }
            List<Envelope> inFlight = net.inFlight();
            for (int i : net.movable()) {
                String what = HeldMessages.describe(inFlight.get(i));
                out.add(onMessage(Choice.Type.DELIVER, i, "deliver " + what));
                if (bounds.network() == NetworkModel.DATAGRAM) {
                    Choice loss = onMessage(Choice.Type.LOSE, i, "lose " + what);
                    if (left(loss.budget(), bounds.losses())) {
                        out.add(loss);
                    }
                    Choice copy = onMessage(Choice.Type.DUPLICATE, i, "duplicate " + what);
                    if (left(copy.budget(), bounds.duplicates())) {
                        out.add(copy);
                    }
                }
            }
            if (bounds.network() == NetworkModel.FIFO) {
                for (int a = 0; a < names.size(); a++) {
                    for (int b = a + 1; b < names.size(); b++) {
                        Choice drop = disconnect(names.get(a), names.get(b), "disconnect " + names.get(a) + " "
                                + names.get(b));
                        if (left(drop.budget(), bounds.losses()) && carries(names.get(a), names.get(b), inFlight)) {
                            out.add(drop);
                        }
                    }
                }
            }
        }
        timers(out, terminal);
        if (left(CRASHES, bounds.crashes())) {
            for (String n : names) {
                out.add(crash(n, "crash " + n));
            }
        }
        return unique(out);
    }

    /** {@code node} does its next work item. */
    private static Choice work(String node, String text) {
        return new Choice(Choice.Type.WORK, text, node, null, -1, null, null);
    }

    /**
     * The network delivers ({@link Choice.Type#DELIVER}, which changes the receiver), loses or copies (which spend
     * their budget) the message at {@code index} of those in flight.
     */
    private Choice onMessage(Choice.Type type, int index, String text) {
        Envelope e = net.get(index);
        boolean deliver = type == Choice.Type.DELIVER;
        return new Choice(type, text, deliver ? e.receiver().name() : null, e, index, null,
                deliver ? null : budget(type, e.sender().name(), e.receiver().name()));
    }

    /** The link between {@code a} and {@code b} drops (FIFO), spending a loss. */
    private Choice disconnect(String a, String b, String text) {
        return new Choice(Choice.Type.DISCONNECT, text, null, null, -1, new String[] {a, b},
                budget(Choice.Type.LOSE, a, b));
    }

    /** {@code node} crashes (under FIFO dropping its links) and restarts. */
    private Choice crash(String node, String text) {
        return new Choice(Choice.Type.CRASH, text, node, null, -1,
                bounds.network() == NetworkModel.FIFO ? new String[] {node, node} : null, CRASHES);
    }

    /** The timer at {@code index} of the pending ones, set by {@code node}; or (-1, null) the next event. */
    private static Choice timer(Choice.Type type, int index, String node, String text) {
        return new Choice(type, text, node, null, index, null, null);
    }

    /**
     * Adds the timer choices: each timer due next, when no message in flight holds the clock back; in a terminal
     * state only those due now (what is left of the instant the run ended in: firing them is no behaviour of the
     * run, but a delivery that ends a run must not disable a timer due now, see {@link Choice.Type#TIMER_NOW}).
     */
    private void timers(List<Choice> out, boolean terminal) {
        long next = sim.nextEventNs();
        long oldest = net.oldestSentAtNs();
        long now = sim.nowNs();
        if (next == Long.MAX_VALUE || oldest != Long.MAX_VALUE && next - oldest > lifetimeNs
                || terminal && next != now) {
            return;
        }
        List<PendingTimer> timers = sim.pendingTimers();
        int due = 0;
        while (due < timers.size() && timers.get(due).dueNs() == next) {
            due++;
        }
        Map<String, Integer> perNode = new HashMap<>();
        for (int k = 0; k < due; k++) {
            perNode.merge(timers.get(k).node().name(), 1, Integer::sum);
        }
        for (int k = 0; k < due; k++) {
            String who = timers.get(k).node().name();
            Choice.Type type = next == now && perNode.get(who) == 1 ? Choice.Type.TIMER_NOW : Choice.Type.TIMER;
            out.add(timer(type, k, who, "timer " + who));
        }
        if (due == 0) { // the next event is no node's timer (a scripted action): it runs as it comes
            out.add(timer(Choice.Type.TIMER, -1, null, "timer"));
        }
    }

    /**
     * The choices the search makes in this state: {@link #choices()}, but with late faults
     * ({@link ExploreBounds#lateFaults()}, datagrams) a copy only as it is delivered ({@link Choice#delivered()}),
     * and losses only together: of every message that holds the clock back ({@link Choice.Type#LOSE_BLOCKING}), or
     * of every message in flight when nothing else is due ({@link Choice.Type#LOSE_IN_FLIGHT}), where the bounds
     * allow all of them. {@link Explorer}'s notes say why the nodes lose no behaviour that way.
     */
    List<Choice> searchChoices() {
        List<Choice> all = choices();
        if (!bounds.lateFaults() || bounds.network() != NetworkModel.DATAGRAM) {
            return all;
        }
        List<Choice> out = new ArrayList<>(all.size());
        for (Choice c : all) {
            if (c.type() == Choice.Type.DUPLICATE) {
                out.add(c.delivered());
            } else if (c.type() != Choice.Type.LOSE) {
                out.add(c);
            }
        }
        if (net.isEmpty()) {
            return out;
        }
        long next = sim.nextEventNs();
        int blocking = taken(Choice.Type.LOSE_BLOCKING);
        if (blocking > 0 && affordable(Choice.Type.LOSE_BLOCKING)) {
            out.add(new Choice(Choice.Type.LOSE_BLOCKING, "lose what holds the clock back", null, null, -1, null,
                    null));
        }
        if ((next == Long.MAX_VALUE || sim.isQuiet()) && blocking < net.size()
                && affordable(Choice.Type.LOSE_IN_FLIGHT)) {
            out.add(new Choice(Choice.Type.LOSE_IN_FLIGHT, "lose every message in flight", null, null, -1, null,
                    null));
        }
        return out;
    }

    /**
     * The code of {@code c}, a choice of this state's {@link #searchChoices()}: its type and what it takes (the
     * message's or timer's position, the node, the link), which names it among the choices of its state. A path
     * of codes replays through {@link #decode} without building the choices of every state it passes, and their
     * texts, which replaying took a sixth of the search's time doing.
     */
    int code(Choice c) {
        int arg = switch (c.type()) {
            case WORK, CRASH -> names.indexOf(c.node());
            case DELIVER, LOSE, DUPLICATE, DELIVER_COPY -> c.index();
            case TIMER, TIMER_NOW -> c.index() + 1;
            case DISCONNECT -> names.indexOf(c.link()[0]) << 8 | names.indexOf(c.link()[1]);
            case LOSE_BLOCKING, LOSE_IN_FLIGHT -> 0;
        };
        return c.type().ordinal() << 24 | arg;
    }

    /**
     * The choice {@code code} ({@link #code}) names in this state, made as {@link #searchChoices()} would offer it
     * but without its text (an empty one): for replaying a path whose lines are not wanted.
     */
    Choice decode(int code) {
        Choice.Type type = Choice.Type.values()[code >>> 24];
        int arg = code & 0xFFFFFF;
        return switch (type) {
            case WORK -> work(names.get(arg), "");
            case CRASH -> crash(names.get(arg), "");
            case DELIVER, LOSE, DUPLICATE -> onMessage(type, arg, "");
            case DELIVER_COPY -> onMessage(Choice.Type.DUPLICATE, arg, "").delivered();
            case TIMER, TIMER_NOW -> timer(type, arg - 1, arg == 0 ? null : sim.pendingTimers().get(arg - 1).node()
                    .name(), "");
            case DISCONNECT -> disconnect(names.get(arg >>> 8), names.get(arg & 0xFF), "");
            case LOSE_BLOCKING, LOSE_IN_FLIGHT -> new Choice(type, "", null, null, -1, null, null);
        };
    }

    /** How many messages in flight a loss of {@code type} takes. */
    private int taken(Choice.Type type) {
        int n = 0;
        for (int i = 0; i < net.size(); i++) {
            if (takes(type, i)) {
                n++;
            }
        }
        return n;
    }

    /** Whether the bounds allow a loss of {@code type} to take every message it takes. */
    private boolean affordable(Choice.Type type) {
        Map<Budget, Integer> needed = new HashMap<>();
        List<Envelope> inFlight = net.inFlight();
        for (int i = 0; i < inFlight.size(); i++) {
            if (takes(type, i)) {
                Envelope e = inFlight.get(i);
                Budget b = budget(Choice.Type.LOSE, e.sender().name(), e.receiver().name());
                if (needed.merge(b, 1, Integer::sum) + spent.getOrDefault(b, 0) > bounds.losses()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a loss of {@code type} takes the message at {@code index} of those in flight. */
    private boolean takes(Choice.Type type, int index) {
        if (type == Choice.Type.LOSE_IN_FLIGHT) {
            return true;
        }
        long next = sim.nextEventNs();
        return next != Long.MAX_VALUE && next - net.sentAtNs(index) > lifetimeNs;
    }

    /** The budget a loss or copy between {@code a} and {@code b} spends: the path's, or that link's. */
    private Budget budget(Choice.Type type, String a, String b) {
        if (!bounds.perLink()) {
            return new Budget(type, null, null);
        }
        return a.compareTo(b) <= 0 ? new Budget(type, a, b) : new Budget(type, b, a);
    }

    private boolean left(Budget b, int bound) {
        return spent.getOrDefault(b, 0) < bound;
    }

    private static boolean carries(String a, String b, List<Envelope> inFlight) {
        for (Envelope e : inFlight) {
            String s = e.sender().name();
            String r = e.receiver().name();
            if (s.equals(a) && r.equals(b) || s.equals(b) && r.equals(a)) {
                return true;
            }
        }
        return false;
    }

    private static List<Choice> unique(List<Choice> choices) {
        Map<String, Integer> seen = new HashMap<>();
        List<Choice> out = new ArrayList<>(choices.size());
        for (Choice c : choices) {
            int n = seen.merge(c.text(), 1, Integer::sum);
            out.add(n == 1 ? c : c.withSuffix(" #" + n));
        }
        return out;
    }

    /** Whether messages are in flight. */
    boolean inFlight() {
        return !net.isEmpty();
    }

    /**
     * Makes {@code c}, then checks the model's invariant.
     *
     * @return empty, or what went wrong: a broken invariant, or an exception a node threw
     */
    Optional<Broken> apply(Choice c) {
        return apply(c, null);
    }

    /**
     * Makes {@code c}, then checks the model's invariant; a copy delivered at once and a loss of several messages
     * (choices of {@link #searchChoices()} alone) are made as the choices of {@link #choices()} they stand for, one
     * after the other, each checked.
     *
     * @param lines gets the lines of the path that make {@code c} (its text, or its parts' texts); null when they
     *     are not wanted (a replay), which spares building every choice to find a part's text
     * @return empty, or what went wrong: a broken invariant, or an exception a node threw
     */
    Optional<Broken> apply(Choice c, List<String> lines) {
        switch (c.type()) {
            case DELIVER_COPY -> {
                Optional<Broken> b = applyPart(c, Choice.Type.DUPLICATE, lines);
                return b.isPresent() ? b : applyPart(c, Choice.Type.DELIVER, lines);
            }
            case LOSE_BLOCKING, LOSE_IN_FLIGHT -> {
                for (Optional<Choice> loss = nextLoss(c.type(), lines != null); loss.isPresent();
                        loss = nextLoss(c.type(), lines != null)) {
                    Optional<Broken> b = apply(loss.get(), lines);
                    if (b.isPresent()) {
                        return b;
                    }
                }
                return Optional.empty();
            }
            default -> {
                if (lines != null) {
                    lines.add(c.text());
                }
                return applyOne(c);
            }
        }
    }

    /**
     * Makes the choice of {@link #choices()} of {@code type} (a copy, or a delivery) that takes the message
     * {@code c} takes: found among them for its text when {@code lines} wants it (texts of equal choices are
     * numbered), else built alone as they build it.
     */
    private Optional<Broken> applyPart(Choice c, Choice.Type type, List<String> lines) {
        if (lines == null) {
            return apply(onMessage(type, c.index(), ""), null);
        }
        Choice part = choices().stream().filter(o -> o.type() == type && o.index() == c.index()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + type + " of message " + c.index() + " in "
                        + choices()));
        return apply(part, lines);
    }

    /**
     * The next loss of {@link #choices()} that a loss of {@code type} takes (of the first message in flight it
     * takes, within the bounds), or empty once it took them all; found among them when its text is wanted.
     */
    private Optional<Choice> nextLoss(Choice.Type type, boolean withText) {
        if (withText) {
            return choices().stream().filter(o -> o.type() == Choice.Type.LOSE && takes(type, o.index()))
                    .findFirst();
        }
        for (int i : net.movable()) {
            Choice loss = onMessage(Choice.Type.LOSE, i, "");
            if (takes(type, i) && left(loss.budget(), bounds.losses())) {
                return Optional.of(loss);
            }
        }
        return Optional.empty();
    }

    private Optional<Broken> applyOne(Choice c) {
        try {
            if (c.budget() != null) {
                spent.merge(c.budget(), 1, Integer::sum);
            }
            switch (c.type()) {
                case WORK -> {
                    int d = done.merge(c.node(), 1, Integer::sum) - 1;
                    model.apply(cluster, work.get(c.node()).get(d));
                }
                case DELIVER -> net.deliver(c.index());
                case LOSE -> net.lose(c.index());
                case DUPLICATE -> net.duplicate(c.index());
                case DISCONNECT -> net.disconnect(NodeId.of(c.link()[0]), NodeId.of(c.link()[1]));
                case TIMER, TIMER_NOW -> {
                    if (c.index() >= 0) {
                        sim.stepTimer(c.index());
                    } else {
                        sim.step();
                    }
                }
                case CRASH -> {
                    NodeId id = NodeId.of(c.node());
                    sim.crash(id);
                    if (bounds.network() == NetworkModel.FIFO) {
                        net.dropConnectionsOf(id);
                    }
                    sim.restart(id);
                }
            }
        } catch (RuntimeException e) {
            return Optional.of(new Broken(Violation.Kind.EXCEPTION, e.toString()));
        }
        return checkInvariant();
    }

    /** The model's invariant (after each choice, and in the initial state). */
    Optional<Broken> checkInvariant() {
        return model.invariant(cluster).map(m -> new Broken(Violation.Kind.INVARIANT, m));
    }

    /**
     * What is wrong with this state as an end, given its {@code choices}: in a terminal state, the model's terminal
     * property; in a state with no choice that is not terminal, that it is stuck; otherwise nothing.
     */
    Optional<Broken> checkEnd(List<Choice> choices) {
        if (terminal()) {
            return model.terminal(cluster).map(m -> new Broken(Violation.Kind.TERMINAL, m));
        }
        return choices.isEmpty() ? Optional.of(new Broken(Violation.Kind.STUCK, "nothing left to do but not done: "
                + pending())) : Optional.empty();
    }

    /** The choice of {@code choices} whose text is {@code text} (a line of a path), or empty. */
    static Optional<Choice> named(List<Choice> choices, String text) {
        return choices.stream().filter(c -> c.text().equals(text)).findFirst();
    }

    /** The choice of {@code choices} that makes {@code c} again (same kind, same message, node or link). */
    static Optional<Choice> match(Choice c, List<Choice> choices) {
        for (Choice o : choices) {
            if (o.type() == c.type() && (c.message() != null ? c.message().equals(o.message())
                    : c.link() != null ? Arrays.equals(c.link(), o.link()) : Objects.equals(c.node(), o.node()))) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** What broke, and how. */
    record Broken(Violation.Kind kind, String message) {
    }

    /**
     * The canonical description of this state under the renaming that gives the least one (all renamings within
     * the symmetric groups when symmetry is on), with the keys of {@code choices} under the same renaming.
     */
    Description describe(List<Choice> choices) {
        Description best = null;
        for (Map<String, String> rename : Symmetry.renamings(bounds.symmetry() ? model.symmetricNodes() : List.of(),
                names)) {
            Description d = describe(choices, rename, true);
            if (best == null || Arrays.compareUnsigned(d.bytes, best.bytes) < 0) {
                best = d;
            }
        }
        return best;
    }

    /**
     * This state's description without the history of ended chains
     * ({@link dev.chainkit.core.spi.StateSink#endedChains}) and without renaming: what a livelock that keeps opening
     * chains returns to.
     */
    byte[] describeWithoutEndedChains() {
        return describe(List.of(), Map.of(), false).bytes();
    }

    private Description describe(List<Choice> choices, Map<String, String> rename, boolean endedChains) {
        DigestSink sink = new DigestSink(sim.nowNs(), this::nextSequence, codecs, rename, endedChains);
        List<byte[]> budgets = new ArrayList<>();
        spent.forEach((b, n) -> budgets.add(sink.capture(() -> {
            sink.putInt(b.type().ordinal());
            putLink(sink, b);
            sink.putInt(n);
        })));
        sink.putSorted(budgets);
        List<byte[]> sections = new ArrayList<>();
        List<PendingTimer> timers = sim.pendingTimers();
        for (SimNode<A> n : cluster.nodes()) {
            sections.add(sink.capture(() -> {
                sink.putNode(n.id()).putInt(done.get(n.id().name())).putBoolean(n.isUp());
                ChainNode engine = n.chainNode();
                if (engine != null) {
                    engine.digest(sink);
                }
                model.digest(n, sink);
                for (PendingTimer t : timers) {
                    if (t.application() && t.node().equals(n.id())) {
                        sink.putTime(t.dueNs());
                        sink.putValue(t.task() instanceof StateDigestible ? t.task()
                                : DigestSink.className(t.task().getClass()));
                    }
                }
            }));
        }
        int nodesFrom = sink.size();
        sink.putSorted(sections);
        long[] nodes = sink.fingerprintFrom(nodesFrom);
        List<byte[]> messages = new ArrayList<>();
        List<Envelope> inFlight = net.inFlight();
        if (bounds.network() == NetworkModel.DATAGRAM) {
            for (int i = 0; i < inFlight.size(); i++) {
                int at = i;
                messages.add(sink.capture(() -> sink.putEnvelope(inFlight.get(at)).putTime(net.sentAtNs(at))));
            }
        } else {
            Map<String, List<Integer>> links = new LinkedHashMap<>();
            for (int i = 0; i < inFlight.size(); i++) {
                Envelope e = inFlight.get(i);
                links.computeIfAbsent(e.sender().name() + ">" + e.receiver().name(), k -> new ArrayList<>()).add(i);
            }
            for (List<Integer> link : links.values()) {
                messages.add(sink.capture(() -> link.forEach(i -> sink.putEnvelope(inFlight.get(i))
                        .putTime(net.sentAtNs(i)))));
            }
        }
        sink.putSorted(messages);
        long[] keys = new long[choices.size()];
        for (int i = 0; i < keys.length; i++) {
            Choice c = choices.get(i);
            byte[] k = sink.capture(() -> {
                sink.putInt(c.type().ordinal());
                if (c.message() != null) {
                    sink.putEnvelope(c.message());
                } else if (c.node() != null) {
                    sink.putNode(NodeId.of(c.node()));
                } else if (c.link() != null) {
                    sink.putString(sink.nameOf(NodeId.of(c.link()[0])) + " " + sink.nameOf(NodeId.of(c.link()[1])));
                }
            });
            keys[i] = Hash128.of(k, k.length)[0];
        }
        return new Description(sink.bytes(), keys, new Fingerprint(nodes[0], nodes[1]));
    }

    private long nextSequence(NodeId node, Long incarnation) {
        SimNode<?> n = sim.node(node);
        if (n.isUp() && n.incarnation() == incarnation) {
            return n.chainNode().chainsOpened() + 1;
        }
        return 0;
    }

    /** Writes the link of a per-link budget as its two (renamed) names in order, or two nulls for the path's. */
    private static void putLink(DigestSink sink, Budget b) {
        if (b.a() == null) {
            sink.putString(null).putString(null);
            return;
        }
        String x = sink.nameOf(NodeId.of(b.a()));
        String y = sink.nameOf(NodeId.of(b.b()));
        boolean ordered = x.compareTo(y) <= 0;
        sink.putString(ordered ? x : y).putString(ordered ? y : x);
    }

    /**
     * A fault budget: the crashes of the path, the losses or copies of the path, or those of one link (its two nodes
     * in name order) when the bounds count per link.
     */
    record Budget(Choice.Type type, String a, String b) {
    }

    /**
     * A state's canonical bytes and the keys of its choices (same order), under one renaming: a key is the 64-bit
     * hash of the choice's canonical description, which names the same choice in every state that offers it.
     *
     * @param nodes the fingerprint of the nodes' part of the description alone (no messages in flight, no faults
     *     spent): the state of the nodes, which late faults must not lose any of
     */
    record Description(byte[] bytes, long[] keys, Fingerprint nodes) {

        /** The state's fingerprint. */
        Fingerprint fingerprint() {
            long[] h = Hash128.of(bytes, bytes.length);
            return new Fingerprint(h[0], h[1]);
        }
    }

    /** A 128-bit state fingerprint. */
    record Fingerprint(long high, long low) {
    }
}
