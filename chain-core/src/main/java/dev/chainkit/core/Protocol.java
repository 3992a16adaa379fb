package dev.chainkit.core;

import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Describes a protocol to the engine: its name, its message type, how many steps a chain may take, and what a
 * chain is about (its subject, for supersede).
 *
 * <p>A protocol's messages should form one sealed hierarchy ({@code M}) so that handlers can dispatch on it.
 * The handlers are registered separately: a {@link Responder} per node with
 * {@link ChainNode#register(Protocol, Responder)}, and an {@link Initiator} per chain with
 * {@link ChainNode#start(Protocol, NodeId, Object, Initiator)}.
 *
 * <p>Thread safety: implementations must be immutable; one instance serves every node.
 *
 * @param <M> the protocol's message type
 */
public interface Protocol<M> {

    /** The protocol's name, unique among the protocols a node speaks; carried in every envelope. */
    String name();

    /** The type every message of this protocol is an instance of. Payloads of another type are rejected. */
    Class<M> messageType();

    /**
     * The most steps a chain opened by {@code opening} may take, terminal included: its envelopes are numbered
     * {@code 0 .. maxSteps - 1}. A chain that would need more fails with a violation. At least 2.
     */
    int maxSteps(M opening);

    /**
     * What the chain opened by {@code opening} is about, compared with {@link Object#equals}. Chains with equal
     * subjects are superseded together. The default, {@code null}, means "no subject": never superseded.
     */
    default Object subjectOf(M opening) {
        return null;
    }

    /**
     * Checks a received message before any handler sees it. A non-empty answer rejects the envelope (counted as
     * {@link RejectReason#PAYLOAD_INVALID}); nothing changes. The default accepts every message.
     *
     * @return empty when the message is acceptable, otherwise what is wrong with it
     */
    default Optional<String> validate(M message) {
        return Optional.empty();
    }

    /**
     * The message kinds a chain of this protocol can carry, as traces, counters and fault rules name them
     * ({@link Envelope#messageKind()}): the simple names of the concrete classes of its sealed message type, found
     * by walking the sealed hierarchy, and the engine's own terminals {@code Busy} and {@code Aborted}. Empty when
     * the kinds cannot be known because the message type (or a type in its hierarchy) is not sealed; such a
     * protocol may override this method to list them.
     *
     * @return the kinds, in the hierarchy's order; empty if unknown
     */
    default Set<String> messageKinds() {
        Set<String> kinds = new LinkedHashSet<>();
        if (!collectKinds(messageType(), kinds)) {
            return Set.of();
        }
        kinds.add("Busy");
        kinds.add("Aborted");
        return Collections.unmodifiableSet(kinds);
    }

    /** Adds the simple names of the concrete classes under {@code type}; false if an open type is met. */
    private static boolean collectKinds(Class<?> type, Set<String> kinds) {
        if (type.isSealed()) {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                if (!collectKinds(sub, kinds)) {
                    return false;
                }
            }
            if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
                return true;
            }
            kinds.add(type.getSimpleName());
            return true;
        }
        if (type.isInterface() || !Modifier.isFinal(type.getModifiers())) {
            return false; // anyone may add a message class under it
        }
        kinds.add(type.getSimpleName());
        return true;
    }

    /**
     * A number that two equal messages share, as this node receives them (after any codec), and two different
     * messages rarely do; 0 means "do not compare". The responder keeps the fingerprint of each chain's opening, and
     * an opening that comes again with the same chain id but another fingerprint is refused as
     * {@link RejectReason#INCARNATION_REUSED}: its initiator restarted with an incarnation it had used before, and
     * without the check its new chain would get the old chain's answer.
     *
     * <p>The default is the message's {@code hashCode()} if its class is a record (whose hash combines its
     * components'), else 0. Override it for messages whose {@code hashCode} is not value-based, such as a record
     * holding an array or an object without its own {@code hashCode}: two copies of one message decoded from the
     * network would then differ, and a retransmission of an ended chain's opening would be refused instead of
     * answered.
     *
     * <p>Threading: called on the node's thread, once per opening received.
     */
    default int fingerprint(M message) {
        return Fingerprints.of(message);
    }

    /**
     * A protocol with a fixed step bound, no subject and no extra validation.
     *
     * @throws IllegalArgumentException if {@code maxSteps} is below 2 or the name is blank
     */
    static <M> Protocol<M> of(String name, Class<M> messageType, int maxSteps) {
        Objects.requireNonNull(messageType, "messageType");
        if (Objects.requireNonNull(name, "name").isBlank()) {
            throw new IllegalArgumentException("protocol name must not be blank");
        }
        if (maxSteps < 2) {
            throw new IllegalArgumentException("maxSteps must be at least 2 (a request and its reply), got " + maxSteps);
        }
        return new Protocol<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Class<M> messageType() {
                return messageType;
            }

            @Override
            public int maxSteps(M opening) {
                return maxSteps;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
