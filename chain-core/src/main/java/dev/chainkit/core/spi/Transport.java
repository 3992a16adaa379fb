package dev.chainkit.core.spi;

import dev.chainkit.core.Envelope;

/**
 * How a node's envelopes leave it. Implemented by transports (the in-memory simulator, the threaded transport, a
 * network transport); the engine calls it.
 *
 * <p>Delivery is fire-and-forget: a transport may lose, duplicate, delay and reorder envelopes; the engine copes.
 * Inbound envelopes go the other way: the transport hands each to {@link dev.chainkit.core.ChainNode#onEnvelope}
 * on the receiving node's thread.
 *
 * <p>Threading: {@link #send} is called only on the sending node's thread. It must not block and must not call
 * back into any node synchronously (queue the delivery instead).
 */
@FunctionalInterface
public interface Transport {

    /**
     * Hands an envelope to the network. Must not throw for network failures: a lost envelope is simply lost.
     *
     * @param envelope what to send; never null
     */
    void send(Envelope envelope);
}
