/**
 * Examples and tools built on chainkit: the op-log sync protocol with the tournament domain, played on the
 * deterministic simulated network.
 *
 * <p>{@link dev.chainkit.examples.scenario} reads and writes scenario files ({@code .scn}): small text files
 * that describe a network, a server and its clients, the faults and local ops that happen at given virtual
 * times, and the expectations that must hold once the run has drained. They are the input of
 * {@code chainsim run}; the regression scenarios distilled from public bug reports are written in this format.
 */
package dev.chainkit.examples;
