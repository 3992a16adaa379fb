package dev.chainkit.bench.p6;

import dev.chainkit.bench.Ping;
import dev.chainkit.core.ChainId;
import dev.chainkit.core.Envelope;
import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.wire.CodecRegistry;
import dev.chainkit.core.wire.WireWriter;
import dev.chainkit.transport.netty.internal.EnvelopeCodec;
import dev.chainkit.transport.netty.internal.Frames;

/**
 * The bytes chainkit puts on the wire for one ping chain: the request's and the reply's whole frames (length
 * prefix included). gRPC and the raw echo carry exactly these, so P6 compares transports, not payload sizes.
 *
 * <p>Thread safety: immutable.
 */
final class WireBytes {

    /** The request frame (step 0 of chain client/1/1000000). */
    static final byte[] REQUEST = frame(new Envelope(Ping.PROTOCOL.name(), chain(), 0, NodeId.of("client"), 1,
            NodeId.of("server"), 1, EnvelopeKind.STEP, Ping.REQUEST));
    /** The reply frame (its terminal step 1). */
    static final byte[] REPLY = frame(new Envelope(Ping.PROTOCOL.name(), chain(), 1, NodeId.of("server"), 1,
            NodeId.of("client"), 1, EnvelopeKind.TERMINAL, Ping.REPLY));

    private WireBytes() {
    }

    private static ChainId chain() {
        return new ChainId(NodeId.of("client"), 1, 1_000_000);
    }

    private static byte[] frame(Envelope e) {
        WireWriter body = new WireWriter();
        new EnvelopeCodec(CodecRegistry.of(EngineOverTcp.CODEC)).encode(e, body);
        return new WireWriter().writeInt(body.size() + 2).writeByte(Frames.MAX_VERSION).writeByte(Frames.ENVELOPE)
                .writeBytes(body.array(), 0, body.size()).toByteArray();
    }
}
