package dev.chainkit.oplog;

import io.vavr.control.Either;

/** {@link PayloadCodec#integers()}: decimal text. Stateless, thread-safe. */
enum IntegerPayloads implements PayloadCodec<Integer> {
    INSTANCE;

    @Override
    public String encode(Integer payload) {
        return Integer.toString(payload);
    }

    @Override
    public Either<String, Integer> decode(String text) {
        if (text == null) {
            return Either.left("expected a decimal integer but got null");
        }
        try {
            return Either.right(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return Either.left("expected a decimal integer such as -12 but got '" + text + "'");
        }
    }
}
