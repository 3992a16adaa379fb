/**
 * The threaded in-memory transport: {@link dev.chainkit.sim.threaded.ThreadedNetwork} runs each node on its own
 * thread with a JCTools MPSC mailbox, a timer wheel and the system clock, behind the same transport SPI and
 * {@link dev.chainkit.sim.NodeFactory} as the simulator, so one protocol's nodes run in both.
 *
 * <p>Design notes. It never loses, duplicates or reorders between two nodes: it is for throughput and real
 * concurrency, not faults (use the simulator for those). The hot path is lock-free: a send is one offer to the
 * receiver's queue and, if the receiver is parked, one unpark. A node thread is the only consumer of its mailbox
 * and the only user of its timers, so neither needs locks. Idle threads spin, yield, then park until unparked or
 * their next timer tick. Closing drains what each mailbox already holds, closes every engine on its own thread and
 * joins the threads.
 *
 * <p>Threading: see each type; node code runs only on its node's thread.
 */
package dev.chainkit.sim.threaded;
