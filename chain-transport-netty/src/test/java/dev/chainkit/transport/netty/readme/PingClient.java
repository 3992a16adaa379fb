package dev.chainkit.transport.netty.readme;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.NodeId;
import dev.chainkit.transport.netty.NettyNode;
import dev.chainkit.transport.netty.NodeSecrets;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** The README's client: run in its own JVM, in a folder with {@code client.secrets}. */
final class PingClient {

    private PingClient() {
    }

    // README: client
    public static void main(String[] args) {
        try (NettyNode client = NettyNode.builder(NodeId.of("client"), System.currentTimeMillis())
                .secrets(NodeSecrets.load(Path.of("client.secrets")))   // its own line only, chmod 600
                .codec(Ping.CODEC)
                .peer(NodeId.of("server"), new InetSocketAddress("127.0.0.1", Integer.getInteger("chainkit.port", 7070)))
                .start()) {
            ChainHandle<String> chain = client.call(node -> node.start(Ping.PROTOCOL, NodeId.of("server"),
                    new Ping.Ask("hello"), (c, reply) -> InitiatorAction.complete(((Ping.Answer) reply).text()))).join();
            System.out.println(chain.outcome().join());                 // Completed[result=pong to hello]
        }
    }
    // README: end
}
