package dev.chainkit.transport.netty;

import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.Responder;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.wire.ProtocolCodec;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The tests' protocol: an {@link Ask} answered by a terminal {@link Answer} with the same number. */
public sealed interface Echo permits Echo.Ask, Echo.Answer {

    /** The opening. */
    record Ask(int n, String text) implements Echo { }

    /** The terminal answer. */
    record Answer(int n, String text) implements Echo { }

    Protocol<Echo> PROTOCOL = Protocol.of("echo", Echo.class, 2);

    ProtocolCodec<Echo> CODEC = ProtocolCodec.builder(PROTOCOL)
            .message(1, Ask.class, (m, out) -> out.writeVarInt(m.n()).writeString(m.text()),
                    in -> new Ask(in.readVarInt(), in.readString()))
            .message(2, Answer.class, (m, out) -> out.writeVarInt(m.n()).writeString(m.text()),
                    in -> new Answer(in.readVarInt(), in.readString()))
            .build();

    /** Completes with the answer's number. */
    static InitiatorAction<Echo, Integer> complete(Echo reply) {
        return InitiatorAction.complete(((Answer) reply).n());
    }

    /**
     * A responder that answers every ask and records each (chain, step) it handled, failing loudly if one comes
     * twice (each step is handled at most once).
     */
    final class Recording implements Responder<Echo> {
        public final Set<String> handled = ConcurrentHashMap.newKeySet();
        public volatile String twice;

        @Override
        public ResponderAction<Echo> onMessage(dev.chainkit.core.ResponderChain chain, Echo message) {
            Ask ask = (Ask) message;
            if (!handled.add(chain.id() + "#" + chain.step())) {
                twice = chain.id() + "#" + chain.step();
            }
            return ResponderAction.replyAndTerminate(new Answer(ask.n(), ask.text()));
        }
    }
}
