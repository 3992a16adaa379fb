package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.wire.WireFormatException;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.transport.netty.CloseReason;
import dev.chainkit.transport.netty.NodeSecrets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * The accepting side of the handshake ({@link Handshake}): waits for HELLO, answers CHALLENGE, checks PROOF, then
 * hands the connection to the host as a link. Every refusal closes with its typed reason and changes nothing else.
 * Not API.
 *
 * <p>Thread safety: confined to the connection's event loop.
 */
final class AcceptorHandshake extends ConnectionHandler {

    private Handshake.Hello hello;
    private byte[] transcript;
    private NodeSecrets secrets;

    AcceptorHandshake(Connection connection) {
        super(connection);
    }

    @Override
    void frame(ChannelHandlerContext ctx, int type, ByteBuf frame) {
        if (type == Frames.CLOSE) {
            peerClose(frame);
        } else if (hello == null && type == Frames.HELLO) {
            onHello(ctx, frame);
        } else if (hello != null && type == Frames.PROOF) {
            onProof(frame);
        } else {
            unexpected(type, hello == null ? "before HELLO" : "while waiting for PROOF");
        }
    }

    private void onHello(ChannelHandlerContext ctx, ByteBuf frame) {
        Handshake.Hello h;
        try {
            h = Handshake.readHello(body(frame));
        } catch (Handshake.BadMagicException e) {
            connection.close(CloseReason.BAD_MAGIC, e.detail());
            return;
        } catch (WireFormatException e) {
            connection.close(CloseReason.MALFORMED_FRAME, "HELLO " + e.getMessage());
            return;
        }
        int version = Handshake.negotiate(h.minVersion(), h.maxVersion());
        if (version < 0) {
            connection.close(CloseReason.UNSUPPORTED_VERSION, "the dialer speaks wire versions " + h.minVersion() + ".."
                    + h.maxVersion() + ", this node " + Frames.MIN_VERSION + ".." + Frames.MAX_VERSION);
            return;
        }
        if (h.node().equals(host.id)) {
            connection.close(CloseReason.WRONG_PEER, "a node cannot link to itself ('" + h.node() + "')");
            return;
        }
        secrets = host.secrets; // the secrets as they are when this handshake starts, to its end
        if (!secrets.contains(h.node())) {
            connection.close(CloseReason.UNKNOWN_NODE, "node '" + h.node() + "' has no secret here");
            return;
        }
        if (host.links.replayed(h.nonce())) {
            connection.close(CloseReason.REPLAYED_HANDSHAKE, "HELLO of '" + h.node() + "' reuses a nonce already seen");
            return;
        }
        connection.version = version;
        hello = h;
        byte[] nonce = Handshake.nonce();
        transcript = Handshake.transcript(version, h.node(), h.incarnation(), h.nonce(), host.id, host.incarnation,
                nonce);
        byte[] proof = Handshake.acceptorProof(secrets, h.node(), transcript).orElseThrow();
        WireWriter w = new WireWriter(128);
        Handshake.write(new Handshake.Challenge(version, host.id, host.incarnation, nonce, proof), w);
        ctx.writeAndFlush(Frames.frame(ctx.alloc(), version, Frames.CHALLENGE, w.array(), w.size()));
    }

    private void onProof(ByteBuf frame) {
        byte[] proof;
        try {
            proof = Handshake.readProof(body(frame));
        } catch (WireFormatException e) {
            connection.close(CloseReason.MALFORMED_FRAME, "PROOF " + e.getMessage());
            return;
        }
        NodeId peer = hello.node();
        byte[] expected = Handshake.dialerProof(secrets, peer, transcript).orElseThrow();
        if (!Handshake.same(proof, expected)) {
            connection.close(CloseReason.WRONG_PROOF, "the proof of '" + peer + "' does not verify (wrong secret?)");
            return;
        }
        host.authenticated(connection, peer, hello.incarnation());
    }
}
