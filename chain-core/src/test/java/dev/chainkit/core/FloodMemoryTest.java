package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Offer;
import dev.chainkit.core.time.VirtualTime;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Memory under floods (issue 10): what a flood of openings leaves behind is bounded by the caps while it lasts, and
 * nothing is left a dedup window after it ends, whether one peer opens a million chains or a million peers open one
 * each. Retained heap is measured after full collections (several, until the figure settles); the structures left
 * are counted too.
 */
class FloodMemoryTest {

    private static final int FLOOD = 1_000_000;
    private static final long MB = 1 << 20;
    private static final Ask ASK = new Ask("pen", 1);
    private static final ResponderAction<Haggle> OFFER = ResponderAction.reply(new Offer("pen", 1));

    /** A responder whose chains stay open (it offers and waits for an accept that never comes). */
    private static final class Target {
        final VirtualTime time = new VirtualTime();
        long sent;
        final ChainNode node = ChainNode.builder(TestNetwork.B, 1).clock(time).scheduler(time)
                .transport(envelope -> sent++).build();

        Target() {
            node.register(Haggle.PROTOCOL, (chain, message) -> OFFER);
        }

        void open(NodeId from, long sequence) {
            node.onEnvelope(new Envelope("haggle", new ChainId(from, 1, sequence), 0, from, 1, TestNetwork.B, 0,
                    EnvelopeKind.STEP, ASK));
        }

        /** Lets the idle chains and then the idle peers be forgotten: two dedup windows and a bit. */
        void waitTwoWindows() {
            Duration window = node.settings().dedupWindow();
            time.advanceBy(window.multipliedBy(2).plusSeconds(1));
        }
    }

    @Test
    void oneSenderOpeningAMillionChainsLeavesOnlyTheCapWhileItLastsAndNothingAfter() {
        Target t = new Target();
        long baseline = retainedHeap();

        for (long s = 1; s <= FLOOD; s++) {
            t.open(TestNetwork.A, s);
        }
        NodeStats during = t.node.stats();
        long duringHeap = retainedHeap();
        t.waitTwoWindows();
        NodeStats after = t.node.stats();
        long afterHeap = retainedHeap();

        report("one sender, 1M chains", baseline, duringHeap, afterHeap, during);
        int cap = NodeSettings.defaults().maxInFlightPerPeer();
        assertEquals(cap, during.responderChains());
        assertEquals(FLOOD - cap, during.count(ChainEventType.BUSY));
        assertEquals(0, during.tombstones(), "a refusal keeps no tombstone");
        assertEquals(FLOOD, t.sent, "every opening was answered, offered or busy");
        assertTrue(duringHeap - baseline < 16 * MB, "while it lasts, the flood holds the cap's chains only: "
                + (duringHeap - baseline) / MB + " MB");
        assertNothingLeft(after, baseline, afterHeap);
    }

    @Test
    void aMillionSendersOpeningOneChainEachLeaveNothingAfterTheWindow() {
        Target t = new Target();
        long baseline = retainedHeap();

        for (int p = 0; p < FLOOD; p++) {
            t.open(NodeId.of("p" + p), 1);
        }
        NodeStats during = t.node.stats();
        long duringHeap = retainedHeap();
        t.waitTwoWindows();
        NodeStats after = t.node.stats();
        long afterHeap = retainedHeap();

        report("1M senders, one chain each", baseline, duringHeap, afterHeap, during);
        int cap = NodeSettings.defaults().maxResponderChains();
        assertEquals(cap, during.responderChains(), "the node-wide cap holds");
        assertEquals(FLOOD - cap, during.count(ChainEventType.BUSY));
        assertEquals(FLOOD, during.peers());
        assertNothingLeft(after, baseline, afterHeap);
    }

    private static void assertNothingLeft(NodeStats after, long baseline, long afterHeap) {
        assertEquals(0, after.responderChains());
        assertEquals(0, after.tombstones());
        assertEquals(0, after.peers(), "every peer record is freed once idle past the window");
        assertTrue(afterHeap - baseline < 2 * MB, "the heap is back to its baseline: "
                + (afterHeap - baseline) / (double) MB + " MB above it");
    }

    private static void report(String flood, long baseline, long during, long after, NodeStats stats) {
        System.out.printf(Locale.ROOT, "FloodMemoryTest %s: baseline %.1f MB, during %+.1f MB (%d chains, %d"
                        + " tombstones, %d peers), after two windows %+.2f MB%n", flood, baseline / (double) MB,
                (during - baseline) / (double) MB, stats.responderChains(), stats.tombstones(), stats.peers(),
                (after - baseline) / (double) MB);
    }

    /**
     * The heap in use after full collections: collects until two readings in a row agree within 64 KB (at most ten
     * times), and takes the smallest reading.
     */
    private static long retainedHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        long previous = -1;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            best = Math.min(best, used);
            if (previous >= 0 && Math.abs(used - previous) < 64 * 1024) {
                break;
            }
            previous = used;
        }
        return best;
    }
}
