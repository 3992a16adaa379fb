package dev.chainkit.oplog.tournament;

import dev.chainkit.oplog.Role;
import io.vavr.control.Either;
import io.vavr.control.Option;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the text form of {@link TournamentOp}s; see {@link TournamentOp#parse(String)}.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class TournamentOpParser {

    private static final Pattern NUMBER = Pattern.compile("[0-9]+");
    private static final Pattern SCORE = Pattern.compile("([0-9]+)-([0-9]+)(?:-([0-9]+))?");
    private static final String VERBS = "create, register, drop, start, pair, result, confirm, end";

    private TournamentOpParser() {
    }

    static Either<String, TournamentOp> parse(String text) {
        if (text == null) {
            return Either.left("expected an op (one of " + VERBS + ") but got null");
        }
        String line = text.strip();
        if (line.isEmpty()) {
            return Either.left("expected an op (one of " + VERBS + ") but got an empty text");
        }
        String[] w = line.split("\\s+");
        switch (w[0]) {
            case "create": {
                String form = "create TOURNAMENT ORGANIZER";
                if (w.length != 3) {
                    return shape(form, line);
                }
                return Either.right(new TournamentOp.Create(w[1], w[2]));
            }
            case "register": {
                String form = "register NAME";
                if (w.length != 2) {
                    return shape(form, line);
                }
                return name(form, line, w[1]).<TournamentOp>map(TournamentOp.Register::new);
            }
            case "drop": {
                String form = "drop NAME";
                if (w.length != 2) {
                    return shape(form, line);
                }
                return name(form, line, w[1]).<TournamentOp>map(TournamentOp.Drop::new);
            }
            case "start":
                return w.length == 1 ? Either.right(new TournamentOp.Start()) : shape("start", line);
            case "end":
                return w.length == 1 ? Either.right(new TournamentOp.End()) : shape("end", line);
            case "pair": {
                String form = "pair ROUND";
                if (w.length != 2) {
                    return shape(form, line);
                }
                return round(form, line, w[1]).<TournamentOp>map(TournamentOp.Pair::new);
            }
            case "confirm": {
                String form = "confirm ROUND";
                if (w.length != 2) {
                    return shape(form, line);
                }
                return round(form, line, w[1]).<TournamentOp>map(TournamentOp.Confirm::new);
            }
            case "result":
                return result(line, w);
            default:
                return Either.left("expected an op starting with one of " + VERBS + " but got '" + line
                        + "' (unknown op word '" + w[0] + "')");
        }
    }

    private static Either<String, TournamentOp> result(String line, String[] w) {
        String form = "result ROUND NAME W-L[-D]";
        if (w.length != 4) {
            return shape(form, line);
        }
        Either<String, Integer> round = round(form, line, w[1]);
        if (round.isLeft()) {
            return Either.left(round.getLeft());
        }
        Either<String, String> name = name(form, line, w[2]);
        if (name.isLeft()) {
            return Either.left(name.getLeft());
        }
        Matcher m = SCORE.matcher(w[3]);
        Option<Integer> wins = m.matches() ? toInt(m.group(1)) : Option.none();
        Option<Integer> losses = m.matches() ? toInt(m.group(2)) : Option.none();
        Option<Integer> draws = m.matches() ? (m.group(3) == null ? Option.some(0) : toInt(m.group(3)))
                : Option.none();
        if (wins.isEmpty() || losses.isEmpty() || draws.isEmpty()) {
            return Either.left("expected '" + form + "' but got '" + line + "' (bad score '" + w[3]
                    + "': expected W-L or W-L-D with non-negative integers, e.g. 2-1)");
        }
        return Either.right(new TournamentOp.Result(round.get(), name.get(), wins.get(), losses.get(),
                draws.get()));
    }

    private static <T> Either<String, T> shape(String form, String line) {
        return Either.left("expected '" + form + "' but got '" + line + "'");
    }

    private static Either<String, String> name(String form, String line, String word) {
        if (Role.isValidName(word)) {
            return Either.right(word);
        }
        return Either.left("expected '" + form + "' but got '" + line + "' (bad NAME '" + word
                + "': expected a name matching " + Role.NAME_PATTERN.pattern() + ")");
    }

    private static Either<String, Integer> round(String form, String line, String word) {
        Option<Integer> n = NUMBER.matcher(word).matches() ? toInt(word) : Option.none();
        if (n.isEmpty() || n.get() < 1) {
            return Either.left("expected '" + form + "' but got '" + line + "' (bad ROUND '" + word
                    + "': expected an integer >= 1)");
        }
        return Either.right(n.get());
    }

    private static Option<Integer> toInt(String digits) {
        try {
            return Option.some(Integer.parseInt(digits));
        } catch (NumberFormatException tooBig) {
            return Option.none();
        }
    }
}
