package dev.chainkit.examples.cluster;

import dev.chainkit.oplog.Domain;
import dev.chainkit.oplog.OpError;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.PayloadCodec;
import io.vavr.control.Either;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Domain} that remembers its recent results, so that applying the same op to the same state object again
 * returns the very same state object. Every node of a {@link TournamentCluster} and its invariant checker share
 * one, which makes "this node's state is the replay of its log" cheap to confirm: when a node derived its state as
 * the rules say, the checker's own replay of the new ops ends on the identical object, and two identical objects
 * are equal without being walked. When the node did anything else, the two are different objects and are compared
 * in full, so the check stays exact.
 *
 * <p>It changes nothing a node sees: a domain is a pure function of the state and the op, so the remembered result
 * is equal to a fresh one. Only results that apply are remembered (at most {@link #CAPACITY}, the least recently
 * used forgotten first); keys are the state's identity and the op's value.
 *
 * <p>Thread safety: not thread-safe; one simulation's thread uses it.
 *
 * @param <S> the domain's state type
 * @param <P> the domain's payload type
 */
final class SharedResults<S, P> implements Domain<S, P> {

    /** How many results are remembered: far more than the ops in flight between the nodes at any time. */
    static final int CAPACITY = 1 << 14;

    private final Domain<S, P> rules;
    private final Map<Key, S> results = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, S> eldest) {
            return size() > CAPACITY;
        }
    };

    /** @throws NullPointerException if {@code rules} is null */
    SharedResults(Domain<S, P> rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    @Override
    public S empty() {
        return rules.empty();
    }

    @Override
    public PayloadCodec<P> payloads() {
        return rules.payloads();
    }

    @Override
    public Either<OpError, S> apply(S state, Operation<P> op) {
        Key key = new Key(Objects.requireNonNull(state, "state"), Objects.requireNonNull(op, "op"));
        S known = results.get(key);
        if (known != null) {
            return Either.right(known);
        }
        Either<OpError, S> next = rules.apply(state, op);
        if (next.isRight()) {
            results.put(key, next.get());
        }
        return next;
    }

    @Override
    public String toString() {
        return rules + " (sharing its " + results.size() + " latest results)";
    }

    /** A state by identity and an op by value. */
    private static final class Key {
        private final Object state;
        private final Operation<?> op;
        private final int hash;

        Key(Object state, Operation<?> op) {
            this.state = state;
            this.op = op;
            this.hash = 31 * System.identityHashCode(state) + op.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.state == state && (k.op == op || k.op.equals(op));
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
