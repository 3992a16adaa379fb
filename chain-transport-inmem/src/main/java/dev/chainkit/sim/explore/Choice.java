package dev.chainkit.sim.explore;

import dev.chainkit.core.Envelope;
import java.util.Objects;

/**
 * One nondeterministic choice the explorer can make in a state: a node does its next work item, the network
 * delivers, loses or copies a message or drops a connection, the next timer fires, or a node crashes (and restarts
 * at once, with its next incarnation). Each reads as one line of a path ({@link #text()}), unique among the choices
 * of its state, which is how a path replays.
 *
 * <h2>Independence (for sleep sets)</h2>
 * Two choices are independent when, from any state where both can be made, making them in either order reaches the same
 * state and neither disables the other: the explorer then explores only one of the two orders. A choice changes at most
 * one node ({@link #node()}: a delivery its receiver, a work item or a crash its node, a timer due now its node); the
 * network choices change only the messages in flight and a bound's budget. So two choices are independent unless one is
 * a timer firing that moves the clock (which timer is next depends on every node's timers, and what a node sets after
 * it is due later), they change the same node, they take the same message or link, or they spend the same budget (one
 * could exhaust it for the other). A timer due now ({@link Type#TIMER_NOW}) is enabled whatever the other nodes do: the
 * clock never passes a message's lifetime, so no message holds it back, and a terminal state offers the timers due now
 * too (so the delivery that ends a run does not disable one). Where a choice sends messages, they join the messages in
 * flight, which commutes with any other choice. A budget is the path's, or with per-link bounds one link's ({@link
 * ExploreBounds#perLink()}): losses on two links then spend different budgets. With late faults ({@link
 * ExploreBounds#lateFaults()}) the losses are made together, of the messages that hold the clock back, which any choice
 * that changes a node can change (by setting a timer): they depend on every choice, as a timer does.
 *
 * <p>Thread safety: immutable.
 *
 * @param type what happens
 * @param text the line of the path, unique in its state
 * @param node the node the choice changes (receiver, actor, crashed node, the node whose timer fires), or null for
 *     a pure network choice
 * @param message the message it takes (deliver, lose, duplicate), or null
 * @param index the message's position among those in flight, or for a timer its position among the pending
 *     timers ({@code Simulation.pendingTimers()}); -1 otherwise
 * @param link the two nodes of the link it drops (disconnect, and a crash under FIFO: its node twice), or null
 * @param budget the fault budget it spends (lose, duplicate, disconnect, crash), or null
 */
record Choice(Type type, String text, String node, Envelope message, int index, String[] link, World.Budget budget) {

    /** What a choice does. */
    enum Type {
        /** A node does its next work item. */
        WORK,
        /** The network delivers a message. */
        DELIVER,
        /** The network loses a message. */
        LOSE,
        /** The network copies a message. */
        DUPLICATE,
        /**
         * The network copies a message and delivers one copy at once, the other staying in flight: a copy made at
         * the last moment that matters ({@link ExploreBounds#lateFaults()}). Reads as two lines, the copy and the
         * delivery.
         */
        DELIVER_COPY,
        /**
         * The network loses every message in flight that holds the clock back (the next timer is due beyond its
         * lifetime): losses made at the last moment that matters, just before time may pass. Reads as one loss a
         * line.
         */
        LOSE_BLOCKING,
        /**
         * The network loses every message in flight, when nothing else is due: the losses a run may end on. Reads
         * as one loss a line.
         */
        LOSE_IN_FLIGHT,
        /** A connection drops with the messages in flight on it (FIFO). */
        DISCONNECT,
        /**
         * A timer due next fires (the clock moves to it): of several due at the same instant, each is a choice, so
         * every order of them is explored.
         */
        TIMER,
        /**
         * A timer due now fires: the clock stays, so only its node changes, as when a message is delivered to it. Its
         * node's only timer due now (one of several would be a choice whose meaning depends on the order they were
         * set in, which no state holds: those are {@link #TIMER}s). Nothing another node does disables it: no message
         * holds the clock back from now, and a terminal state still offers the timers due now. Reads as a
         * {@link #TIMER}.
         */
        TIMER_NOW,
        /** A node crashes and restarts with its next incarnation. */
        CRASH;

        /** Whether a choice of this type depends on every other choice (it reads every node's timers). */
        boolean global() {
            return this == TIMER || this == LOSE_BLOCKING || this == LOSE_IN_FLIGHT;
        }

        /** Whether a choice of this type fires a timer. */
        boolean timer() {
            return this == TIMER || this == TIMER_NOW;
        }
    }

    Choice {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
    }

    /** This choice with {@code suffix} added to its text (to tell apart equal-looking choices). */
    Choice withSuffix(String suffix) {
        return new Choice(type, text + suffix, node, message, index, link, budget);
    }

    /**
     * This copy made as the message is delivered ({@link Type#DELIVER_COPY}): it changes the receiver too.
     *
     * @throws IllegalStateException if this is not a copy
     */
    Choice delivered() {
        if (type != Type.DUPLICATE) {
            throw new IllegalStateException("only a copy can be delivered at once, not: " + text);
        }
        return new Choice(Type.DELIVER_COPY, text, message.receiver().name(), message, index, link, budget);
    }

    /** Whether this choice and {@code other} are independent (see the class notes). */
    boolean independentOf(Choice other) {
        if (type.global() || other.type.global()) {
            return false;
        }
        if (node != null && node.equals(other.node)) {
            return false;
        }
        if (message != null && message.equals(other.message)) {
            return false;
        }
        if (budget != null && budget.equals(other.budget)) {
            return false;
        }
        return !touchesLink(other) && !other.touchesLink(this);
    }

    /**
     * Whether this choice drops a link that {@code other}'s message travels on ({@code link} names two nodes for a
     * disconnect, one node twice for a crash under FIFO, which drops all of its links), or {@code other} drops links
     * too.
     */
    private boolean touchesLink(Choice other) {
        if (link == null) {
            return false;
        }
        if (other.message != null) {
            String from = other.message.sender().name();
            String to = other.message.receiver().name();
            if (link[0].equals(link[1])) {
                return from.equals(link[0]) || to.equals(link[0]);
            }
            return (from.equals(link[0]) || from.equals(link[1])) && (to.equals(link[0]) || to.equals(link[1]));
        }
        return other.link != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Choice c && c.type == type && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
