package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.wire.WireFormatException;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.transport.netty.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * The dialing side of the handshake ({@link Handshake}): sends HELLO, checks the acceptor's CHALLENGE (the node it
 * meant to reach, holding its secret, not a stale incarnation), answers PROOF, and becomes a link on WELCOME. Not
 * API.
 *
 * <p>Thread safety: confined to the connection's event loop.
 */
final class DialerHandshake extends ConnectionHandler {

    private byte[] nonce;
    private Handshake.Challenge challenge;

    DialerHandshake(Connection connection) {
        super(connection);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        nonce = Handshake.nonce();
        WireWriter w = new WireWriter(96);
        Handshake.write(new Handshake.Hello(Frames.MIN_VERSION, Frames.MAX_VERSION, host.id, host.incarnation, nonce),
                w);
        ctx.writeAndFlush(Frames.frame(ctx.alloc(), Frames.MAX_VERSION, Frames.HELLO, w.array(), w.size()));
        ctx.fireChannelActive();
    }

    @Override
    void frame(ChannelHandlerContext ctx, int type, ByteBuf frame) {
        if (type == Frames.CLOSE) {
            peerClose(frame);
        } else if (challenge == null && type == Frames.CHALLENGE) {
            onChallenge(ctx, frame);
        } else if (challenge != null && type == Frames.WELCOME && frame.readableBytes() == 2) {
            host.authenticated(connection, challenge.node(), challenge.incarnation());
        } else {
            unexpected(type, challenge == null ? "while waiting for CHALLENGE" : "while waiting for WELCOME");
        }
    }

    private void onChallenge(ChannelHandlerContext ctx, ByteBuf frame) {
        Handshake.Challenge c;
        try {
            c = Handshake.readChallenge(body(frame));
        } catch (Handshake.BadMagicException e) {
            connection.close(CloseReason.BAD_MAGIC, e.detail());
            return;
        } catch (WireFormatException e) {
            connection.close(CloseReason.MALFORMED_FRAME, "CHALLENGE " + e.getMessage());
            return;
        }
        if (c.version() < Frames.MIN_VERSION || c.version() > Frames.MAX_VERSION) {
            connection.close(CloseReason.UNSUPPORTED_VERSION, "the acceptor chose wire version " + c.version());
            return;
        }
        if (!c.node().equals(connection.expectedPeer)) {
            connection.close(CloseReason.WRONG_PEER, "dialed '" + connection.expectedPeer + "' but '" + c.node()
                    + "' answered");
            return;
        }
        byte[] transcript = Handshake.transcript(c.version(), host.id, host.incarnation, nonce, c.node(),
                c.incarnation(), c.nonce());
        byte[] expected = Handshake.acceptorProof(host.secrets, host.id, transcript).orElseThrow();
        if (!Handshake.same(c.proof(), expected)) {
            connection.close(CloseReason.WRONG_PROOF, "'" + c.node() + "' does not hold this node's secret");
            return;
        }
        if (host.links.stale(c.node(), c.incarnation())) {
            connection.close(CloseReason.STALE_INCARNATION, "incarnation " + c.incarnation() + " of '" + c.node()
                    + "' is older than " + host.links.highest(c.node()));
            return;
        }
        connection.version = c.version();
        challenge = c;
        byte[] proof = Handshake.dialerProof(host.secrets, host.id, transcript).orElseThrow();
        ctx.writeAndFlush(Frames.frame(ctx.alloc(), c.version(), Frames.PROOF, proof, proof.length));
    }
}
