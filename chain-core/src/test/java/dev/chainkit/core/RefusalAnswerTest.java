package dev.chainkit.core;

import static dev.chainkit.core.HaggleFixture.SETTINGS;
import static dev.chainkit.core.HaggleFixture.completed;
import static dev.chainkit.core.HaggleFixture.neverDecide;
import static dev.chainkit.core.HaggleFixture.outcome;
import static dev.chainkit.core.TestNetwork.A;
import static dev.chainkit.core.TestNetwork.B;
import static dev.chainkit.core.TestNetwork.chain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Ask;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: a request the responder refuses because of who sent it is answered with a typed abort, so its
 * initiator fails at once and knows why, instead of retransmitting for its whole deadline or, worse, getting
 * another chain's answer. Each refusal is answered once; nothing answers an answer.
 */
class RefusalAnswerTest {

    /** A 2-step protocol: a text, echoed back in the terminal reply. */
    record Echo(String text) { }

    static final Protocol<Echo> ECHO = Protocol.of("echo", Echo.class, 2);

    private static ChainHandle<String> echo(ChainNode from, String text) {
        return from.start(ECHO, B, new Echo(text), (chain, reply) -> InitiatorAction.complete(reply.text()));
    }

    /** A fixture whose b also echoes. */
    private static HaggleFixture withEcho(NodeSettings bSettings) {
        HaggleFixture f = new HaggleFixture(SETTINGS, bSettings);
        f.b.register(ECHO, (chain, m) -> ResponderAction.replyAndTerminate(new Echo("re: " + m.text())));
        return f;
    }

    private static ChainNode restartA(HaggleFixture f, ChainNode old, long incarnation) {
        old.close();
        return f.net.attach(f.net.builder(A, incarnation).settings(SETTINGS).build());
    }

    /** Checks {@code h} failed for {@code cause}, with the envelopes sent since {@code mark} (a sent-log size). */
    private static void assertFailedAtOnce(HaggleFixture f, int mark, ChainHandle<?> h, FailureCause cause) {
        Outcome<?> o = outcome(h);
        assertTrue(o instanceof Outcome.Failed<?> failed && failed.cause() == cause, o.toString());
        List<Envelope> since = f.net.sentLog().subList(mark, f.net.sentLog().size()).stream()
                .map(TestNetwork.Sent::envelope).filter(chain(h.id())).toList();
        assertEquals(2, since.size(), "the opening, once (the answer came before any retransmission), and the"
                + " answer, once (nothing answers it): " + since);
        assertEquals(A, since.get(0).sender());
        assertEquals(EnvelopeKind.ABORTED, since.get(1).kind());
        assertEquals(cause, ((Abort) since.get(1).payload()).cause());
    }

    @Test
    void aPeerWhoseIncarnationWentBackIsToldAtOnce() {
        HaggleFixture f = withEcho(SETTINGS);
        ChainNode a5 = restartA(f, f.a, 5);
        assertEquals("re: hello", completed(runOne(f, a5, "hello")));

        ChainNode a3 = restartA(f, a5, 3); // its incarnation source went back (a clock set back, say)
        int mark = f.net.sentLog().size();
        ChainHandle<String> h = echo(a3, "again");
        f.net.runMillis(50);

        assertFailedAtOnce(f, mark, h, FailureCause.INCARNATION_REGRESSED);
        assertEquals(1, f.b.stats().rejected(RejectReason.STALE_SENDER));
    }

    @Test
    void aReusedIncarnationNeverGetsAnOldChainsAnswer() {
        HaggleFixture f = withEcho(SETTINGS);
        ChainHandle<String> old = runOne(f, f.a, "first");
        assertEquals("re: first", completed(old));

        ChainNode again = restartA(f, f.a, 1); // restarted without a new incarnation: sequences from 1 again
        int mark = f.net.sentLog().size();
        ChainHandle<String> fresh = echo(again, "second");
        f.net.runMillis(50);

        assertEquals(old.id(), fresh.id(), "the same chain id, for another request");
        assertFailedAtOnce(f, mark, fresh, FailureCause.INCARNATION_REUSED);
        assertEquals(1, f.b.stats().rejected(RejectReason.INCARNATION_REUSED));
        assertEquals(0, f.b.stats().count(ChainEventType.DUPLICATE_ANSWERED), "not answered from the tombstone");
    }

    @Test
    void aReusedIncarnationIsRefusedWhileTheOldChainIsInFlight() {
        HaggleFixture f = withEcho(SETTINGS);
        f.buy("pen", 1, neverDecide());
        f.net.runMillis(50);
        assertEquals(1, f.b.stats().responderChains());

        ChainNode again = restartA(f, f.a, 1);
        int mark = f.net.sentLog().size();
        ChainHandle<String> fresh = again.start(Haggle.PROTOCOL, B, new Ask("ink", 2), new Buyer(new Calls()));
        f.net.runMillis(50);

        assertFailedAtOnce(f, mark, fresh, FailureCause.INCARNATION_REUSED);
        assertEquals(1, f.seller.calls.count(fresh.id(), 0), "only the old chain's opening was handled");
    }

    @Test
    void aReusedIncarnationsOpeningOfAForgottenSequenceIsToldItIsLate() {
        HaggleFixture f = withEcho(SETTINGS.withDedupWindow(Duration.ofSeconds(3)));
        assertEquals("re: first", completed(runOne(f, f.a, "first")));
        f.net.runMillis(3000); // b forgot the chain

        ChainNode again = restartA(f, f.a, 1);
        int mark = f.net.sentLog().size();
        ChainHandle<String> fresh = echo(again, "second");
        f.net.runMillis(50);

        assertFailedAtOnce(f, mark, fresh, FailureCause.LATE_OPENING);
        assertEquals(1, f.b.stats().rejected(RejectReason.LATE_OPENING));
    }

    @Test
    void aChainOfAProtocolTheResponderDoesNotSpeakFailsAtOnce() {
        HaggleFixture f = new HaggleFixture();
        ChainHandle<String> h = echo(f.a, "anyone?"); // b speaks haggle only
        f.net.runMillis(50);

        assertFailedAtOnce(f, 0, h, FailureCause.UNKNOWN_PROTOCOL);
        Outcome.Failed<?> failed = (Outcome.Failed<?>) outcome(h);
        assertTrue(failed.reason().contains("no responder for protocol 'echo'"), failed.reason());
        assertEquals(0, f.a.stats().count(ChainEventType.RETRANSMITTED));
    }

    private static ChainHandle<String> runOne(HaggleFixture f, ChainNode from, String text) {
        ChainHandle<String> h = echo(from, text);
        f.net.runMillis(100);
        return h;
    }
}
