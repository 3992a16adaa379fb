/**
 * Fault injection that any transport can share: the faults of a network ({@link dev.chainkit.sim.fault.NetworkFaults}:
 * random loss, duplication and latency from a {@link dev.chainkit.sim.fault.NetworkConfig}, partitions, targeted
 * {@link dev.chainkit.sim.fault.FaultRule}s, calm) and the {@link dev.chainkit.sim.fault.FaultDecision} they make
 * for each message, plus {@link dev.chainkit.sim.fault.FaultInjectingTransport}, which applies them in front of any
 * {@link dev.chainkit.core.spi.Transport}. The simulator decides every message it carries here; a network fault
 * proxy applies the same rules to the frames it relays.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>A decision needs no envelope.</b> It takes a {@link dev.chainkit.sim.fault.MessageInfo} (sender,
 *   receiver, protocol, message kind, size), the time and a random source, and returns a record: dropped and why,
 *   or how many copies and each one's delay (Aeron's {@code LossGenerator} is the model: small, seeded, beside the
 *   real code instead of inside a simulator).</li>
 *   <li><b>Message kinds</b> are the names {@link dev.chainkit.core.Envelope#messageKind()} gives: a payload's
 *   simple class name, {@code Busy}, {@code Aborted}; a rule for {@code any} matches them all. Which kinds a run's
 *   protocols have is for the caller that adds the rule to check.</li>
 *   <li><b>Saturation.</b> A delay too long for the clock means never, not "wrap around into the past".</li>
 *   <li><b>Dependencies.</b> This package uses only chain-core and the JDK, nothing of the simulator, so a network
 *   transport's fault proxy can use it without running a simulation.</li>
 * </ul>
 *
 * <p>Threading: {@link dev.chainkit.sim.fault.NetworkFaults} is thread-safe; the rest is immutable or, for the
 * transport, used on its node's thread.
 */
package dev.chainkit.sim.fault;
