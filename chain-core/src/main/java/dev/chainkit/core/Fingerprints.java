package dev.chainkit.core;

/**
 * The default {@link Protocol#fingerprint}: a record's {@code hashCode}, 0 for anything else. Not API.
 *
 * <p>Thread safety: thread-safe (a {@link ClassValue} caches, per class, whether it is a record).
 */
final class Fingerprints {

    private static final ClassValue<Boolean> RECORD = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type.isRecord();
        }
    };

    private Fingerprints() {
    }

    /** {@code message.hashCode()} if {@code message} is a record, else 0. */
    static int of(Object message) {
        return RECORD.get(message.getClass()) ? message.hashCode() : 0;
    }
}
