package dev.chainkit.examples.scenario;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The message kinds a scenario can name in targeted rules ({@code drop next OpSync a -> hq}) and in
 * {@code expect messages}. Each kind's {@link #text()} is the message kind the engine reports for that message
 * ({@code dev.chainkit.core.Envelope#messageKind()}).
 *
 * <p>The first eight kinds and {@link #ANY} are the contract of the scenario format; {@link #SYNC_REJECTED},
 * {@link #BUSY}, {@link #ABORTED} and {@link #HINT} are extensions. {@link #HINT} is not a network message: it names
 * the store's hint from one server to another, which targeted rules may drop, duplicate or delay, and which
 * {@code expect messages} does not count.
 *
 * <p>Thread safety: immutable enum, thread-safe.
 */
public enum MessageKind {
    /** {@code OpSync}: the opening message of a sync chain. */
    OP_SYNC("OpSync"),
    /** {@code SyncSuccess}: "op sync successful". */
    SYNC_SUCCESS("SyncSuccess"),
    /** {@code SyncSuccessWithNewOps}: success, with the ops the client did not have. */
    SYNC_SUCCESS_WITH_NEW_OPS("SyncSuccessWithNewOps"),
    /** {@code OpProcessor}: the server asks the client's user what to do about a problematic op. */
    OP_PROCESSOR("OpProcessor"),
    /** {@code ProcessorDecision}: the user's answer to an OpProcessor. */
    PROCESSOR_DECISION("ProcessorDecision"),
    /** {@code SyncFailed}: "sync failed, new operations available". */
    SYNC_FAILED("SyncFailed"),
    /** {@code ForwardSync}: the server forwards new ops to a client. */
    FORWARD_SYNC("ForwardSync"),
    /** {@code ForwardAck}: the client's answer to a ForwardSync. */
    FORWARD_ACK("ForwardAck"),
    /** {@code SyncRejected} (extension): the server refuses a sync outright. */
    SYNC_REJECTED("SyncRejected"),
    /** {@code Busy} (extension): the engine refuses to open a chain because the peer has too many in flight. */
    BUSY("Busy"),
    /** {@code Aborted} (extension): the engine ended a chain (unknown chain, restarted responder, ...). */
    ABORTED("Aborted"),
    /** {@code Hint} (extension): the store tells another server that a log changed (several servers only). */
    HINT("Hint"),
    /** {@code any}: every message (hints not included). */
    ANY("any");

    private final String text;

    MessageKind(String text) {
        this.text = text;
    }

    /**
     * Returns the word a scenario file uses for this kind.
     *
     * @return e.g. {@code OpSync} or {@code any}
     */
    public String text() {
        return text;
    }

    /**
     * Finds the kind a word names.
     *
     * @param word e.g. {@code ForwardSync} (case-sensitive)
     * @return the kind, or empty if the word names none
     */
    public static Optional<MessageKind> fromText(String word) {
        return Arrays.stream(values()).filter(k -> k.text.equals(word)).findFirst();
    }

    /**
     * Lists the words of all kinds, for error messages.
     *
     * @return e.g. {@code OpSync, SyncSuccess, ..., any}
     */
    public static String knownTexts() {
        return Arrays.stream(values()).map(MessageKind::text).collect(Collectors.joining(", "));
    }
}
