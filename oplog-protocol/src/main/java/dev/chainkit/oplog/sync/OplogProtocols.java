package dev.chainkit.oplog.sync;

import dev.chainkit.core.Protocol;

/**
 * The chain protocols of the op-log sync, as descriptors for the engine: the sync chain ({@value #SYNC_NAME}), the
 * forward chain ({@value #FORWARD_NAME}) and the subscribe chain ({@value #SUBSCRIBE_NAME}).
 *
 * <p>Thread safety: the descriptors are immutable and shared.
 */
public final class OplogProtocols {

    /** Name of the sync chain's protocol. */
    public static final String SYNC_NAME = "oplog-sync";
    /** Name of the forward chain's protocol. */
    public static final String FORWARD_NAME = "oplog-forward";
    /** Name of the subscribe chain's protocol. */
    public static final String SUBSCRIBE_NAME = "oplog-subscribe";

    @SuppressWarnings("rawtypes")
    private static final Protocol SYNC = new SyncProtocol();
    @SuppressWarnings("rawtypes")
    private static final Protocol FORWARD = Protocol.of(FORWARD_NAME, ForwardMessage.class, 2);
    @SuppressWarnings("rawtypes")
    private static final Protocol SUBSCRIBE = Protocol.of(SUBSCRIBE_NAME, SubscribeMessage.class, 2);

    private OplogProtocols() { }

    /**
     * The sync chain: subject = the log id, so a change of the log supersedes every sync of it in flight; a sync
     * of {@code n} ops may take {@code 2n + 2} steps (at most {@code n} conflict rounds).
     */
    @SuppressWarnings("unchecked")
    public static <P> Protocol<SyncMessage<P>> sync() {
        return SYNC;
    }

    /** The forward chain: {@code ForwardSync} then {@code ForwardAck}, two steps, no subject. */
    @SuppressWarnings("unchecked")
    public static <P> Protocol<ForwardMessage<P>> forward() {
        return FORWARD;
    }

    /** The subscribe chain: {@code Subscribe} then {@code Subscribed} or {@code Refused}, two steps, no subject. */
    @SuppressWarnings("unchecked")
    public static <P> Protocol<SubscribeMessage<P>> subscribe() {
        return SUBSCRIBE;
    }

    @SuppressWarnings("rawtypes")
    private static final class SyncProtocol implements Protocol<SyncMessage> {
        @Override
        public String name() {
            return SYNC_NAME;
        }

        @Override
        public Class<SyncMessage> messageType() {
            return SyncMessage.class;
        }

        @Override
        public int maxSteps(SyncMessage opening) {
            int ops = opening instanceof SyncMessage.OpSync<?> s ? s.ops().size() : 0;
            return 2 * ops + 2;
        }

        @Override
        public Object subjectOf(SyncMessage opening) {
            return opening instanceof SyncMessage.OpSync<?> s ? s.logId() : null;
        }

        @Override
        public String toString() {
            return SYNC_NAME;
        }
    }
}
