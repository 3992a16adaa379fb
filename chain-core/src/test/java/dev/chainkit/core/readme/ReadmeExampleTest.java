package dev.chainkit.core.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.time.VirtualTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's "define a protocol" example, kept compiling and passing here. Keep the two in step. */
class ReadmeExampleTest {

    // README:BEGIN
    /** The protocol's vocabulary: one sealed interface, its records beside it. */
    sealed interface Ping permits Ask, Answer { }

    record Ask(String question) implements Ping { }

    record Answer(String text) implements Ping { }

    /** Two steps: Ask (0), then Answer (1, terminal). */
    static final Protocol<Ping> PING = Protocol.of("ping", Ping.class, 2);

    @Test
    void pingCompletesAcrossALossyHop() {
        VirtualTime time = new VirtualTime();                      // virtual clock + scheduler
        Map<NodeId, ChainNode> nodes = new HashMap<>();
        int[] sent = {0};
        for (String name : new String[] {"client", "server"}) {
            ChainNode node = ChainNode.builder(NodeId.of(name), 1)
                    .clock(time)
                    .scheduler(time)
                    .transport(envelope -> {                       // lose the very first envelope, 5 ms latency
                        if (sent[0]++ > 0) {
                            time.schedule(5_000_000, () -> nodes.get(envelope.receiver()).onEnvelope(envelope));
                        }
                    })
                    .build();
            nodes.put(node.id(), node);
        }
        nodes.get(NodeId.of("server")).register(PING, (chain, message) ->
                ResponderAction.replyAndTerminate(new Answer("pong to " + ((Ask) message).question())));

        ChainHandle<String> chain = nodes.get(NodeId.of("client")).start(PING, NodeId.of("server"),
                new Ask("hello"), (c, reply) -> InitiatorAction.complete(((Answer) reply).text()));

        time.advanceBy(Duration.ofSeconds(1));                     // the lost Ask is retransmitted
        assertEquals(new Outcome.Completed<>("pong to hello"), chain.outcome().join());
    }
    // README:END
}
