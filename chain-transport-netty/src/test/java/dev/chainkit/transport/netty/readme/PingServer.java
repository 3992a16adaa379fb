package dev.chainkit.transport.netty.readme;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.transport.netty.NettyNode;
import dev.chainkit.transport.netty.NodeSecrets;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** The README's server: run in its own JVM, in a folder with {@code server.secrets}. */
final class PingServer {

    private PingServer() {
    }

    // README: server
    public static void main(String[] args) {
        NettyNode server = NettyNode.builder(NodeId.of("server"), System.currentTimeMillis())
                .secrets(NodeSecrets.load(Path.of("server.secrets")))   // lines for server and client, chmod 600
                .codec(Ping.CODEC)
                .register(Ping.PROTOCOL, (chain, ask) ->
                        ResponderAction.replyAndTerminate(new Ping.Answer("pong to " + ((Ping.Ask) ask).question())))
                .listen(new InetSocketAddress("127.0.0.1", Integer.getInteger("chainkit.port", 7070)))
                .start();
        System.out.println("listening on " + server.localAddress());   // its thread keeps the JVM up until close()
    }
    // README: end
}
