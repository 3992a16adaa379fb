package dev.chainkit.bench.p1;

/** The shared shape of the three P1 benchmarks. */
final class P1 {

    /** Chains (or round trips) kept in flight. */
    static final int WINDOW = 1024;
    /** Chains (or round trips) completed per benchmark invocation. */
    static final int BATCH = 100_000;

    private P1() { }
}
