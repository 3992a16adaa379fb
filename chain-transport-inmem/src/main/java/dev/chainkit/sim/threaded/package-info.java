/**
 * The threaded in-memory transport: {@link dev.chainkit.sim.threaded.ThreadedNetwork} runs each node on its own
 * {@link dev.chainkit.runtime.NodeExecutor} (chain-runtime: a thread, a JCTools MPSC mailbox, a timer wheel) with
 * the system clock, behind the same transport SPI and {@link dev.chainkit.sim.NodeFactory} as the simulator, so one
 * protocol's nodes run in both.
 *
 * <p>Design notes. It never loses, duplicates or reorders between two nodes: it is for throughput and real
 * concurrency, not faults (use the simulator for those, or wrap a transport in a
 * {@link dev.chainkit.sim.fault.FaultInjectingTransport}). This package only routes: a send is one
 * {@link dev.chainkit.runtime.NodeExecutor#deliver} to the receiver's executor, found in an immutable map. The loop,
 * the timers, idling and the closing protocol (every accepted task runs; closing from a node's own thread does not
 * wait for itself) are the runtime's.
 *
 * <p>Threading: see each type; node code runs only on its node's thread.
 */
package dev.chainkit.sim.threaded;
