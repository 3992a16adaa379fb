package dev.chainkit.core;

/**
 * The initiator's view of one of its chains, handed to {@link Initiator#onReply}.
 *
 * <p>Thread safety: use only on the node's thread.
 */
public interface InitiatorChain {

    /** The chain's id. */
    ChainId id();

    /** The responder. */
    NodeId peer();

    /** The step of the reply being handled (odd: 1, 3, 5, ...). */
    int step();

    /** The chain's subject, from {@link Protocol#subjectOf} of its opening message; may be null. */
    Object subject();

    /**
     * Whether the reply being handled ends the chain. After a terminal reply the handler must return
     * {@link InitiatorAction.Complete} or {@link InitiatorAction.Fail}.
     */
    boolean terminal();
}
