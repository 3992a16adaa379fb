/**
 * The real network: {@link dev.chainkit.transport.netty.NettyNode} runs a {@link dev.chainkit.core.ChainNode} on a
 * Netty event loop and carries its envelopes over TCP, or WebSocket on the same port, to nodes in other processes
 * and machines, over links that prove who is at the other end.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Threading: the node lives on its event loop.</b> A node, all its connections (accepted and dialed), its
 *   timers ({@link dev.chainkit.core.time.Scheduler} on the loop) and its dialers share one Netty event-loop thread.
 *   An inbound envelope goes from the socket to {@code ChainNode.onEnvelope} in the same call, with no queue, no
 *   lock and no thread hop; a reply is written in the same call and flushed once per loop turn for the whole batch.
 *   The engine is single-threaded anyway, so a second thread would only add a hand-off per envelope (the threaded
 *   in-memory transport's mailbox costs a cache-line transfer per message: docs/BENCHMARKS.md, P1). The price: one
 *   node's I/O (TLS included) uses one core; scale out with more nodes. {@code Transport.send} never blocks: it
 *   writes to the link's outbox or drops and counts.</li>
 *   <li><b>Codecs: hand-written binary through the chain-core wire SPI</b> ({@link dev.chainkit.core.wire}): a
 *   stable tag per message record, registered by the protocol beside its messages, so protocol modules do not depend
 *   on Netty and no class name, Java serialization or polymorphic typing ever reaches the wire. Chosen over
 *   Jackson/CBOR for size (a ping envelope is about 40 bytes), speed (no reflection or tree, one pass over the
 *   bytes, see P6 in docs/BENCHMARKS.md) and a format a reviewer reads in the codec itself; every length is checked
 *   against the bytes received before anything is allocated.</li>
 *   <li><b>Identity comes from the connection.</b> A connection becomes a link only after a mutual
 *   challenge-response handshake keyed with the dialer's secret ({@link dev.chainkit.transport.netty.NodeSecrets});
 *   on a link every envelope must name the authenticated peer and incarnation as sender and this node as receiver,
 *   or it is dropped and counted ({@link dev.chainkit.transport.netty.DropReason#SPOOFED_SENDER},
 *   {@link dev.chainkit.transport.netty.DropReason#WRONG_RECEIVER}). One link per peer: a newer incarnation replaces
 *   the older link, an older one is refused.</li>
 *   <li><b>Hostile input is bounded and typed.</b> A frame's length is checked at its header (1 KiB before the
 *   handshake, the configured maximum after), so a peer never makes the node buffer more; every bad frame closes
 *   the connection with a {@link dev.chainkit.transport.netty.CloseReason}, counted, told to the peer when it can
 *   still hear, and nothing of it reaches the node.</li>
 *   <li><b>Liveness.</b> A link that writes nothing for the heartbeat interval sends a heartbeat; one that hears
 *   nothing for the idle timeout closes, so a dead or blackholed peer is noticed. Dialers retry with exponential
 *   backoff and full jitter ({@link dev.chainkit.transport.netty.ReconnectPolicy}); when a link comes up the node
 *   is told ({@code ChainNode.peerReachable}) and resends at once what waits for that peer.</li>
 *   <li><b>Backpressure.</b> Each link's outbox is bounded by Netty's write-buffer water marks; above the high
 *   mark envelopes are dropped and counted (the engine's retransmission recovers them) and reading from that peer
 *   pauses until the outbox drains, so a peer that floods without reading is pushed back by TCP.</li>
 * </ul>
 *
 * <h2>Wire format (version 1)</h2>
 * Integers are big-endian; {@code varint} is unsigned LEB128; a {@code string} is a varint byte length then UTF-8.
 * <pre>
 * frame     u32 length (of what follows: 2 .. max frame size) | u8 version (1) | u8 type | body
 * type 1 HELLO      "CKIT" | u8 min version | u8 max version | string node | varint incarnation | 32 bytes nonce
 * type 2 CHALLENGE  "CKIT" | u8 version | string node | varint incarnation | 32 bytes nonce | 32 bytes proof
 * type 3 PROOF      32 bytes proof
 * type 4 WELCOME    (empty)
 * type 5 CLOSE      u8 reason code (CloseReason.code()) | string detail
 * type 6 HEARTBEAT  (empty)
 * type 7 ENVELOPE   string protocol | string chain initiator | varint chain incarnation | varint chain sequence
 *                   | varint step | string sender | varint sender incarnation | string receiver
 *                   | varint receiver incarnation (0: unknown) | u8 kind (1 STEP, 2 TERMINAL, 3 SUPERSEDED, 4 BUSY,
 *                   5 ABORTED) | payload: STEP, TERMINAL, SUPERSEDED: varint tag, then the protocol codec's body;
 *                   ABORTED: string reason; BUSY: nothing. The frame ends exactly there.
 * </pre>
 * Over WebSocket ({@code GET} upgrade at {@link dev.chainkit.transport.netty.TransportSettings#webSocketPath()}),
 * the payloads of the binary messages, in order, are the same byte stream; each frame a node writes is one binary
 * message.
 *
 * <h2>Handshake</h2>
 * The dialer sends HELLO with a fresh nonce; the acceptor checks the magic, the versions, that it knows the node,
 * and that the nonce is new, and answers CHALLENGE with its own nonce and
 * {@code HMAC-SHA256(K_dialer, "chainkit acceptor" | transcript)}; the dialer checks it is the node it meant to reach
 * and that the proof verifies, and answers PROOF, {@code HMAC-SHA256(K_dialer, "chainkit dialer" | transcript)};
 * the acceptor verifies it, checks the incarnation is not stale, and answers WELCOME. The transcript is
 * {@code version | dialer id | dialer incarnation | dialer nonce | acceptor id | acceptor incarnation | acceptor nonce}.
 * It must complete within the handshake timeout (10 s by default). The secret never crosses the wire. Without TLS the
 * handshake authenticates the ends when the connection is made but does not protect the bytes that follow from an
 * attacker who can rewrite TCP traffic: turn TLS on where the network is not trusted.
 *
 * <p>Thread safety: see each type; the node's own state is confined to its event loop.
 */
package dev.chainkit.transport.netty;
