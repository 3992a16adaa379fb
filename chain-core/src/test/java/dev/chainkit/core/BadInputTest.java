package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.HaggleFixture.deferOffer;
import static dev.chainkit.core.TestNetwork.A;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.C;
import static dev.chainkit.core.TestNetwork.from;
import static dev.chainkit.core.TestNetwork.kind;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Accept;
import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Done;
import dev.chainkit.core.Haggle.Offer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed envelopes are refused with a typed {@link RejectReason}, counted and reported; no chain state changes
 * and nothing throws out of {@link ChainNode#onEnvelope}. Each test hands the envelope to the node directly, as a
 * transport would, while one chain is in flight between the nodes.
 */
class BadInputTest {

    private HaggleFixture f;
    private CompletableFuture<InitiatorAction<Haggle, String>> decision;
    private ChainHandle<String> live;

    @BeforeEach
    void oneChainInFlight() {
        f = new HaggleFixture();
        decision = new CompletableFuture<>();
        live = f.buy("pen", 1, deferOffer(decision));
        f.net.runMillis(50);
        assertEquals(1, f.a.stats().initiatorChains());
        assertEquals(1, f.b.stats().responderChains());
    }

    private static Envelope request(String protocol, ChainId chain, int step, NodeId sender, NodeId receiver,
            EnvelopeKind kind, Object payload) {
        return new Envelope(protocol, chain, step, sender, chain.incarnation(), receiver, 0, kind, payload);
    }

    private static Envelope ask(ChainId chain, int step, Object payload) {
        return request("haggle", chain, step, A, B, EnvelopeKind.STEP, payload);
    }

    private Envelope reply(int step, NodeId sender, EnvelopeKind kind, Object payload) {
        return new Envelope("haggle", live.id(), step, sender, 1, A, 1, kind, payload);
    }

    /** Hands {@code bad} to {@code node} and checks it was refused for {@code reason} without any change. */
    private void assertRefused(ChainNode node, EventRecorder events, Envelope bad, RejectReason reason) {
        NodeStats before = node.stats();
        int sellerCalls = f.seller.calls.total();
        int buyerCalls = f.buyerCalls.total();
        int sent = f.net.sentLog().size();

        assertDoesNotThrow(() -> node.onEnvelope(bad));

        NodeStats after = node.stats();
        assertEquals(1, after.rejected(reason), "rejects: " + after.rejects());
        assertEquals(1, after.rejects().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(before.count(ChainEventType.REJECTED) + 1, after.count(ChainEventType.REJECTED));
        List<ChainEvent> rejected = events.events.stream().filter(e -> e.type() == ChainEventType.REJECTED).toList();
        ChainEvent last = rejected.get(rejected.size() - 1);
        assertTrue(last.detail().startsWith(reason.name()), last.detail());
        assertEquals(before.initiatorChains(), after.initiatorChains());
        assertEquals(before.responderChains(), after.responderChains());
        assertEquals(before.tombstones(), after.tombstones());
        assertEquals(before.count(ChainEventType.HANDLED), after.count(ChainEventType.HANDLED));
        assertEquals(sellerCalls, f.seller.calls.total());
        assertEquals(buyerCalls, f.buyerCalls.total());
        if (reason != RejectReason.UNKNOWN_CHAIN && reason != RejectReason.STALE_RECEIVER
                && reason != RejectReason.UNKNOWN_PROTOCOL) {
            assertEquals(sent, f.net.sentLog().size(), "nothing is answered");
        }
    }

    /** After the refusal, the live chain still completes as if nothing happened. */
    private void liveChainStillCompletes() {
        decision.complete(InitiatorAction.reply(new Accept(10)));
        f.net.runMillis(100);
        completed(live);
        assertEquals(1, f.seller.calls.count(live.id(), 0));
        assertEquals(1, f.seller.calls.count(live.id(), 2));
    }

    @Test
    void nullEnvelopeIsRejected() {
        assertRefused(f.b, f.bEvents, null, RejectReason.NULL_ENVELOPE);
        liveChainStillCompletes();
    }

    @Test
    void envelopeForAnotherNodeIsRejected() {
        assertRefused(f.b, f.bEvents, request("haggle", new ChainId(A, 1, 5), 0, A, C, EnvelopeKind.STEP,
                new Ask("pen", 1)), RejectReason.WRONG_RECEIVER);
        liveChainStillCompletes();
    }

    @Test
    void unknownProtocolIsRejectedAndAnsweredWithItsCause() {
        ChainId barter = new ChainId(A, 1, 5);
        assertRefused(f.b, f.bEvents, request("barter", barter, 0, A, B, EnvelopeKind.STEP, new Ask("pen", 1)),
                RejectReason.UNKNOWN_PROTOCOL);
        // Issue 10: the initiator would otherwise retransmit for its whole deadline; one abort tells it why.
        List<Envelope> aborts = f.net.sent(kind(EnvelopeKind.ABORTED));
        assertEquals(1, aborts.size());
        assertEquals(barter, aborts.get(0).chainId());
        assertEquals(FailureCause.UNKNOWN_PROTOCOL, ((Abort) aborts.get(0).payload()).cause());
        liveChainStillCompletes();
    }

    @Test
    void payloadOfTheWrongTypeIsRejected() {
        assertRefused(f.b, f.bEvents, ask(live.id(), 2, "accept, please"), RejectReason.PAYLOAD_TYPE);
        liveChainStillCompletes();
    }

    @Test
    void payloadRefusedByTheProtocolIsRejected() {
        assertRefused(f.b, f.bEvents, ask(new ChainId(A, 1, 5), 0, new Ask("pen", 0)), RejectReason.PAYLOAD_INVALID);
        assertEquals(0, f.seller.calls.count(new ChainId(A, 1, 5)));
        liveChainStillCompletes();
    }

    @Test
    void oddStepFromTheInitiatorIsRejected() {
        assertRefused(f.b, f.bEvents, ask(live.id(), 1, new Accept(1)), RejectReason.BAD_STEP);
        liveChainStillCompletes();
    }

    @Test
    void evenStepFromTheResponderIsRejected() {
        assertRefused(f.a, f.aEvents, reply(2, B, EnvelopeKind.STEP, new Offer("pen", 1)), RejectReason.BAD_STEP);
        liveChainStillCompletes();
    }

    @Test
    void terminalKindFromTheInitiatorIsRejected() {
        assertRefused(f.b, f.bEvents, request("haggle", live.id(), 2, A, B, EnvelopeKind.TERMINAL, new Accept(1)),
                RejectReason.BAD_KIND);
        liveChainStillCompletes();
    }

    @Test
    void requestFromANodeThatDidNotOpenTheChainIsRejected() {
        assertRefused(f.b, f.bEvents, request("haggle", live.id(), 2, C, B, EnvelopeKind.STEP, new Accept(1)),
                RejectReason.WRONG_SENDER);
        liveChainStillCompletes();
    }

    @Test
    void replyFromANodeOtherThanThePeerIsRejected() {
        assertRefused(f.a, f.aEvents, reply(1, C, EnvelopeKind.STEP, new Offer("pen", 1)), RejectReason.WRONG_SENDER);
        liveChainStillCompletes();
    }

    @Test
    void replyOfTheWrongTypeIsRejected() {
        assertRefused(f.a, f.aEvents, reply(3, B, EnvelopeKind.TERMINAL, "done"), RejectReason.PAYLOAD_TYPE);
        liveChainStillCompletes();
    }

    @Test
    void replyRefusedByTheProtocolIsRejected() {
        assertRefused(f.a, f.aEvents, reply(3, B, EnvelopeKind.TERMINAL, new Ask("pen", -1)),
                RejectReason.PAYLOAD_INVALID);
        liveChainStillCompletes();
    }

    @Test
    void nonOpeningStepOfAnUnknownChainIsRejectedAndAborted() {
        ChainId unknown = new ChainId(A, 1, 9);
        assertRefused(f.b, f.bEvents, ask(unknown, 2, new Accept(1)), RejectReason.UNKNOWN_CHAIN);
        f.net.runMillis(1);
        List<Envelope> aborts = f.net.sent(kind(EnvelopeKind.ABORTED));
        assertEquals(1, aborts.size());
        assertEquals(unknown, aborts.get(0).chainId());
        assertEquals(3, aborts.get(0).step());
        assertEquals(0, f.seller.calls.count(unknown));
        liveChainStillCompletes();
    }

    @Test
    void supersededReplyWithAPayloadOfTheWrongTypeIsRejected() {
        // The same live chain gets a well-formed terminal afterwards and completes with it.
        assertRefused(f.a, f.aEvents, reply(1, B, EnvelopeKind.SUPERSEDED, 42), RejectReason.PAYLOAD_TYPE);
        assertEquals(0, f.net.count(from(A).and(kind(EnvelopeKind.ABORTED))));
        liveChainStillCompletes();
        assertTrue(f.net.sent(TestNetwork.payload(Done.class)).size() == 1);
    }
}
