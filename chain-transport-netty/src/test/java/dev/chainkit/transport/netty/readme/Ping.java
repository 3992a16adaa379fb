package dev.chainkit.transport.netty.readme;

import dev.chainkit.core.Protocol;
import dev.chainkit.core.wire.ProtocolCodec;

// README: ping
sealed interface Ping permits Ping.Ask, Ping.Answer {
    record Ask(String question) implements Ping { }
    record Answer(String text) implements Ping { }

    Protocol<Ping> PROTOCOL = Protocol.of("ping", Ping.class, 2);
    ProtocolCodec<Ping> CODEC = ProtocolCodec.builder(PROTOCOL)                // a stable tag per message
            .message(1, Ask.class, (m, out) -> out.writeString(m.question()), in -> new Ask(in.readString()))
            .message(2, Answer.class, (m, out) -> out.writeString(m.text()), in -> new Answer(in.readString()))
            .build();
}
// README: end
