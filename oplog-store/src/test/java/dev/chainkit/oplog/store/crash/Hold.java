package dev.chainkit.oplog.store.crash;

/**
 * Where a crash child stops and waits to be killed, so that a kill lands in a window too short to hit by timing:
 * before a server commit (its ops staged, not written), after a server commit (durable, not answered), after a
 * client save (an op durable, its sync not sent). Written on the child's command line as {@code kind:N} (the N-th
 * such event of the incarnation) or {@code none}.
 *
 * @param kind where to stop
 * @param nth at which event, counting from 1
 */
record Hold(Kind kind, int nth) {

    /** Where to stop. */
    enum Kind {
        NONE, SERVER_BEFORE_COMMIT, SERVER_AFTER_COMMIT, CLIENT_AFTER_SAVE
    }

    static final Hold NONE = new Hold(Kind.NONE, 0);

    boolean at(Kind k, int n) {
        return kind == k && nth == n;
    }

    static Hold parse(String text) {
        if (text.equals("none")) {
            return NONE;
        }
        int colon = text.indexOf(':');
        return new Hold(Kind.valueOf(text.substring(0, colon)), Integer.parseInt(text.substring(colon + 1)));
    }

    @Override
    public String toString() {
        return kind == Kind.NONE ? "none" : kind + ":" + nth;
    }
}
