/**
 * The message-chain completion engine: a {@link dev.chainkit.core.ChainNode} opens and answers chains of any
 * {@link dev.chainkit.core.Protocol}, retransmits on a {@link dev.chainkit.core.RetryPolicy}, answers duplicates
 * from a reply cache and tombstones, bounds every chain's steps and time, supersedes chains whose subject changed,
 * and reports every event.
 *
 * <p>Design notes. A chain is one conversation: the initiator sends step 0, the responder answers step 1, and so
 * on, until a terminal message. Only the side waiting for an answer keeps a timer (the initiator); the responder
 * answers duplicates from its cache and keeps nothing but a tombstone after the end. Protocols supply a
 * descriptor and two handlers; the engine guarantees handlers see each step at most once. Time, timers and
 * randomness are injected ({@link dev.chainkit.core.time}); envelopes leave through a
 * {@link dev.chainkit.core.spi.Transport}. The idea comes from the design note that introduced the op-log sync:
 * "this process of ensuring message chains come to completion in bi-directional communication channels should be
 * made into a crate".
 *
 * <p>Structure: {@link dev.chainkit.core.ChainNode} is a facade over package-private parts, each owning one
 * mechanism and opening with its design notes: the initiator side and its retransmitter, the responder side and the
 * chains it runs, the peer table, the tombstone table, housekeeping, and the emitter of events and log lines. Every
 * table a peer can fill is keyed by a per-node secret hash. Only the facade and the types it speaks are API.
 *
 * <p>Threading: one node, one thread. See {@link dev.chainkit.core.ChainNode}.
 */
package dev.chainkit.core;
