package dev.chainkit.oplog.store.crash;

/**
 * Where a crash test aims a SIGKILL. The holds make the child stop inside a window and wait, so the kill lands there
 * for certain; the others are timed and their landing is read back from the files afterwards.
 */
enum KillPoint {
    /** After a random pause of the workload: anywhere. */
    RANDOM(Hold.Kind.NONE),
    /** A server commit's ops are staged and its transaction not begun: they must not be in the log, nor answered. */
    BEFORE_COMMIT(Hold.Kind.SERVER_BEFORE_COMMIT),
    /** As soon as a server commit begins: the files tell whether it landed; nothing of it may be answered unless so. */
    DURING_COMMIT(Hold.Kind.NONE),
    /** A server commit is durable and its answers not sent: its ops must be in the log, none of them answered. */
    BETWEEN_COMMIT_AND_REPLY(Hold.Kind.SERVER_AFTER_COMMIT),
    /** Right after syncs were answered. */
    AFTER_REPLY(Hold.Kind.NONE),
    /** A client saved a new op (durable, its sync not sent): the op must survive in the client's store. */
    CLIENT_AFTER_SAVE(Hold.Kind.CLIENT_AFTER_SAVE),
    /** As soon as a client save begins: the client's file holds the log before or after it, never a mix. */
    CLIENT_DURING_SAVE(Hold.Kind.NONE);

    final Hold.Kind hold;

    KillPoint(Hold.Kind hold) {
        this.hold = hold;
    }
}
