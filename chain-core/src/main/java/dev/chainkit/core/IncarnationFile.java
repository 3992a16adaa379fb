package dev.chainkit.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A node's incarnation, kept in a file so that it never repeats and never goes back across process restarts and
 * crashes: {@link #next()} returns a number greater than every number it returned before for the same file, and
 * returns it only once it is durable. Start each process's node with it:
 *
 * <pre>{@code
 * long incarnation = IncarnationFile.at(dataDir.resolve("incarnation")).next();
 * ChainNode node = ChainNode.builder(id, incarnation)...build();
 * }</pre>
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Why it matters.</b> Chain ids carry the initiator's incarnation. A node that restarts with an incarnation
 *   it used before opens chains whose ids its peers hold for its old chains: before issue 10 a peer answered such a
 *   chain from the old chain's tombstone, so its request was lost while it saw the chain completed; one whose
 *   incarnation goes back is refused by every peer that saw the newer one. Peers now refuse both with a typed
 *   abort ({@link FailureCause#INCARNATION_REUSED}, {@link FailureCause#INCARNATION_REGRESSED}); this class is
 *   what keeps a node from needing that.</li>
 *   <li><b>Durable before use.</b> The next number is written to a temporary file in the same directory, forced
 *   to disk, moved over the file atomically, and the directory is forced too; only then is it returned. A crash
 *   at any point leaves the old number or the new one, never a torn file, and a number is never handed out
 *   before it is on disk, so the next start cannot hand it out again.</li>
 *   <li><b>Checked on read.</b> The file holds a format line, the number and a CRC-32 of the number. A file that
 *   is not a regular file, cannot be read, or does not check out is an error that says what is wrong and what to
 *   do: guessing a number could repeat one.</li>
 *   <li><b>One writer.</b> An exclusive lock on a sibling {@code .lock} file serializes processes that share the
 *   file (the lock file stays beside it). Two nodes must not share one file anyway: each has its own
 *   incarnations.</li>
 * </ul>
 *
 * <p>Thread safety: thread-safe ({@link #next} is synchronized, and the lock file serializes processes).
 */
public final class IncarnationFile {

    private static final String FORMAT = "chainkit-incarnation 1";

    private final Path file;

    private IncarnationFile(Path file) {
        this.file = file;
    }

    /**
     * The incarnation kept in {@code file}; nothing is read or written until {@link #next()}.
     *
     * @param file the file; its directory must exist and be writable
     * @throws NullPointerException if {@code file} is null
     */
    public static IncarnationFile at(Path file) {
        return new IncarnationFile(Objects.requireNonNull(file, "file").toAbsolutePath());
    }

    /** The file. */
    public Path path() {
        return file;
    }

    /**
     * The next incarnation: one more than the last one handed out for this file (1 for a file that does not exist
     * yet), made durable before it is returned.
     *
     * @return an incarnation, at least 1, greater than any returned before for this file
     * @throws IOException if the file is not a regular file, cannot be read, is corrupt, holds the largest
     *     incarnation, or the next one cannot be written and forced to disk (the message says which, and what to do);
     *     nothing was handed out then
     */
    public synchronized long next() throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            throw new IOException("cannot keep the incarnation in " + file + ": " + dir + " is not a directory");
        }
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel lock = open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = lock.lock()) {
            long last = read();
            if (last == Long.MAX_VALUE) {
                throw new IOException("incarnation file " + file + " holds the largest incarnation; give this node a"
                        + " new id");
            }
            write(last + 1);
            return last + 1;
        }
    }

    /** The number in the file, or 0 when there is no file. */
    private long read() throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("incarnation file " + file + " is not a regular file; move it away (it is not"
                    + " this node's incarnation)");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read incarnation file " + file + ": " + e, e);
        }
        String[] lines = text.split("\n", -1);
        if (lines.length != 4 || !lines[0].equals(FORMAT) || !lines[3].isEmpty()) {
            throw corrupt("expected the lines '" + FORMAT + "', a number and its checksum");
        }
        long value;
        try {
            value = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw corrupt("'" + lines[1] + "' is not a number");
        }
        if (value < 1) {
            throw corrupt("incarnation " + value + " is below 1");
        }
        if (!lines[2].equals(checksum(lines[1]))) {
            throw corrupt("the checksum " + lines[2] + " does not match the number " + lines[1]);
        }
        return value;
    }

    private IOException corrupt(String what) {
        return new IOException("incarnation file " + file + " is corrupt: " + what + ". The last incarnation handed"
                + " out is unknown, and guessing could repeat it: restore the file from a backup, or write one above"
                + " every incarnation this node ever used (such as the current time in milliseconds) in the same"
                + " format");
    }

    /** Writes {@code value} to a temporary file, forces it, moves it over the file and forces the directory. */
    private void write(long value) throws IOException {
        String number = Long.toString(value);
        byte[] bytes = (FORMAT + "\n" + number + "\n" + checksum(number) + "\n").getBytes(StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel out = open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + file + " atomically on this file system", e);
            }
            forceDirectory(file.getParent());
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot make incarnation " + value + " durable in " + file + " (the directory must"
                    + " be writable, on a file system that can force writes): " + e, e);
        }
    }

    private static FileChannel open(Path path, StandardOpenOption... options) throws IOException {
        try {
            return FileChannel.open(path, options);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot open " + path + ": its directory does not exist", e);
        } catch (IOException e) {
            throw new IOException("cannot open " + path + " for writing (the directory must be writable): " + e, e);
        }
    }

    /**
     * Forces the directory's entries (the rename) to disk. Windows cannot open a directory, and makes a rename
     * durable on its own.
     */
    private static void forceDirectory(Path dir) throws IOException {
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static String checksum(String number) {
        CRC32 crc = new CRC32();
        crc.update(number.getBytes(StandardCharsets.US_ASCII));
        return String.format("%08x", crc.getValue());
    }

    @Override
    public String toString() {
        return "IncarnationFile[" + file + "]";
    }
}
