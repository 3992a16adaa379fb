package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.SETTINGS;
import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.TestNetwork.A;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Accept;
import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Done;
import dev.chainkit.core.Haggle.Offer;
import org.junit.jupiter.api.Test;

/** Promise 1: a chain id is initiator + incarnation + sequence; envelopes carry every field needed to place them. */
class IdentityTest {

    @Test
    void chainIdsAreInitiatorIncarnationAndIncreasingSequence() {
        TestNetwork net = new TestNetwork();
        ChainNode a = net.attach(net.builder(A, 3).settings(SETTINGS).build());
        ChainHandle<String> first = a.start(Haggle.PROTOCOL, B, new Ask("pen", 1), new Buyer(new Calls()));
        ChainHandle<String> second = a.start(Haggle.PROTOCOL, B, new Ask("pen", 1), new Buyer(new Calls()));

        assertEquals(new ChainId(A, 3, 1), first.id());
        assertEquals(new ChainId(A, 3, 2), second.id());
        assertEquals("a/3/1", first.id().toString());
        assertNotEquals(new ChainId(A, 3, 1), new ChainId(A, 4, 1), "the incarnation tells restarts apart");
    }

    @Test
    void envelopesCarryChainStepSenderReceiverAndIncarnations() {
        TestNetwork net = new TestNetwork();
        ChainNode a = net.attach(net.builder(A, 3).settings(SETTINGS).build());
        ChainNode b = net.attach(net.builder(B, 5).settings(SETTINGS).build());
        b.register(Haggle.PROTOCOL, new Seller());
        ChainHandle<String> h = a.start(Haggle.PROTOCOL, B, new Ask("pen", 2), new Buyer(new Calls()));
        net.runMillis(100);
        completed(h);

        assertEquals(new Envelope("haggle", h.id(), 0, A, 3, B, 0, EnvelopeKind.STEP, new Ask("pen", 2)),
                net.sent(payload(Ask.class)).get(0), "an opening does not know the receiver's incarnation yet");
        assertEquals(new Envelope("haggle", h.id(), 1, B, 5, A, 3, EnvelopeKind.STEP, new Offer("pen", 20)),
                net.sent(payload(Offer.class)).get(0));
        assertEquals(new Envelope("haggle", h.id(), 2, A, 3, B, 5, EnvelopeKind.STEP, new Accept(20)),
                net.sent(payload(Accept.class)).get(0), "learned from the first reply");
        Envelope done = net.sent(payload(Done.class)).get(0);
        assertEquals(3, done.step());
        assertEquals(EnvelopeKind.TERMINAL, done.kind());
        assertTrue(done.terminal());
        assertEquals("Done", done.messageKind());
    }

    @Test
    void idsAndEnvelopesRefuseImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> new ChainId(A, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ChainId(A, 1, 0));
        assertThrows(NullPointerException.class, () -> new ChainId(null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> NodeId.of("1abc"));
        assertThrows(IllegalArgumentException.class, () -> ChainNode.builder(A, 0));
        ChainId id = new ChainId(A, 1, 1);
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope("haggle", id, -1, A, 1, B, 0, EnvelopeKind.STEP, new Ask("pen", 1)));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope("haggle", id, 0, A, 0, B, 0, EnvelopeKind.STEP, new Ask("pen", 1)));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope("haggle", id, 0, A, 1, A, 0, EnvelopeKind.STEP, new Ask("pen", 1)));
        assertThrows(NullPointerException.class,
                () -> new Envelope("haggle", id, 0, A, 1, B, 0, EnvelopeKind.STEP, null));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope("haggle", id, 1, B, 1, A, 1, EnvelopeKind.ABORTED, 42));
        assertEquals("Busy", new Envelope("haggle", id, 1, B, 1, A, 1, EnvelopeKind.BUSY, null).messageKind());
    }

    @Test
    void builderNeedsTransportClockAndScheduler() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ChainNode.builder(A, 1).build());
        assertTrue(e.getMessage().contains("transport") && e.getMessage().contains("clock"), e.getMessage());
    }
}
