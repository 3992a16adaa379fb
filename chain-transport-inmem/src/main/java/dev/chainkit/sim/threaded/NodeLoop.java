package dev.chainkit.sim.threaded;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.sim.Durable;
import dev.chainkit.sim.NodeContext;
import dev.chainkit.sim.NodeFactory;
import dev.chainkit.sim.SimNode;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a {@link ThreadedNetwork}: its thread, its mailbox and its timer wheel. The thread builds the node
 * (so the factory runs on it), then loops: drain the mailbox (envelopes go to the engine, tasks run), expire due
 * timers, and when there is nothing to do spin briefly, then yield, then park until a producer unparks it or the
 * next timer tick.
 *
 * <p>Thread safety: {@link #offer} may be called from any thread; everything else runs on the node's thread.
 * The mailbox hands over each item with a happens-before edge from producer to consumer.
 */
final class NodeLoop<A> implements Runnable, NodeContext, SimNode<A> {

    private static final Logger log = LoggerFactory.getLogger(ThreadedNetwork.class);
    /** The mailbox item that tells the loop to stop. */
    private static final Object STOP = new Object();
    private static final int BATCH = 4096;
    private static final long MAX_PARK_NS = 50_000_000L;
    private static final int MAILBOX_CHUNK = 1024;
    private static final int TIMER_SLOTS = 512;

    private final ThreadedNetwork network;
    private final NodeId id;
    private final NodeFactory<A> factory;
    private final MpscUnboundedArrayQueue<Object> mailbox;
    private final NanoClock clock = NanoClock.system();
    private final TimerWheel timers;
    private final RandomGenerator random;
    private final Durable durable = new Durable();
    private final int spinTries;
    private final int yieldTries;
    final CompletableFuture<Void> started = new CompletableFuture<>();
    final Thread thread;

    private volatile boolean parked;
    private volatile boolean stopped;
    private volatile A app;
    private ChainNode node;

    NodeLoop(ThreadedNetwork network, NodeId id, NodeFactory<A> factory, ThreadedNetwork.Builder settings) {
        this.network = network;
        this.id = id;
        this.factory = factory;
        this.mailbox = new MpscUnboundedArrayQueue<>(MAILBOX_CHUNK);
        this.timers = new TimerWheel(clock, settings.timerTickNs, TIMER_SLOTS);
        this.random = new SplittableRandom(id.name().hashCode());
        this.spinTries = settings.spinTries;
        this.yieldTries = settings.yieldTries;
        this.thread = new Thread(this, "chainkit-" + id.name());
        this.thread.setDaemon(true);
    }

    /**
     * Hands an envelope or a task to the node's thread. Any thread.
     *
     * @return false if the node has stopped (the item is not queued)
     */
    boolean offer(Object item) {
        if (stopped) {
            return false;
        }
        mailbox.offer(item);
        if (parked) {
            LockSupport.unpark(thread);
        }
        return true;
    }

    /** Asks the loop to stop after the items queued before this call. */
    void requestStop() {
        offer(STOP);
    }

    /** After the thread ended: empties the mailbox, counting each envelope left as undeliverable. */
    void discardLeftovers() {
        for (Object o = mailbox.poll(); o != null; o = mailbox.poll()) {
            if (o instanceof Envelope e) {
                network.undeliverable(e, "node " + id + " stopped");
            }
        }
    }

    @Override
    public void run() {
        try {
            node = ChainNode.builder(id, 1).settings(network.settings()).transport(network.transportFor(id))
                    .clock(clock).scheduler(timers).random(random).listener(network.listener()).build();
            app = factory.create(this);
        } catch (RuntimeException | Error e) {
            stopped = true;
            started.completeExceptionally(e);
            return;
        }
        started.complete(null);
        log.info("Node [{}] started on thread [{}]", id, thread.getName());
        int idle = 0;
        while (true) {
            int work = 0;
            for (int i = 0; i < BATCH; i++) {
                Object item = mailbox.relaxedPoll();
                if (item == null) {
                    break;
                }
                if (item == STOP) {
                    shutdown();
                    return;
                }
                dispatch(item);
                work++;
            }
            work += timers.expire(clock.nanoTime());
            if (work > 0) {
                idle = 0;
            } else {
                idle(++idle);
            }
        }
    }

    private void dispatch(Object item) {
        if (item instanceof Envelope e) {
            node.onEnvelope(e);
            return;
        }
        try {
            ((Runnable) item).run();
        } catch (RuntimeException e) {
            log.error("A task on node [{}] threw", id, e);
        }
    }

    private void idle(int idleRounds) {
        if (idleRounds <= spinTries) {
            Thread.onSpinWait();
        } else if (idleRounds <= spinTries + yieldTries) {
            Thread.yield();
        } else {
            parked = true;
            if (mailbox.isEmpty()) {
                long now = clock.nanoTime();
                LockSupport.parkNanos(this, timers.size() == 0 ? MAX_PARK_NS
                        : Math.min(MAX_PARK_NS, timers.nanosToNextTick(now)));
            }
            parked = false;
        }
    }

    private void shutdown() {
        stopped = true;
        node.close();
        app = null;
        log.info("Node [{}] stopped", id);
    }

    // ---------------------------------------------------------------- NodeContext and SimNode

    @Override
    public NodeId id() {
        return id;
    }

    @Override
    public long incarnation() {
        return 1;
    }

    @Override
    public ChainNode node() {
        return node;
    }

    @Override
    public ChainNode chainNode() {
        return node;
    }

    @Override
    public A app() {
        return app;
    }

    @Override
    public boolean isUp() {
        return !stopped;
    }

    @Override
    public NanoClock clock() {
        return clock;
    }

    @Override
    public Scheduler scheduler() {
        return timers;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public Durable durable() {
        return durable;
    }

    @Override
    public String toString() {
        return "ThreadedNode[" + id + (stopped ? " stopped" : "") + "]";
    }
}
