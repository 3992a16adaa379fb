package dev.chainkit.examples.confirm;

import dev.chainkit.core.Protocol;

/**
 * The match-result confirmation protocol as the engine sees it: its name, its message type, at most four steps
 * per chain, and the match as each chain's subject.
 *
 * <p>Thread safety: immutable singleton, thread-safe.
 */
public final class ConfirmProtocol implements Protocol<ConfirmMessage> {

    /** The protocol. */
    public static final ConfirmProtocol INSTANCE = new ConfirmProtocol();

    /** Report, dispute, resolution, settled: the longest chain. */
    public static final int MAX_STEPS = 4;

    private ConfirmProtocol() {
    }

    @Override
    public String name() {
        return "match-confirm";
    }

    @Override
    public Class<ConfirmMessage> messageType() {
        return ConfirmMessage.class;
    }

    @Override
    public int maxSteps(ConfirmMessage opening) {
        return MAX_STEPS;
    }

    /** The match: a newer report chain of the same match may supersede an older one. */
    @Override
    public Object subjectOf(ConfirmMessage opening) {
        return opening.match();
    }

    @Override
    public String toString() {
        return name();
    }
}
