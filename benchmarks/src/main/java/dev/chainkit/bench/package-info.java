/**
 * The benchmark suite behind {@code ./bench [--quick]} and docs/BENCHMARKS.md: P1 engine throughput against a
 * bare queue and a hand-written baseline, P2 simulator speed, P3 sync cost against history length, P4 retained
 * memory, P5 retransmissions against loss. {@link dev.chainkit.bench.Bench} runs them all.
 *
 * <p>Design notes: these are measurements, never assertions. No unit test here or anywhere else asserts a speed;
 * each figure is printed beside its reference from the same run, as a ratio, because the machines are shared.
 */
package dev.chainkit.bench;
