package dev.chainkit.bench.p4;

import dev.chainkit.bench.Ping;
import dev.chainkit.bench.Stats;
import dev.chainkit.core.ChainEventType;
import dev.chainkit.core.ChainId;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.NodeSettings;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.time.VirtualTime;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * P4: retained memory, measured as the difference of the heap after full collections, in this JVM, with many
 * chains held (not a JMH average of allocations). Run by {@code ./bench} in a JVM of its own.
 * <ul>
 *   <li>Per in-flight chain, initiator side: {@code N} chains opened toward a peer that never answers (the transport
 *   drops everything), so each holds its state, its outcome future, its last envelope and its retransmission timer
 *   (on {@link VirtualTime}).</li>
 *   <li>Per in-flight chain, responder side: {@code N} chains answered with a non-terminal reply, so each holds its
 *   state and its reply cache entry.</li>
 *   <li>Per tombstone: {@code N} chains answered with a terminal reply. The reply payload is a shared constant, so
 *   the figure is the engine's own cost; a protocol's terminal message adds its own size.</li>
 *   <li>Heap after {@code M} completed chains (two nodes, {@value #WINDOW} in flight, a million chains per virtual
 *   second), with their tombstones alive, and again after the tombstone lifetime, compared with the heap before.</li>
 * </ul>
 * Prints one {@code P4} line per figure. Arguments: {@code N} (default 200000), {@code M} (default 10000000),
 * repeats (default 3).
 *
 * <p>Thread safety: a main; single-threaded.
 */
public final class Memory {

    static final int WINDOW = 1024;
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");

    /** A protocol whose responder keeps the chain open: it replies with a step and waits for the next. */
    private static final Protocol<Ping> HOLD = Protocol.of("hold", Ping.class, 4);

    private Memory() { }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long m = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<Double> initiator = new ArrayList<>();
        List<Double> responder = new ArrayList<>();
        List<Double> tombstone = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            initiator.add(initiatorInFlight(n));
            responder.add(responderInFlight(n));
            tombstone.add(tombstones(n));
        }
        Stats in = Stats.of(initiator);
        Stats rs = Stats.of(responder);
        Stats tb = Stats.of(tombstone);
        System.out.printf(Locale.ROOT, "P4a in-flight 2-step chain (held at its initiator): %s B (target <= 256: %s);"
                + " a longer chain mid-conversation also holds %s B at its responder (state and reply cache);"
                + " N=%d, %d runs%n", in.format("%.0f"), in.median() <= 256 ? "met" : "MISSED", rs.format("%.0f"),
                n, repeats);
        System.out.printf(Locale.ROOT, "P4b tombstone: %s B (target <= 96: %s); N=%d, %d runs%n",
                tb.format("%.0f"), tb.median() <= 96 ? "met" : "MISSED", n, repeats);
        afterManyChains(m);
    }

    /** Bytes retained per chain opened toward a silent peer. */
    static double initiatorInFlight(int n) {
        VirtualTime time = new VirtualTime();
        ChainNode a = ChainNode.builder(A, 1).transport(e -> { }).clock(time).scheduler(time).build();
        warm(a, time);
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            a.start(Ping.PROTOCOL, B, Ping.REQUEST, Ping.initiator());
        }
        long after = usedAfterGc();
        check(a.stats().initiatorChains() == n, "chains in flight " + a.stats().initiatorChains());
        reach(a, time);
        return (after - before) / (double) n;
    }

    /** Bytes retained per chain a responder holds open with a cached non-terminal reply. */
    static double responderInFlight(int n) {
        VirtualTime time = new VirtualTime();
        ChainNode b = ChainNode.builder(B, 1).transport(e -> { }).clock(time).scheduler(time)
                .settings(NodeSettings.defaults().withMaxInFlightPerPeer(Integer.MAX_VALUE)
                        .withMaxResponderChains(Integer.MAX_VALUE)).build();
        ResponderAction<Ping> keepGoing = ResponderAction.reply(Ping.REPLY);
        b.register(HOLD, (chain, message) -> keepGoing);
        long before = usedAfterGc();
        for (int i = 1; i <= n; i++) {
            b.onEnvelope(opening(HOLD, i));
        }
        long after = usedAfterGc();
        check(b.stats().responderChains() == n, "responder chains " + b.stats().responderChains());
        reach(b, time);
        return (after - before) / (double) n;
    }

    /** Bytes retained per tombstone. */
    static double tombstones(int n) {
        VirtualTime time = new VirtualTime();
        ChainNode b = ChainNode.builder(B, 1).transport(e -> { }).clock(time).scheduler(time).build();
        b.register(Ping.PROTOCOL, Ping.RESPONDER);
        long before = usedAfterGc();
        for (int i = 1; i <= n; i++) {
            b.onEnvelope(opening(Ping.PROTOCOL, i));
        }
        long after = usedAfterGc();
        check(b.stats().tombstones() == n, "tombstones " + b.stats().tombstones());
        reach(b, time);
        return (after - before) / (double) n;
    }

    /** Heap before, after {@code m} completed chains, and after their tombstones' lifetime. */
    static void afterManyChains(long m) {
        VirtualTime time = new VirtualTime();
        ArrayDeque<Envelope> wire = new ArrayDeque<>();
        ChainNode a = ChainNode.builder(A, 1).transport(wire::add).clock(time).scheduler(time).build();
        ChainNode b = ChainNode.builder(B, 1).transport(wire::add).clock(time).scheduler(time).build();
        b.register(Ping.PROTOCOL, Ping.RESPONDER);
        Pump pump = new Pump(a, m);
        a.start(Ping.PROTOCOL, B, Ping.REQUEST, Ping.initiator()); // warm every path once, then measure settled
        deliver(wire, a, b);
        time.advanceBy(NodeSettings.defaults().dedupWindow().plusSeconds(5));
        long before = usedAfterGc();
        long startNs = System.nanoTime();
        long perMs = 1000; // chains per virtual millisecond: a million per virtual second
        for (int i = 0; i < WINDOW; i++) {
            pump.startOne();
        }
        while (pump.completed < m) {
            for (int i = 0; i < 2 * perMs; i++) {
                Envelope e = wire.poll();
                if (e == null) {
                    break;
                }
                (e.receiver().equals(A) ? a : b).onEnvelope(e);
            }
            time.advanceBy(java.time.Duration.ofMillis(1));
        }
        double seconds = (System.nanoTime() - startNs) / 1e9;
        long held = b.stats().tombstones();
        long during = usedAfterGc();
        time.advanceBy(NodeSettings.defaults().dedupWindow().plusSeconds(5));
        long afterLifetime = usedAfterGc();
        check(b.stats().tombstones() == 0, "tombstones left " + b.stats().tombstones());
        check(a.stats().count(ChainEventType.COMPLETED) == m + 1, "completed " + a.stats().count(ChainEventType.COMPLETED));
        System.out.printf(Locale.ROOT, "P4c heap: before %.1f MB, after %d chains %.1f MB (%d tombstones alive,"
                        + " %.0f B each incl. the timers' debris), after the tombstone lifetime %.1f MB: %+.2f MB"
                        + " vs before (target: back to baseline: %s); %.1f s for the chains%n",
                before / 1e6, m, during / 1e6, held, (during - before) / (double) Math.max(1, held),
                afterLifetime / 1e6, (afterLifetime - before) / 1e6,
                afterLifetime - before <= 1_000_000 ? "met" : "MISSED", seconds);
        reach(a, time);
        reach(b, time);
    }

    private static void deliver(ArrayDeque<Envelope> wire, ChainNode a, ChainNode b) {
        for (Envelope e = wire.poll(); e != null; e = wire.poll()) {
            (e.receiver().equals(A) ? a : b).onEnvelope(e);
        }
    }

    private static Envelope opening(Protocol<Ping> protocol, long sequence) {
        return new Envelope(protocol.name(), new ChainId(A, 1, sequence), 0, A, 1, B, 0, EnvelopeKind.STEP,
                Ping.REQUEST);
    }

    /** Runs a few chains through a node so that lazily made things (maps' tables, per-peer state) exist. */
    private static void warm(ChainNode a, VirtualTime time) {
        a.start(Ping.PROTOCOL, B, Ping.REQUEST, Ping.initiator());
        time.advanceBy(java.time.Duration.ofMinutes(1));
    }

    /** Keeps {@code o} reachable up to here, so that nothing measured is collected early. */
    private static void reach(Object... o) {
        if (o.hashCode() == 42) {
            System.out.print("");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("P4 measurement went wrong: " + what);
        }
    }

    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Opens a chain whenever one completes, up to a total. Single-threaded. */
    private static final class Pump implements BiConsumer<Outcome<Void>, Throwable> {
        private final ChainNode node;
        private final long total;
        private long started;
        long completed;

        Pump(ChainNode node, long chains) {
            this.node = node;
            this.total = chains;
        }

        void startOne() {
            if (started < total) {
                started++;
                node.start(Ping.PROTOCOL, B, Ping.REQUEST, Ping.initiator()).outcome().whenComplete(this);
            }
        }

        @Override
        public void accept(Outcome<Void> outcome, Throwable error) {
            completed++;
            startOne();
        }
    }
}
