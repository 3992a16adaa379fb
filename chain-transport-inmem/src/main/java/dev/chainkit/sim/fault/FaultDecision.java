package dev.chainkit.sim.fault;

import java.util.Objects;

/**
 * What a network's faults do to one message ({@link NetworkFaults#decide}): it is dropped (and why), or delivered
 * as one, two or three copies, each after its own delay. The components also say which fault did what, in the order
 * the faults apply, so that a trace can tell the story: a duplicate rule and a delay rule may apply to a message that
 * random loss then drops.
 *
 * <p>Copies: copy 0 is the message itself; a matching duplicate rule adds one, random duplication adds one more. A
 * copy's delay is its own latency draw plus the delay rule's delay, saturated at {@link #NEVER}.
 *
 * <p>Thread safety: immutable.
 *
 * @param decidedAtNs the time of the decision (the {@code nowNs} given to {@link NetworkFaults#decide}), in
 *     nanoseconds
 * @param drop why the message is lost, or {@link Drop#NONE} when it is delivered
 * @param ruleDuplicated whether a duplicate rule matched the message (and used up one of its count)
 * @param ruleDelayNs the delay a delay rule added to every copy (and used up one of its count), in nanoseconds; 0 if
 *     none matched
 * @param randomDuplicated whether the network's random duplication made a copy
 * @param firstDelayNs the delay of copy 0 in nanoseconds; 0 for a dropped message
 * @param secondDelayNs the delay of copy 1 in nanoseconds; 0 when there is no such copy
 * @param thirdDelayNs the delay of copy 2 in nanoseconds; 0 when there is no such copy
 */
public record FaultDecision(long decidedAtNs, Drop drop, boolean ruleDuplicated, long ruleDelayNs,
        boolean randomDuplicated, long firstDelayNs, long secondDelayNs, long thirdDelayNs) {

    /** A delay, or a due time, so long that adding it to a clock overflows: the copy never arrives. */
    public static final long NEVER = Long.MAX_VALUE;

    /** Why a message is lost. */
    public enum Drop {
        /** It is not lost. */
        NONE,
        /** Its link is cut by a partition (no rule or random draw is used). */
        PARTITION,
        /** A drop rule matched it (only that rule is used up). */
        RULE,
        /** The network's random loss (after the rules applied). */
        LOSS
    }

    /**
     * @throws NullPointerException if {@code drop} is null
     * @throws IllegalArgumentException if a delay is negative, or the components contradict each other: a partition
     *     or a drop rule with any other fault, random duplication of a lost message, a delay for a copy that does not
     *     exist, or a copy's delay shorter than the rule's delay
     */
    public FaultDecision {
        Objects.requireNonNull(drop, "drop");
        if (ruleDelayNs < 0 || firstDelayNs < 0 || secondDelayNs < 0 || thirdDelayNs < 0) {
            throw new IllegalArgumentException("delays must be 0 or more nanoseconds, got rule " + ruleDelayNs
                    + ", copies " + firstDelayNs + ", " + secondDelayNs + ", " + thirdDelayNs);
        }
        boolean rulesApplied = ruleDuplicated || ruleDelayNs != 0;
        if ((drop == Drop.PARTITION || drop == Drop.RULE) && (rulesApplied || randomDuplicated)) {
            throw new IllegalArgumentException("a message dropped by " + drop + " meets no other fault");
        }
        if (drop != Drop.NONE && (randomDuplicated || firstDelayNs != 0 || secondDelayNs != 0 || thirdDelayNs != 0)) {
            throw new IllegalArgumentException("a dropped message has no copies, so no delays and no random duplicate");
        }
        int copies = drop != Drop.NONE ? 0 : 1 + (ruleDuplicated ? 1 : 0) + (randomDuplicated ? 1 : 0);
        if ((copies < 2 && secondDelayNs != 0) || (copies < 3 && thirdDelayNs != 0)) {
            throw new IllegalArgumentException("a delay is given for a copy that does not exist (copies: " + copies
                    + ")");
        }
        long shortest = copies == 0 ? NEVER : Math.min(firstDelayNs,
                Math.min(copies > 1 ? secondDelayNs : NEVER, copies > 2 ? thirdDelayNs : NEVER));
        if (shortest < ruleDelayNs) {
            throw new IllegalArgumentException("every copy is held at least the rule's delay of " + ruleDelayNs
                    + " ns, got " + shortest + " ns");
        }
    }

    /** A message lost to a partition or a drop rule at {@code nowNs}: no other fault applied. */
    static FaultDecision dropped(long nowNs, Drop drop) {
        return new FaultDecision(nowNs, drop, false, 0, false, 0, 0, 0);
    }

    /** Whether the message is lost. */
    public boolean dropped() {
        return drop != Drop.NONE;
    }

    /** How many copies are delivered: 0 when dropped, else 1 to 3. */
    public int copies() {
        return drop != Drop.NONE ? 0 : 1 + (ruleDuplicated ? 1 : 0) + (randomDuplicated ? 1 : 0);
    }

    /**
     * How long copy {@code copy} is held before it arrives, in nanoseconds; {@link #NEVER} means it never arrives.
     *
     * @param copy 0 to {@link #copies()} - 1
     * @throws IndexOutOfBoundsException if there is no such copy
     */
    public long delayNs(int copy) {
        return switch (Objects.checkIndex(copy, copies())) {
            case 0 -> firstDelayNs;
            case 1 -> secondDelayNs;
            default -> thirdDelayNs;
        };
    }

    /**
     * When copy {@code copy} arrives, in nanoseconds: {@link #decidedAtNs()} plus its delay, saturated, so that a
     * delay too long for the clock gives {@link #NEVER} instead of wrapping into the past. For a clock that starts
     * at 0 or above and never wraps, such as virtual time; a transport on {@link System#nanoTime()} schedules
     * {@link #delayNs(int)} instead.
     *
     * @param copy 0 to {@link #copies()} - 1
     * @throws IndexOutOfBoundsException if there is no such copy
     */
    public long dueNs(int copy) {
        long delay = delayNs(copy);
        return delay == NEVER || (decidedAtNs > 0 && delay > NEVER - decidedAtNs) ? NEVER : decidedAtNs + delay;
    }
}
