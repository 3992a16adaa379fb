package dev.chainkit.transport.netty.proxy;

/**
 * Decides what a {@link FaultProxy} does with each envelope frame it relays. The simulator's fault rules (random
 * loss, duplication and latency, targeted rules per message kind and link) fit this shape: they decide from the
 * frame's descriptor, the time and a seeded random source, and a policy adapts them in a few lines.
 *
 * <p>Threading: called on the proxy's thread only, one frame at a time; an implementation may keep state (a seeded
 * random source, rule counts) without locking. An exception it throws relays the frame unchanged (and is logged).
 */
@FunctionalInterface
public interface FramePolicy {

    /** Relays every frame at once. */
    FramePolicy NONE = (frame, nowNs) -> FrameVerdict.pass();

    /**
     * @param frame what is known of the frame
     * @param nowNs the proxy's clock, in nanoseconds
     * @return what to do with it; never null
     */
    FrameVerdict decide(FrameInfo frame, long nowNs);
}
