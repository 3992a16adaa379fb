package dev.chainkit.transport.netty.internal;

import dev.chainkit.core.NodeId;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.transport.netty.CloseReason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one connection, from accept (or connect) to close: its side, its handshake deadline, the link it
 * became, and why it closed. Every close goes through here, so each is counted once with one typed reason. Not API.
 *
 * <p>Thread safety: confined to the node's event loop.
 */
final class Connection {

    static final AttributeKey<Connection> KEY = AttributeKey.valueOf("chainkit.connection");
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final int MAX_DETAIL = 200;

    final NodeHost host;
    final Channel channel;
    /** Whether this node dialed the connection. */
    final boolean dialed;
    /** The node the dialer meant to reach; null on the accepting side. */
    final NodeId expectedPeer;
    FrameDecoder decoder;
    Link link;
    /** Whether frames travel as WebSocket messages (one binary message per frame written). */
    boolean webSocket;
    int version = Frames.MAX_VERSION;
    private ScheduledFuture<?> deadline;
    private CloseReason reason;
    private boolean byPeer;
    private boolean inactive;

    Connection(NodeHost host, Channel channel, boolean dialed, NodeId expectedPeer) {
        this.host = host;
        this.channel = channel;
        this.dialed = dialed;
        this.expectedPeer = expectedPeer;
        channel.attr(KEY).set(this);
    }

    static Connection of(Channel channel) {
        return channel.attr(KEY).get();
    }

    /** Starts the handshake deadline: a connection that is not a link by then closes as HANDSHAKE_TIMEOUT. */
    void startDeadline(long timeoutNs) {
        deadline = channel.eventLoop().schedule(() -> {
            if (link == null) {
                close(CloseReason.HANDSHAKE_TIMEOUT, "no completed handshake within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
            }
        }, timeoutNs, TimeUnit.NANOSECONDS);
    }

    void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** Why it closed, or null while open. */
    CloseReason reason() {
        return reason;
    }

    /** Whether it is closing or closed. */
    boolean closing() {
        return reason != null;
    }

    /**
     * This node closes the connection for {@code why}: counted once; where the peer can still hear it, a CLOSE
     * frame tells it why first (best effort: never waits for a slow reader).
     */
    void close(CloseReason why, String detail) {
        if (reason != null) {
            return;
        }
        reason = why;
        host.counters.closed(why, false);
        if (why == CloseReason.NODE_CLOSED || why == CloseReason.REPLACED || why == CloseReason.DUPLICATE_LINK) {
            log.debug("Closing connection [{}] of node [{}]: [{}] {}", describe(), host.id, why, detail);
        } else {
            log.warn("Closing connection [{}] of node [{}]: [{}] {}", describe(), host.id, why, detail);
        }
        if (link != null) {
            link.handOver(); // envelopes written before the close leave before its CLOSE frame
        }
        if (tellsPeer(why) && channel.isActive()) {
            channel.writeAndFlush(closeFrame(why, detail));
        }
        channel.close();
    }

    /** The peer said it closes, with the reason code it sent (null when the code is unknown to this build). */
    void closedByPeer(CloseReason why, String detail) {
        if (reason != null) {
            return;
        }
        reason = why != null ? why : CloseReason.PEER_CLOSED;
        byPeer = true;
        host.counters.closed(reason, true);
        log.debug("Connection [{}] of node [{}] closed by the peer: [{}] {}", describe(), host.id, reason, detail);
        channel.close();
    }

    /** The connection ended in the middle of a frame. */
    void truncated(int bytes) {
        if (reason == null) {
            reason = CloseReason.TRUNCATED_FRAME;
            host.counters.closed(reason, false);
            log.warn("Connection [{}] of node [{}] ended inside a frame ({} bytes of it received)", describe(),
                    host.id, bytes);
        }
    }

    /** An exception reached the end of the pipeline. */
    void failed(Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof SSLException || c instanceof NotSslRecordException) {
            close(CloseReason.TLS_FAILURE, String.valueOf(c.getMessage()));
        } else if (c instanceof IOException) {
            close(CloseReason.IO_ERROR, String.valueOf(c.getMessage()));
        } else {
            log.error("Bug while handling connection [{}] of node [{}]", describe(), host.id, c);
            close(CloseReason.IO_ERROR, "internal error: " + c);
        }
    }

    /** The channel went inactive: settle the reason and tell the host. Once. */
    void inactive() {
        if (inactive) {
            return;
        }
        inactive = true;
        cancelDeadline();
        if (reason == null) {
            reason = CloseReason.PEER_CLOSED;
            byPeer = true;
            host.counters.closed(reason, true);
        }
        host.connectionClosed(this, reason, byPeer);
    }

    String describe() {
        return (dialed ? "to " : "from ") + (link != null ? link.peer + " " : expectedPeer != null ? expectedPeer + " "
                : "") + channel.remoteAddress();
    }

    private ByteBuf closeFrame(CloseReason why, String detail) {
        String d = detail == null ? "" : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        WireWriter w = new WireWriter(16 + d.length()).writeByte(why.code()).writeString(d);
        return Frames.frame(channel.alloc(), version, Frames.CLOSE, w.array(), w.size());
    }

    private static boolean tellsPeer(CloseReason why) {
        return why != CloseReason.PEER_CLOSED && why != CloseReason.IO_ERROR && why != CloseReason.TLS_FAILURE
                && why != CloseReason.TRUNCATED_FRAME && why != CloseReason.BAD_UPGRADE;
    }
}
