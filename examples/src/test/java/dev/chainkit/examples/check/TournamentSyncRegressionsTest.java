package dev.chainkit.examples.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.sim.check.PropertyRunner;
import org.junit.jupiter.api.Test;

/**
 * Seeds the property sweep once failed on, each a named regression. The fixes are to the kind of fault, not the
 * case; each seed replays the run that found it ({@code -Dchainkit.seed=N} on {@code TournamentSyncProperties}).
 */
class TournamentSyncRegressionsTest {

    private final TournamentSyncCheck check = new TournamentSyncCheck(SweepConfig.defaults());

    /**
     * A forward reached a client in the instant between the end of its sync and the start of the next; it was
     * deferred to a sync that never started (nothing was pending), and the client missed the op for good. Fixed in
     * {@code OplogClient}: a forward deferred while no sync is in flight makes the next sync start and fetch it.
     */
    @Test
    void seed81391aForwardDeferredJustAfterASyncEndedIsStillFetched() {
        PropertyRunner.assertHolds(check, 81391);
    }

    /**
     * A late copy of a sync's opening reached the server's next incarnation, which answered it as new; the client's
     * engine counted that answer to an old step as the server breaking the protocol. Fixed in {@code ChainNode}: a
     * reply to an old step is stale before any incarnation is blamed.
     */
    @Test
    void seed67444anAnswerToAnOldStepFromARestartedServerIsStale() {
        PropertyRunner.assertHolds(check, 67444);
    }

    /**
     * A client handled a forward, its answer was lost, it crashed and restarted, and the retransmitted forward
     * reached its new incarnation, which handled it again: "the same step handled twice" across a restart, which
     * no engine can prevent without persisting its reply cache. The audit now judges it per incarnation
     * ({@code ChainAudit#attach}); the op log's own dedup makes the repeat harmless.
     */
    @Test
    void seeds15And27And30aRestartedResponderMayMeetAStepItsPreviousLifeHandled() {
        PropertyRunner.assertHolds(check, 15);
        PropertyRunner.assertHolds(check, 27);
        PropertyRunner.assertHolds(check, 30);
    }

    /**
     * The sweep's own catch of {@code own01-slow-decision-loop}: a user who thinks about 80 s, longer than the
     * chain's deadline, about one conflict (the same name registered on the server and on the client at once). With
     * the answer lost with its chain, the client synced again, was asked again, and never went quiet. Fixed in
     * {@code OplogClient}: the answer outlives its chain.
     */
    @Test
    void seed246aSlowUsersAnswerOutlivesItsChain() {
        ClusterShape shape = check.shape(246);
        assertTrue(shape.clients().get(0).think().toMillis() > ClusterShape.MIN_SLOW_THINK_MS, shape.toString());
        PropertyRunner.assertHolds(check, 246);
    }

    /**
     * The sweep's own catch of {@code own02-quiet-client-long-outage}: a client whose user makes no ops is cut off
     * for almost six minutes while the server's user makes an op. The server gave up forwarding after a few
     * failures and the client, which never syncs, stayed behind for good. Fixed in {@code OplogServer}: it keeps
     * forwarding with a capped backoff.
     */
    @Test
    void seed333aQuietClientCutOffForMinutesIsStillBroughtUpToDate() {
        ClusterShape shape = check.shape(333);
        assertTrue(shape.outage().isPresent() && !shape.outage().get().crash()
                && shape.outage().get().length().compareTo(ClusterShape.MIN_OUTAGE) >= 0, shape.toString());
        PropertyRunner.assertHolds(check, 333);
    }
}
