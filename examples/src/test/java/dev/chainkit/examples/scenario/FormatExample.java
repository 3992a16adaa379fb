package dev.chainkit.examples.scenario;

/**
 * The example lines of {@code design/scenario-format.md}, copied exactly as the format page writes them, and
 * a scenario that combines them.
 */
final class FormatExample {

    /** "Setting up", verbatim. */
    static final String SETUP = """
            scenario friday-night          # a name for reports (optional; default: the file name)
            seed 42                        # seeds every random choice (optional; default 1)
            network loss=0.1 duplicate=0.05 latency=5ms..80ms   # random faults on every link (optional; default none, latency 1ms..1ms)
            retry initial=100ms multiplier=2 max=2s jitter=0.2  # retransmission schedule override (optional)
            limit 10m                      # virtual-time budget for the whole run (optional; default 10m)
            server hq                      # exactly one server (the backend)
            client judge1 role=judge decide=skip
            client alice role=player:alice decide=purge think=2s
            """;

    /** "Things that happen", verbatim. */
    static final String EVENTS = """
            at 0ms   judge1: a1 = register alice     # a local op made by that node's user; "a1 =" labels it (optional)
            at 10ms  hq: b1 = start                  # the server's own user may make ops too
            at 1s    drop next OpSync judge1 -> hq   # the next message of that kind on that link is lost
            at 1s    drop 3 SyncSuccess hq -> judge1 # the next 3 such messages are lost
            at 1s    duplicate next OpSync judge1 -> hq
            at 1s    delay next ForwardSync hq -> alice by 3s
            at 2s    partition judge1 | hq,alice     # cut every link between the two groups, both ways
            at 4s    heal                            # undo all partitions
            at 5s    crash hq                        # loses all volatile state (chains, caches, timers); its op log survives
            at 6s    restart hq                      # comes back with a new incarnation
            calm at 30s                              # random faults from `network` stop here (default: never)
            """;

    /** Defines {@code a2}, which the format's expectations name but its events do not define. */
    static final String A2 = """
            at 7s    alice: a2 = drop alice
            """;

    /** "Expectations", verbatim. */
    static final String EXPECTATIONS = """
            expect converged                 # all logs identical (op ids and order) and every state equals a replay of its log
            expect quiet                     # no chain in flight, no message in transit, no retransmission pending
            expect log hq = o0 b1 a1         # exact log, by labels, on that node (`all` for every node)
            expect once a1                   # a1 is in every log exactly once
            expect absent a2                 # a2 is in no log (its author dropped it)
            expect messages ForwardSync <= 4 # messages of that kind (or `any`) sent by nodes over the whole run,
                                             # retransmissions included, network duplicates not
            expect outcome a1 = completed    # how the chain that first carried a1 ended for its author: completed | failed | superseded | timed-out
            """;

    /** All of it: setup on lines 1-8, events on 9-19, a2 on 20, expectations on 21-28. */
    static final String ALL = SETUP + EVENTS + A2 + EXPECTATIONS;

    private FormatExample() {
    }
}
