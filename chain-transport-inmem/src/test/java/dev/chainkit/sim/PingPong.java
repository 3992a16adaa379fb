package dev.chainkit.sim;

import dev.chainkit.core.ChainNode;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.Protocol;
import dev.chainkit.core.ResponderAction;
import java.util.ArrayList;
import java.util.List;

/** A two- or four-step test protocol: Ping, Pong (terminal), or Ping, Pong, Ping, Pong (terminal). */
final class PingPong {

    sealed interface Msg permits Ping, Pong { }

    record Ping(int n) implements Msg { }

    record Pong(int n) implements Msg { }

    static final Protocol<Msg> PROTOCOL = Protocol.of("ping", Msg.class, 4);

    private PingPong() {
    }

    /** Answers pings; with {@code rounds} 2, the first ping of a chain gets a non-terminal pong. */
    static final class Server {
        int handled;

        static Server on(NodeContext ctx, int rounds) {
            Server s = new Server();
            ctx.node().register(PROTOCOL, (chain, m) -> {
                s.handled++;
                Pong pong = new Pong(((Ping) m).n());
                return rounds == 2 && chain.step() == 0 ? ResponderAction.reply(pong)
                        : ResponderAction.replyAndTerminate(pong);
            });
            return s;
        }
    }

    /** Opens ping chains and records their outcomes. */
    static final class Client {
        final ChainNode node;
        final List<Outcome<Integer>> outcomes = new ArrayList<>();

        Client(NodeContext ctx) {
            this.node = ctx.node();
        }

        void ping(NodeId to, int n) {
            node.start(PROTOCOL, to, new Ping(n), (chain, reply) -> chain.terminal()
                    ? InitiatorAction.<Msg, Integer>complete(((Pong) reply).n())
                    : InitiatorAction.<Msg, Integer>reply(new Ping(n)))
                    .outcome().thenAccept(outcomes::add);
        }

        long completed() {
            return outcomes.stream().filter(o -> o instanceof Outcome.Completed).count();
        }
    }

    /** A simulation with a server {@code b} and a client {@code a}. */
    static final class Pair {
        final Simulation sim;
        final SimNode<Server> b;
        final SimNode<Client> a;

        Pair(Simulation sim, int rounds) {
            this.sim = sim;
            this.b = sim.addNode("b", ctx -> Server.on(ctx, rounds));
            this.a = sim.addNode("a", Client::new);
        }

        Pair(Simulation sim) {
            this(sim, 1);
        }

        /** Starts {@code count} ping chains from a to b now. */
        void pings(int count) {
            for (int i = 0; i < count; i++) {
                a.app().ping(b.id(), i);
            }
        }
    }
}
