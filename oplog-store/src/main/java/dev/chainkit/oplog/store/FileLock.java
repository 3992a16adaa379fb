package dev.chainkit.oplog.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock that keeps a second process from opening an embedded store's file: an OS lock
 * ({@link FileChannel#tryLock}) on {@code FILE.lock}, holding the holder's process id for the error message.
 *
 * <p>Why a lock file rather than SQLite's own locking: SQLite locks per transaction, so a second process would open
 * the file without complaint and only meet "database is locked" (or, worse, succeed) at its first write, after it
 * had already replayed the log and started answering as a server. An OS lock taken at open refuses at once, with a
 * clear message, and the OS drops it when its process dies in any way (SIGKILL included), so it never goes stale.
 *
 * <p>Thread safety: not thread-safe; owned by one {@link OplogDatabase}.
 */
final class FileLock implements AutoCloseable {

    private final FileChannel channel;
    private final java.nio.channels.FileLock lock;

    private FileLock(FileChannel channel, java.nio.channels.FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code file}.
     *
     * @throws StoreLockedException if another process (or this one) holds it
     * @throws StoreException if the lock file cannot be created
     */
    static FileLock acquire(Path file) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            java.nio.channels.FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new StoreLockedException("store " + file + " is already open in another process ("
                        + (holder.isEmpty() ? "unknown" : holder) + ", holding " + lockFile
                        + "); one SQLite store serves one process: stop the other one, or use PostgreSQL to share");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)),
                    0);
            channel.force(false);
            return new FileLock(channel, lock);
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new StoreException("cannot take the lock " + lockFile + " of store " + file + ": " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new StoreException("cannot release the lock of a store: " + e, e);
        }
    }
}
