package dev.chainkit.examples.live;

import dev.chainkit.sim.fault.FaultDecision;
import dev.chainkit.sim.fault.MessageInfo;
import dev.chainkit.sim.fault.NetworkFaults;
import dev.chainkit.transport.netty.proxy.FrameInfo;
import dev.chainkit.transport.netty.proxy.FramePolicy;
import dev.chainkit.transport.netty.proxy.FrameVerdict;
import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The simulator's fault rules as a fault proxy's {@link FramePolicy}: every envelope frame is described as the
 * fault logic sees a message ({@link MessageInfo}: sender, receiver, protocol, kind, size) and put to the run's
 * shared {@link NetworkFaults} (random loss, duplication and latency from the scenario's {@code network} line,
 * targeted rules, calm), whose {@link FaultDecision} becomes the frame's verdict: dropped, or passed on as one or
 * more copies, each after its delay. Nothing of the rules is decided here; they are the simulator's, line for line.
 *
 * <p>A copy the decision holds for {@link FaultDecision#NEVER} is not passed on. Each decision is recorded in the
 * run's {@link NetworkTally}.
 *
 * <p>Thread safety: called on its proxy's thread only (the random source is this proxy's own); the faults and the
 * tally are shared and thread-safe.
 */
final class FaultsPolicy implements FramePolicy {

    private final NetworkFaults faults;
    private final RandomGenerator random;
    private final NetworkTally tally;

    /**
     * @param faults the run's faults, shared by every proxy
     * @param random this proxy's random source (seeded from the scenario's seed)
     * @param tally where decisions are counted
     */
    FaultsPolicy(NetworkFaults faults, RandomGenerator random, NetworkTally tally) {
        this.faults = Objects.requireNonNull(faults, "faults");
        this.random = Objects.requireNonNull(random, "random");
        this.tally = Objects.requireNonNull(tally, "tally");
    }

    @Override
    public FrameVerdict decide(FrameInfo frame, long nowNs) {
        FaultDecision d = faults.decide(new MessageInfo(frame.sender(), frame.receiver(), frame.protocol(),
                frame.messageKind(), frame.sizeBytes()), nowNs, random);
        tally.record(frame.messageKind(), d, nowNs);
        return verdict(d);
    }

    /** The verdict that carries a decision out: its copies that arrive at all, each after its delay. */
    static FrameVerdict verdict(FaultDecision d) {
        long[] delays = new long[d.copies()];
        int n = 0;
        for (int i = 0; i < delays.length; i++) {
            if (d.delayNs(i) != FaultDecision.NEVER) {
                delays[n++] = d.delayNs(i);
            }
        }
        return n == 0 ? FrameVerdict.drop() : FrameVerdict.copies(Arrays.copyOf(delays, n));
    }
}
