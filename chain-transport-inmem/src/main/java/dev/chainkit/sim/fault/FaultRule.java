package dev.chainkit.sim.fault;

import dev.chainkit.core.NodeId;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A targeted fault: drop, duplicate or delay the next {@code count} messages of one message kind on one directed
 * link. It applies to messages sent from the time it is added ({@link NetworkFaults#addRule}, which the
 * simulator's {@code Simulation.addRule} calls), retransmissions included, and is used up after {@code count}
 * matches. The scenario lines {@code drop 3 SyncSuccess hq -> judge1} and
 * {@code delay next ForwardSync hq -> alice by 3s} are such rules.
 *
 * <p>When several rules match one message: a drop rule wins and only it is used; otherwise the oldest matching
 * duplicate rule and the oldest matching delay rule each apply once.
 *
 * <p>Thread safety: immutable. The remaining count lives in the {@link NetworkFaults} it was added to, not here.
 *
 * @param action what to do with a matching message
 * @param count how many matching messages to affect, at least 1
 * @param messageKind the message kind to match ({@link MessageInfo#messageKind()}, which is
 *     {@link dev.chainkit.core.Envelope#messageKind()} for an envelope), or {@link #ANY_KIND}
 * @param from the sending node
 * @param to the receiving node
 * @param delay how long to hold a matching message on top of its latency ({@link Action#DELAY} only; zero
 *     otherwise)
 */
public record FaultRule(Action action, int count, String messageKind, NodeId from, NodeId to, Duration delay) {

    /** The message kind that matches every message. */
    public static final String ANY_KIND = "any";

    /** What a rule does to a matching message. */
    public enum Action {
        /** The message is lost. */
        DROP,
        /** The message is delivered twice. */
        DUPLICATE,
        /** The message is held for the rule's delay on top of its latency. */
        DELAY
    }

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code count} is below 1, {@code messageKind} is blank or contains white
     *     space, {@code from} equals {@code to}, {@code delay} is negative, or a non-delay rule has a non-zero delay
     */
    public FaultRule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(messageKind, "messageKind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(delay, "delay");
        if (count < 1) {
            throw new IllegalArgumentException("rule count must be at least 1, got " + count);
        }
        if (messageKind.isBlank() || messageKind.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("rule message kind must be a word such as OpSync or 'any', got '"
                    + messageKind + "'");
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("rule link must join two different nodes, got " + from + " -> " + to);
        }
        if (delay.isNegative()) {
            throw new IllegalArgumentException("rule delay must be 0 or more, got " + delay);
        }
        if (action != Action.DELAY && !delay.isZero()) {
            throw new IllegalArgumentException("only a delay rule has a delay; a " + action + " rule got " + delay);
        }
    }

    /**
     * Drops the next {@code count} messages of {@code messageKind} from {@code from} to {@code to}.
     *
     * @throws IllegalArgumentException as the constructor
     */
    public static FaultRule drop(int count, String messageKind, NodeId from, NodeId to) {
        return new FaultRule(Action.DROP, count, messageKind, from, to, Duration.ZERO);
    }

    /**
     * Delivers each of the next {@code count} messages of {@code messageKind} from {@code from} to {@code to} twice.
     *
     * @throws IllegalArgumentException as the constructor
     */
    public static FaultRule duplicate(int count, String messageKind, NodeId from, NodeId to) {
        return new FaultRule(Action.DUPLICATE, count, messageKind, from, to, Duration.ZERO);
    }

    /**
     * Holds each of the next {@code count} messages of {@code messageKind} from {@code from} to {@code to} for
     * {@code by} on top of its latency.
     *
     * @throws IllegalArgumentException as the constructor
     */
    public static FaultRule delay(int count, String messageKind, NodeId from, NodeId to, Duration by) {
        return new FaultRule(Action.DELAY, count, messageKind, from, to, by);
    }

    /** Whether a message of {@code kind} sent from {@code sender} to {@code receiver} matches this rule. */
    public boolean matches(String kind, NodeId sender, NodeId receiver) {
        return from.equals(sender) && to.equals(receiver) && (messageKind.equals(ANY_KIND) || messageKind.equals(kind));
    }

    /** Whether {@code message} matches this rule: same link, and same kind unless the rule is for {@link #ANY_KIND}. */
    public boolean matches(MessageInfo message) {
        return matches(message.messageKind(), message.sender(), message.receiver());
    }

    /**
     * This rule with another count.
     *
     * @throws IllegalArgumentException if {@code newCount} is below 1
     */
    public FaultRule withCount(int newCount) {
        return new FaultRule(action, newCount, messageKind, from, to, delay);
    }

    /**
     * This delay rule with another delay.
     *
     * @throws IllegalArgumentException if {@code newDelay} is negative or this is not a delay rule
     */
    public FaultRule withDelay(Duration newDelay) {
        return new FaultRule(action, count, messageKind, from, to, newDelay);
    }

    /** The scenario form: {@code drop 2 OpSync a -> hq}, {@code delay next ForwardSync hq -> alice by 3s}. */
    @Override
    public String toString() {
        return action.name().toLowerCase(Locale.ROOT) + " " + (count == 1 ? "next" : Integer.toString(count))
                + " " + messageKind + " " + from + " -> " + to
                + (action == Action.DELAY ? " by " + Durations.format(Durations.saturatedNanos(delay)) : "");
    }
}
