package dev.chainkit.sim.fault;

import dev.chainkit.core.Envelope;
import dev.chainkit.core.spi.Transport;
import dev.chainkit.core.time.NanoClock;
import dev.chainkit.core.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * A {@link Transport} that injects a network's faults in front of another one: each envelope is put to
 * {@link NetworkFaults#decide} and then dropped, or handed to the inner transport once per copy, at once or after
 * its delay on the node's {@link Scheduler}. It wraps any transport (the threaded network's, a network transport, a
 * test's), so a protocol meets the simulator's faults outside the simulator too. One instance serves one node.
 *
 * <p>A copy whose delay is {@link FaultDecision#NEVER} is never handed over (nothing is scheduled for it).
 *
 * <p>Thread safety: {@link #send} is called on the sending node's thread, as the {@link Transport} contract says;
 * it reads the clock and draws from the random source there, and the scheduler hands delayed copies to the inner
 * transport on that same thread. The {@link NetworkFaults} may be shared with the transports of nodes on other
 * threads.
 */
public final class FaultInjectingTransport implements Transport {

    private final Transport inner;
    private final NetworkFaults faults;
    private final NanoClock clock;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final BiConsumer<Envelope, FaultDecision> observer;

    private FaultInjectingTransport(Builder b) {
        this.inner = b.inner;
        this.faults = b.faults;
        this.clock = b.clock;
        this.scheduler = b.scheduler;
        this.random = b.random;
        this.observer = b.observer;
    }

    /**
     * Starts building a transport that applies {@code faults} in front of {@code inner}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(Transport inner, NetworkFaults faults) {
        return new Builder(Objects.requireNonNull(inner, "inner"), Objects.requireNonNull(faults, "faults"));
    }

    /** The faults this transport applies. */
    public NetworkFaults faults() {
        return faults;
    }

    /** Decides the envelope's fate, tells the observer, then sends each copy now or schedules it. Node's thread. */
    @Override
    public void send(Envelope envelope) {
        FaultDecision decision = faults.decide(MessageInfo.of(envelope), clock.nanoTime(), random);
        observer.accept(envelope, decision);
        for (int copy = 0, copies = decision.copies(); copy < copies; copy++) {
            long delayNs = decision.delayNs(copy);
            if (delayNs == 0) {
                inner.send(envelope);
            } else if (delayNs != FaultDecision.NEVER) {
                scheduler.schedule(delayNs, () -> inner.send(envelope));
            }
        }
    }

    @Override
    public String toString() {
        return "FaultInjectingTransport[" + faults + " -> " + inner + "]";
    }

    /** Builds a {@link FaultInjectingTransport}; clock, scheduler and random source are required. Not thread-safe. */
    public static final class Builder {
        private final Transport inner;
        private final NetworkFaults faults;
        private NanoClock clock;
        private Scheduler scheduler;
        private RandomGenerator random;
        private BiConsumer<Envelope, FaultDecision> observer = (envelope, decision) -> { };

        private Builder(Transport inner, NetworkFaults faults) {
            this.inner = inner;
            this.faults = faults;
        }

        /** The node's clock, read for each decision. @throws NullPointerException if null */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The node's scheduler, which hands delayed copies to the inner transport on the node's thread.
         *
         * @throws NullPointerException if null
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The source of the random draws, used on the node's thread only; seed it (and log the seed) to replay a
         * run.
         *
         * @throws NullPointerException if null
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Called with every envelope and its decision, on the node's thread, before any copy is sent (for counters
         * or traces); it must not block or throw. Default: nothing.
         *
         * @throws NullPointerException if null
         */
        public Builder observer(BiConsumer<Envelope, FaultDecision> observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** @throws IllegalStateException if the clock, the scheduler or the random source was not given */
        public FaultInjectingTransport build() {
            List<String> missing = new ArrayList<>();
            if (clock == null) {
                missing.add("clock");
            }
            if (scheduler == null) {
                missing.add("scheduler");
            }
            if (random == null) {
                missing.add("random");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("a fault-injecting transport needs " + String.join(", ", missing)
                        + " (the node's own, from its builder)");
            }
            return new FaultInjectingTransport(this);
        }
    }
}
