package dev.chainkit.sim.internal;

import dev.chainkit.core.ChainEvent;
import dev.chainkit.core.ChainListener;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.spi.Transport;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.sim.Durable;
import dev.chainkit.sim.NodeContext;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One life of a simulated node, from a start to a crash: its chain engine, its transport endpoint, its guarded
 * schedulers and its random sources. Once it crashed ({@code alive == false}) its timers never run and anything
 * it still tries to send is dropped. Not API.
 *
 * <p>Thread safety: confined to the simulation's thread.
 */
final class Incarnation implements NodeContext, Transport, ChainListener {

    private final SimCore core;
    final NodeSlot<?> slot;
    private final long number;
    private final RandomGenerator appRandom;
    private final Scheduler engineScheduler;
    private final Scheduler appScheduler;
    private final ChainNode node;
    boolean alive = true;
    /** Set by a retransmission event; the engine's next send is that retransmission. */
    boolean retransmitting;
    /** Application timers scheduled and not yet run or cancelled. */
    int pendingAppTimers;

    Incarnation(SimCore core, NodeSlot<?> slot, long number) {
        this.core = core;
        this.slot = slot;
        this.number = number;
        String name = slot.id().name();
        this.appRandom = new SplittableRandom(Seeding.derive(core.seed(), Seeding.APP, name, number));
        this.engineScheduler = (delayNs, task) -> core.schedule(this, delayNs, task, false);
        this.appScheduler = (delayNs, task) -> core.schedule(this, delayNs, task, true);
        this.node = ChainNode.builder(slot.id(), number)
                .settings(core.settings())
                .transport(this)
                .clock(core.clock())
                .scheduler(engineScheduler)
                .random(new SplittableRandom(Seeding.derive(core.seed(), Seeding.ENGINE, name, number)))
                .listener(this)
                .build();
    }

    @Override
    public void send(Envelope envelope) {
        core.send(this, envelope);
    }

    @Override
    public void onEvent(ChainEvent event) {
        core.onChainEvent(this, event);
    }

    @Override
    public NodeId id() {
        return slot.id();
    }

    @Override
    public long incarnation() {
        return number;
    }

    @Override
    public ChainNode node() {
        return node;
    }

    @Override
    public NanoClock clock() {
        return core.clock();
    }

    @Override
    public Scheduler scheduler() {
        return appScheduler;
    }

    @Override
    public RandomGenerator random() {
        return appRandom;
    }

    @Override
    public Durable durable() {
        return slot.durable();
    }

    @Override
    public String toString() {
        return slot.id() + "#" + number + (alive ? "" : " (crashed)");
    }
}
