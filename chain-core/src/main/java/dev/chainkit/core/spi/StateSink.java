package dev.chainkit.core.spi;

import dev.chainkit.core.Abort;
import dev.chainkit.core.ChainId;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.NodeId;

/**
 * Where a node, a protocol or an application writes a canonical description of its state: what a model checker
 * (the explorer of {@code chain-transport-inmem}) digests to tell two states apart. Implemented by the checker; the
 * engine ({@link dev.chainkit.core.ChainNode#digest}) and the protocols' {@link StateDigestible} states write into
 * it.
 *
 * <h2>The contract of a writer</h2>
 * <ul>
 *   <li><b>Complete.</b> Write everything that can change what the node does next or what a check reads: two
 *   states described alike must behave alike. What only feeds logs or statistics is left out.</li>
 *   <li><b>Canonical.</b> Write in an order that depends on the state only, never on hash-table layout or
 *   identity: sort, or follow an order the state itself keeps (the order chains opened, a queue's order).</li>
 *   <li><b>Times and chain ids through their methods.</b> An absolute virtual time goes through {@link #putTime}, a
 *   chain id through {@link #putChainId}, a sequence watermark through {@link #putSequence}, a node through
 *   {@link #putNode}, a protocol message through {@link #putMessage}: the sink writes them relative to the present
 *   time and to the initiator's next chain, so that two states that differ only by when they happen, or by how
 *   many chains came and went before, are described alike (the node's behaviour depends only on differences of
 *   times and on comparisons of sequences, so it cannot tell them apart either).</li>
 *   <li><b>Without side effects.</b> Describing a state reads it and changes nothing: not a counter, not a cache
 *   that behaviour depends on. (A store's "next op number" that hands out a number when read must not be read.)</li>
 *   <li><b>History of ended chains apart.</b> What is kept only of chains that ended (the engine's tombstones, the
 *   outcomes an application records) is written only when {@link #endedChains()} is true.</li>
 * </ul>
 *
 * <p>Threading: a sink is used by one thread, the one that runs the nodes it describes.
 */
public interface StateSink {

    /**
     * Writes an int.
     *
     * @param value the value
     * @return this sink
     */
    StateSink putInt(int value);

    /**
     * Writes a long (a count, a duration in nanoseconds; never an absolute time, see {@link #putTime}).
     *
     * @param value the value
     * @return this sink
     */
    StateSink putLong(long value);

    /**
     * Writes a boolean.
     *
     * @param value the value
     * @return this sink
     */
    StateSink putBoolean(boolean value);

    /**
     * Writes a string, or null.
     *
     * @param value the value; may be null
     * @return this sink
     */
    StateSink putString(String value);

    /**
     * Writes a node's id (a checker may rename nodes that play the same role, to find symmetric states).
     *
     * @param node the node; may be null
     * @return this sink
     */
    StateSink putNode(NodeId node);

    /**
     * Writes an absolute virtual time, as its distance from the present.
     *
     * @param atNs the time in nanoseconds on the node's clock; {@code Long.MAX_VALUE} means never
     * @return this sink
     */
    StateSink putTime(long atNs);

    /**
     * Writes a chain id: its initiator, its incarnation, and its sequence counted back from the next chain that
     * incarnation will open.
     *
     * @param id the chain id; may be null
     * @return this sink
     */
    StateSink putChainId(ChainId id);

    /**
     * Writes a sequence number of {@code initiator}'s incarnation {@code incarnation} (a watermark), counted back
     * from the next chain that incarnation will open, as {@link #putChainId} does.
     *
     * @param initiator the node whose chains the sequence numbers
     * @param incarnation its incarnation; 0 (unknown) writes the sequence as it is
     * @param sequence the sequence, 0 for none
     * @return this sink
     */
    StateSink putSequence(NodeId initiator, long incarnation, long sequence);

    /**
     * Writes a message of {@code protocol} canonically (a checker encodes it with the protocol's wire codec).
     *
     * @param protocol the protocol's name
     * @param message the message; may be null
     * @return this sink
     * @throws IllegalStateException if the sink cannot describe messages of that protocol
     */
    StateSink putMessage(String protocol, Object message);

    /**
     * Writes a value: a {@link StateDigestible} describes itself; a string, number, boolean, enum constant, node id
     * or chain id is written as such; null is written as null.
     *
     * @param value the value
     * @return this sink
     * @throws IllegalArgumentException if the value is of another type (give it a {@link StateDigestible})
     */
    StateSink putValue(Object value);

    /**
     * Whether to write what is kept only of chains that ended: the engine's tombstones, the outcomes an application
     * records. True for a state's description, the default. False when a checker looks for a livelock that keeps
     * opening chains: such a loop returns to the same state but for one more ended chain each time round, so its
     * states are compared without them.
     *
     * @return whether to write the history of ended chains
     */
    default boolean endedChains() {
        return true;
    }

    /**
     * Writes an envelope: its protocol, chain, step, both ends with their incarnations, its kind and its payload (a
     * protocol message through {@link #putMessage}; an {@link Abort} by its cause only, its detail being text for
     * people).
     *
     * @param e the envelope; may be null
     * @return this sink
     */
    default StateSink putEnvelope(Envelope e) {
        if (e == null) {
            return putBoolean(false);
        }
        putBoolean(true).putString(e.protocol()).putChainId(e.chainId()).putInt(e.step());
        putNode(e.sender()).putLong(e.senderIncarnation()).putNode(e.receiver()).putLong(e.receiverIncarnation());
        putInt(e.kind().ordinal());
        switch (e.kind()) {
            case STEP, TERMINAL, SUPERSEDED -> putMessage(e.protocol(), e.payload());
            case ABORTED -> putInt(((Abort) e.payload()).cause().ordinal());
            case BUSY -> { }
        }
        return this;
    }
}
