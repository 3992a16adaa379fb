package dev.chainkit.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a scenario file for the command line, refusing in plain words what is not a scenario: a missing file, a
 * directory, a loop of symbolic links, a file that cannot be read, one larger than {@link #MAX_BYTES} (so
 * {@code /dev/zero} is refused after 64 MiB, not read until memory runs out), or bytes that are not UTF-8. The
 * text's own rules (line length, NUL and other invisible characters, a byte order mark) are the parser's.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
final class ScenarioFile {

    /** The most bytes a scenario file may have: 64 MiB. */
    static final int MAX_BYTES = 64 << 20;

    private ScenarioFile() {
    }

    /**
     * Reads a scenario file as UTF-8 text.
     *
     * @param file the file
     * @return its text
     * @throws Unreadable with a one-line message that names the file and says what is wrong
     */
    static String read(Path file) throws Unreadable {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new Unreadable(name + ": is a directory, not a scenario file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new Unreadable(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new Unreadable(name + ": cannot read it: permission denied");
        } catch (FileSystemException e) {
            if (Files.isSymbolicLink(file) && e.getReason() != null && e.getReason().contains("symbolic link")) {
                throw new Unreadable(name + ": cannot read it: its symbolic links go round in a loop");
            }
            throw new Unreadable(name + ": cannot read it: " + plain(e.getReason()));
        } catch (IOException e) {
            throw new Unreadable(name + ": cannot read it: " + plain(e.getMessage()));
        }
        if (bytes.length > MAX_BYTES) {
            throw new Unreadable(name + ": too large: a scenario file has at most " + (MAX_BYTES >> 20)
                    + " MiB; is it the file you meant?");
        }
        return utf8(name, bytes);
    }

    private static String utf8(String name, byte[] bytes) throws Unreadable {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new Unreadable(name + ":" + line + ": not UTF-8 text (byte " + String.format(Locale.ROOT, "0x%02X",
                    bytes[at] & 0xff) + " at offset " + at + "); save the file as UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** An operating system's reason, in the case it gave, without a trailing period; "unknown" if none. */
    private static String plain(String reason) {
        if (reason == null || reason.isBlank()) {
            return "unknown reason";
        }
        String r = reason.strip();
        return Character.toLowerCase(r.charAt(0)) + r.substring(1).replaceAll("\\.$", "");
    }

    /** A scenario file that cannot be read as one; its message is one line, with the file's name. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }
}
