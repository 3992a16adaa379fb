package dev.chainkit.bench;

import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.Responder;
import dev.chainkit.core.ResponderAction;

/**
 * The 2-step protocol every engine figure uses: a {@link Request} answered by a terminal {@link Reply}. Payloads
 * and actions are shared constants, so a figure measures the engine and the transport, not payload allocation.
 *
 * <p>Thread safety: immutable.
 */
public sealed interface Ping permits Ping.Request, Ping.Reply {

    /** The opening message. */
    record Request() implements Ping { }

    /** The terminal reply. */
    record Reply() implements Ping { }

    /** The opening every chain sends. */
    Request REQUEST = new Request();
    /** The reply every chain gets. */
    Reply REPLY = new Reply();
    /** Name, message type, 2 steps, no subject. */
    Protocol<Ping> PROTOCOL = Protocol.of("ping", Ping.class, 2);
    /** The responder: answers every request with the terminal reply. */
    Responder<Ping> RESPONDER = new Responder<>() {
        private final ResponderAction<Ping> answer = ResponderAction.replyAndTerminate(REPLY);

        @Override
        public ResponderAction<Ping> onMessage(dev.chainkit.core.ResponderChain chain, Ping message) {
            return answer;
        }
    };

    /** The initiator handler: completes on the reply. Stateless, so one instance serves every chain. */
    static dev.chainkit.core.Initiator<Ping, Void> initiator() {
        return Handler.INSTANCE;
    }

    /** The shared initiator handler. */
    final class Handler implements dev.chainkit.core.Initiator<Ping, Void> {
        static final Handler INSTANCE = new Handler();
        private static final InitiatorAction<Ping, Void> DONE = InitiatorAction.complete(null);

        private Handler() { }

        @Override
        public InitiatorAction<Ping, Void> onReply(dev.chainkit.core.InitiatorChain chain, Ping reply) {
            return DONE;
        }
    }
}
