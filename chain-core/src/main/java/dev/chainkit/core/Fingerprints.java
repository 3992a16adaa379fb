package dev.chainkit.core;

/**
 * The default {@link Protocol#fingerprint}: a record's {@code hashCode}, 0 for anything else. Not API.
 *
 * <p>Thread safety: stateless.
 */
final class Fingerprints {

    private Fingerprints() {
    }

    /** {@code message.hashCode()} if {@code message} is a record, else 0. */
    static int of(Object message) {
        return message instanceof Record ? message.hashCode() : 0;
    }
}
