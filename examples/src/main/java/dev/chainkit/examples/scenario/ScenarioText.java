package dev.chainkit.examples.scenario;

import java.util.Locale;

/**
 * What a scenario's text must be before its lines are read: plain text of bounded size, lines of bounded length,
 * no byte order mark, no NUL and no other invisible character (a control character other than tab, or a format
 * character such as a zero-width space). Each refusal names the line and column and says what was found in plain
 * words, with the character's code point (never the invisible character itself), so a person can find it.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class ScenarioText {

    /** The most characters a scenario may hold: 64 Mi, room for a generated run of a million ops. */
    static final int MAX_CHARS = 64 << 20;
    /** The most characters one line may hold. */
    static final int MAX_LINE_CHARS = 4096;

    private ScenarioText() {
    }

    /**
     * Checks a scenario's text.
     *
     * @param file the file name, for the message
     * @param text the text
     * @throws ScenarioException naming the first line that breaks a rule
     */
    static void check(String file, String text) throws ScenarioException {
        if (text.length() > MAX_CHARS) {
            throw new ScenarioException(file, 1, "the file is too large: " + text.length() + " characters, at most "
                    + MAX_CHARS + " (" + (MAX_CHARS >> 20) + " Mi)");
        }
        if (text.startsWith("\uFEFF")) {
            throw new ScenarioException(file, 1, "the file starts with a byte order mark (U+FEFF, invisible in most"
                    + " editors); save it as UTF-8 without BOM");
        }
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                column = 1;
                continue;
            }
            if (c == '\r') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    continue; // CRLF: the '\n' ends the line
                }
                line++;
                column = 1;
                continue;
            }
            if (column > MAX_LINE_CHARS) {
                throw new ScenarioException(file, line, "the line is too long: more than " + MAX_LINE_CHARS
                        + " characters");
            }
            String invisible = invisible(c);
            if (invisible != null) {
                throw new ScenarioException(file, line, "column " + column + " holds " + invisible
                        + "; a scenario is plain text (remove it, or retype the line)");
            }
            column++;
        }
    }

    /** What an invisible character is, in words; null for a visible character or a tab. */
    private static String invisible(char c) {
        if (c == '\t') {
            return null;
        }
        String code = String.format(Locale.ROOT, "U+%04X", (int) c);
        if (c == 0) {
            return "a NUL byte (" + code + ")";
        }
        if (Character.isISOControl(c)) {
            return "the control character " + code;
        }
        if (Character.getType(c) == Character.FORMAT) {
            String name = Character.getName(c);
            return "the invisible character " + code + (name == null ? "" : " (" + name.toLowerCase(Locale.ROOT)
                    + ")");
        }
        return null;
    }
}
