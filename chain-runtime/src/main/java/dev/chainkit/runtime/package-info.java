/**
 * The node runtime: {@link dev.chainkit.runtime.NodeExecutor} runs one {@link dev.chainkit.core.ChainNode} on one
 * thread (its inbound envelopes, the tasks others hand it, its timers) and gives it a
 * {@link dev.chainkit.core.time.Scheduler} and a {@link dev.chainkit.core.time.NanoClock}. Every transport that runs
 * nodes for real hosts them here: the threaded in-memory network, a network transport, a deployable server. A
 * transport calls {@link dev.chainkit.runtime.NodeExecutor#deliver} for each inbound envelope, from any thread, and
 * the engine calls the transport's {@code send} on the node's thread.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>One thread per node, no locks on the hot path.</b> A JCTools MPSC queue is the mailbox (many senders,
 *   one consumer: the node's thread); a hashed {@link dev.chainkit.runtime.TimerWheel} holds the timers, confined
 *   to that thread. Handing over an envelope is one offer, one volatile read and, if the thread is parked, one
 *   unpark.</li>
 *   <li><b>Nothing accepted is lost.</b> A task is either refused synchronously
 *   ({@link java.util.concurrent.RejectedExecutionException}) or it runs, even when it races a close; an envelope is
 *   refused ({@code deliver} returns false), handled, or, if a close overtook it, handed to the executor's
 *   undelivered handler.</li>
 *   <li><b>Closing from anywhere.</b> From another thread, {@code close()} waits for the node's thread; from the
 *   node's own thread (an outcome callback, a handler) it only asks the loop to stop.</li>
 *   <li><b>Time.</b> Injected clock; a delay or timeout too long for a {@code long} of nanoseconds means never or
 *   no limit, never a wrap into the past.</li>
 * </ul>
 *
 * <p>Threading: each type documents which thread may call what, and what happens-before what.
 */
package dev.chainkit.runtime;
