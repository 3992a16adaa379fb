package dev.chainkit.core;

/**
 * What is wrong with an envelope or a message, typed: the reason a node refuses it, and words for people. Not API.
 *
 * <p>Thread safety: immutable.
 *
 * @param reason why it is refused
 * @param detail what exactly was wrong, for logs and events
 */
record Problem(RejectReason reason, String detail) {

    /**
     * Checks a message against its protocol: its type ({@link RejectReason#PAYLOAD_TYPE}), then the protocol's own
     * {@link Protocol#validate} ({@link RejectReason#PAYLOAD_INVALID}).
     *
     * @return null when the message is acceptable
     */
    static Problem ofPayload(Protocol<?> protocol, Object payload) {
        if (!protocol.messageType().isInstance(payload)) {
            return new Problem(RejectReason.PAYLOAD_TYPE, "not a " + protocol.messageType().getSimpleName() + ": "
                    + (payload == null ? "null" : payload.getClass().getName()));
        }
        return validate(protocol, payload);
    }

    @SuppressWarnings("unchecked")
    private static <M> Problem validate(Protocol<M> protocol, Object payload) {
        return protocol.validate((M) payload).map(why -> new Problem(RejectReason.PAYLOAD_INVALID, why)).orElse(null);
    }
}
