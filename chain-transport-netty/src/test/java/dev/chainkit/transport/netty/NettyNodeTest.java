package dev.chainkit.transport.netty;

import static dev.chainkit.transport.netty.Loopback.FAST;
import static dev.chainkit.transport.netty.Loopback.anyPort;
import static dev.chainkit.transport.netty.Loopback.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.FailureCause;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.ResponderAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NettyNodeTest {

    @Test
    void twoNodesCompleteChainsOverLoopbackAndLeaveNoThread() throws Exception {
        ThreadLeaks leaks = ThreadLeaks.snapshot();
        NodeSecrets secrets = NodeSecrets.generate(List.of(id("server"), id("client")));
        Echo.Recording responder = new Echo.Recording();
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(id("server"), 1).secrets(secrets).codec(Echo.CODEC)
                    .register(Echo.PROTOCOL, responder).settings(FAST).listen(anyPort()).start());
            NettyNode client = net.track(NettyNode.builder(id("client"), 1).secrets(secrets.only(id("client")))
                    .codec(Echo.CODEC).settings(FAST).peer(id("server"), server.localAddress()).start());
            List<ChainHandle<Integer>> chains = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                chains.add(client.call(node -> node.start(Echo.PROTOCOL, id("server"), new Echo.Ask(n, "é" + n),
                        (c, reply) -> Echo.complete(reply))).get(5, TimeUnit.SECONDS));
            }
            for (int i = 0; i < chains.size(); i++) {
                assertEquals(new Outcome.Completed<>(i), chains.get(i).outcome().get(10, TimeUnit.SECONDS));
            }
            assertEquals(200, responder.handled.size());
            assertNull(responder.twice);
            assertEquals(Set.of(id("server")), client.linkedPeers());
            assertEquals(Set.of(id("client")), server.linkedPeers());
            assertEquals(1, server.stats().linksEstablished());
            assertTrue(server.stats().envelopesReceived() >= 200);
        }
        leaks.assertNoneLeft();
    }

    @Test
    void closeFailsOpenChainsAndTellsThePeer() throws Exception {
        NodeSecrets secrets = NodeSecrets.generate(List.of(id("server"), id("client")));
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(id("server"), 1).secrets(secrets).codec(Echo.CODEC)
                    .register(Echo.PROTOCOL, (chain, m) -> ResponderAction.defer(new CompletableFuture<>()))
                    .settings(FAST).listen(anyPort()).start());
            NettyNode client = net.track(NettyNode.builder(id("client"), 1).secrets(secrets).codec(Echo.CODEC)
                    .settings(FAST).peer(id("server"), server.localAddress()).start());
            Loopback.await("link up", Duration.ofSeconds(5), () -> server.linkedPeers().contains(id("client")));
            ChainHandle<Integer> open = client.call(node -> node.start(Echo.PROTOCOL, id("server"),
                    new Echo.Ask(1, "never answered"), (c, reply) -> Echo.complete(reply))).get(5, TimeUnit.SECONDS);
            client.close();
            Outcome<Integer> closed = open.outcome().get(5, TimeUnit.SECONDS);
            assertTrue(closed instanceof Outcome.Failed<Integer> f && f.cause() == FailureCause.NODE_CLOSED,
                    closed.toString());
            Loopback.await("server hears NODE_CLOSED", Duration.ofSeconds(5),
                    () -> server.stats().closedByPeer(CloseReason.NODE_CLOSED) == 1);
            // the CLOSE frame is counted when read; the link leaves the table when its channel has closed, just after
            Loopback.await("server drops the link", Duration.ofSeconds(5), () -> server.linkedPeers().isEmpty());
        }
    }

    @Test
    void aChainOfAProtocolThePeerDoesNotSpeakFailsAtOnceWithThatCause() throws Exception {
        NodeSecrets secrets = NodeSecrets.generate(List.of(id("server"), id("client")));
        try (Loopback net = new Loopback()) {
            NettyNode server = net.track(NettyNode.builder(id("server"), 1).secrets(secrets).settings(FAST)
                    .listen(anyPort()).start());
            NettyNode client = net.track(NettyNode.builder(id("client"), 1).secrets(secrets).codec(Echo.CODEC)
                    .settings(FAST).peer(id("server"), server.localAddress()).start());
            ChainHandle<Integer> chain = client.call(node -> node.start(Echo.PROTOCOL, id("server"),
                    new Echo.Ask(1, "anyone?"), (c, reply) -> Echo.complete(reply))).get(5, TimeUnit.SECONDS);
            Outcome<Integer> outcome = chain.outcome().get(5, TimeUnit.SECONDS);
            assertTrue(outcome instanceof Outcome.Failed<Integer> f && f.cause() == FailureCause.UNKNOWN_PROTOCOL,
                    outcome.toString());
            assertEquals(0, client.stats().dropped(DropReason.UNKNOWN_PROTOCOL));
        }
    }

    @Test
    void startRefusesWhatCannotWork() {
        NodeSecrets secrets = NodeSecrets.generate(List.of(id("server")));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NettyNode.builder(id("client"), 1)
                .secrets(secrets).codec(Echo.CODEC).peer(id("server"), anyPort()).start());
        assertTrue(e.getMessage().contains("its secrets have no line for 'client'"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> NettyNode.builder(id("server"), 1).secrets(secrets)
                .register(Echo.PROTOCOL, new Echo.Recording()).listen(anyPort()).start());
        assertTrue(e.getMessage().contains("no codec for it"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> NettyNode.builder(id("server"), 1).listen(anyPort())
                .start());
        assertTrue(e.getMessage().contains("needs secrets"), e.getMessage());
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        NodeSecrets secrets = NodeSecrets.generate(List.of(id("a"), id("b")));
        try (NettyNode a = NettyNode.builder(id("a"), 1).secrets(secrets).listen(anyPort()).start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> NettyNode.builder(id("b"), 1)
                    .secrets(secrets).listen(a.localAddress()).start());
            assertTrue(e.getMessage().contains("cannot listen on"), e.getMessage());
        }
    }
}
