package dev.chainkit.examples.scenario;

import java.util.Objects;

/**
 * A scenario file that cannot be run: a line that does not parse, or a rule of the format it breaks. The message
 * is {@code FILE:LINE: what is wrong}, e.g.
 * {@code friday.scn:12: unknown node 'bob' (known: hq, judge1, alice)}; {@code chainsim run} prints it and
 * exits with status 2.
 *
 * <p>Thread safety: immutable after construction, thread-safe.
 */
public final class ScenarioException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The file name as the user gave it. */
    private final String fileName;
    /** The line that is wrong, 1 or more. */
    private final int line;
    /** What is wrong, without the {@code FILE:LINE: } prefix. */
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param fileName the file name as the user gave it, e.g. {@code friday.scn}
     * @param line the line that is wrong, 1 or more
     * @param reason what is wrong and, where useful, what was expected
     * @throws NullPointerException if {@code fileName} or {@code reason} is null
     */
    public ScenarioException(String fileName, int line, String reason) {
        super(Objects.requireNonNull(fileName, "fileName") + ":" + line + ": "
                + Objects.requireNonNull(reason, "reason"));
        this.fileName = fileName;
        this.line = line;
        this.reason = reason;
    }

    /**
     * Returns the name of the file that is wrong.
     *
     * @return the file name as the user gave it
     */
    public String fileName() {
        return fileName;
    }

    /**
     * Returns the line that is wrong.
     *
     * @return the line number, 1 or more
     */
    public int line() {
        return line;
    }

    /**
     * Returns what is wrong, without the {@code FILE:LINE: } prefix.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }
}
