/**
 * Examples and tools built on chainkit: {@code chainsim}, the command line that plays the op-log sync of a
 * tournament on the deterministic simulated network, and a second protocol on the same engine.
 *
 * <ul>
 *   <li>{@link dev.chainkit.examples.Chainsim}: the command line ({@code chainsim}, {@code chainsim run}); with no
 *   arguments it plays the built-in Friday-night scenario.</li>
 *   <li>{@link dev.chainkit.examples.scenario}: scenario files ({@code .scn}), read and written: a network, a
 *   server and its clients, the faults and local ops that happen at given virtual times, and the expectations
 *   that must hold once the run has drained.</li>
 *   <li>{@link dev.chainkit.examples.run}: plays a scenario ({@link dev.chainkit.examples.run.ScenarioRun}) and
 *   reports on it ({@link dev.chainkit.examples.run.RunReport}, {@link dev.chainkit.examples.run.RunSummary}).</li>
 *   <li>{@link dev.chainkit.examples.cluster}: the simulated tournament sync that scenarios and property checks
 *   share.</li>
 *   <li>{@link dev.chainkit.examples.confirm}: match-result confirmation between two player phones, a second
 *   protocol built on {@code chain-core} alone.</li>
 * </ul>
 *
 * <p>The shipped scenarios live in {@code examples/scenarios/} and are on the class path under
 * {@code scenarios/}: the default {@code friday-night.scn}, one per case of the design note under {@code note/},
 * and the regressions distilled from public bug reports under {@code regressions/}.
 */
package dev.chainkit.examples;
