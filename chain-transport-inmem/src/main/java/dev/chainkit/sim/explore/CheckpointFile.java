package dev.chainkit.sim.explore;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The binary form of a {@link Checkpoints checkpoint}: a header (a magic line and a format version), then whatever
 * the search writes, in order, then a CRC-32C of everything before it, so a truncated or damaged file is refused
 * rather than resumed from. Numbers are big-endian; arrays are written in bulk through a direct buffer (a checkpoint
 * of a hundred million states is several gigabytes, and it is written while the search waits).
 *
 * <p>Thread safety: not thread-safe; one writer or reader, on one thread.
 */
final class CheckpointFile {

    private static final String MAGIC = "chainkit explorer checkpoint\n";
    private static final int VERSION = 1;
    private static final int BUFFER = 1 << 20;

    private CheckpointFile() {
    }

    /**
     * Writes a checkpoint to a temporary file beside its target, which {@link #commit()} moves over the target once
     * it is complete and on disk.
     */
    static final class Out implements AutoCloseable {

        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        private final CRC32C crc = new CRC32C();
        private boolean committed;

        /** @throws UncheckedIOException if the temporary file cannot be created */
        Out(Path target) {
            this.target = target;
            this.temp = target.resolveSibling(target.getFileName() + ".saving");
            try {
                Path dir = target.toAbsolutePath().getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint " + target + " (" + e + ")", e);
            }
            putBytes(MAGIC.getBytes(StandardCharsets.UTF_8));
            putInt(VERSION);
        }

        void putInt(int v) {
            room(Integer.BYTES);
            buffer.putInt(v);
        }

        void putLong(long v) {
            room(Long.BYTES);
            buffer.putLong(v);
        }

        void putBoolean(boolean v) {
            room(1);
            buffer.put((byte) (v ? 1 : 0));
        }

        /** A string: its length in UTF-8 bytes, then the bytes. */
        void putString(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            putInt(b.length);
            putBytes(b);
        }

        /** {@code a[from..to)}, without their count. */
        void putInts(int[] a, int from, int to) {
            for (int done = from; done < to; ) {
                room(Integer.BYTES);
                int k = Math.min(to - done, buffer.remaining() / Integer.BYTES);
                buffer.asIntBuffer().put(a, done, k);
                buffer.position(buffer.position() + k * Integer.BYTES);
                done += k;
            }
        }

        /** {@code a[from..to)}, without their count. */
        void putLongs(long[] a, int from, int to) {
            for (int done = from; done < to; ) {
                room(Long.BYTES);
                int k = Math.min(to - done, buffer.remaining() / Long.BYTES);
                buffer.asLongBuffer().put(a, done, k);
                buffer.position(buffer.position() + k * Long.BYTES);
                done += k;
            }
        }

        private void putBytes(byte[] b) {
            for (int done = 0; done < b.length; ) {
                room(1);
                int k = Math.min(b.length - done, buffer.remaining());
                buffer.put(b, done, k);
                done += k;
            }
        }

        /** Writes the checksum, forces the file to disk and moves it over the target. */
        void commit() {
            drain();
            buffer.putLong(crc.getValue());
            try {
                write();
                channel.force(true);
                channel.close();
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint " + target + " (" + e + ")", e);
            }
            committed = true;
        }

        /** Without {@link #commit()}: removes the temporary file, leaving the target as it was. */
        @Override
        public void close() {
            if (committed) {
                return;
            }
            try {
                channel.close();
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove unfinished checkpoint " + temp, e);
            }
        }

        private void room(int bytes) {
            if (buffer.remaining() < bytes) {
                drain();
            }
        }

        private void drain() {
            buffer.flip();
            crc.update(buffer.duplicate());
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write checkpoint " + target + " (" + e + ")", e);
            }
            buffer.clear();
        }

        private void write() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }
    }

    /**
     * Reads a checkpoint; the checksum is checked first, over the whole file, so nothing is read from a damaged one.
     */
    static final class In implements AutoCloseable {

        private final Path file;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        private final long end;

        /** @throws Checkpoints.Unusable if the file cannot be read, is not a checkpoint, or is damaged */
        In(Path file) {
            this.file = file;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (IOException e) {
                throw new Checkpoints.Unusable(file, "cannot be read (" + e + ")", e);
            }
            try {
                end = channel.size() - Long.BYTES;
                byte[] magic = MAGIC.getBytes(StandardCharsets.UTF_8);
                buffer.clear().limit(magic.length);
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                    // reads the magic line, or what there is of it
                }
                buffer.flip();
                byte[] read = new byte[buffer.remaining()];
                buffer.get(read);
                if (!Arrays.equals(magic, read) || end < magic.length) {
                    throw new Checkpoints.Unusable(file, "not an explorer checkpoint");
                }
                checkSum();
                channel.position(magic.length);
                buffer.clear().limit(0);
            } catch (IOException e) {
                close();
                throw new Checkpoints.Unusable(file, "cannot be read (" + e + ")", e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            int version = getInt();
            if (version != VERSION) {
                close();
                throw new Checkpoints.Unusable(file, "written in format " + version + ", this explorer reads "
                        + VERSION);
            }
        }

        int getInt() {
            need(Integer.BYTES);
            return buffer.getInt();
        }

        long getLong() {
            need(Long.BYTES);
            return buffer.getLong();
        }

        boolean getBoolean() {
            need(1);
            return buffer.get() != 0;
        }

        String getString() {
            int n = count(1);
            byte[] b = new byte[n];
            for (int done = 0; done < n; ) {
                need(1);
                int k = Math.min(n - done, buffer.remaining());
                buffer.get(b, done, k);
                done += k;
            }
            return new String(b, StandardCharsets.UTF_8);
        }

        /** A count written before {@code perItem}-byte items: checked against what is left of the file. */
        int count(int perItem) {
            int n = getInt();
            if (n < 0 || (long) n * perItem > left()) {
                throw damaged("a count of " + n + " with " + left() + " bytes left");
            }
            return n;
        }

        /** Fills {@code a[0..n)}. */
        void getInts(int[] a, int n) {
            for (int done = 0; done < n; ) {
                need(Integer.BYTES);
                int k = Math.min(n - done, buffer.remaining() / Integer.BYTES);
                buffer.asIntBuffer().get(a, done, k);
                buffer.position(buffer.position() + k * Integer.BYTES);
                done += k;
            }
        }

        /** Fills {@code a[0..n)}. */
        void getLongs(long[] a, int n) {
            for (int done = 0; done < n; ) {
                need(Long.BYTES);
                int k = Math.min(n - done, buffer.remaining() / Long.BYTES);
                buffer.asLongBuffer().get(a, done, k);
                buffer.position(buffer.position() + k * Long.BYTES);
                done += k;
            }
        }

        /** The error for content that cannot be right, saying what is wrong. */
        Checkpoints.Unusable damaged(String what) {
            return new Checkpoints.Unusable(file, "damaged: " + what);
        }

        /** @throws Checkpoints.Unusable if anything is left before the checksum */
        void expectEnd() {
            if (left() != 0) {
                throw damaged(left() + " bytes more than expected");
            }
        }

        /** Bytes not yet read before the checksum. */
        private long left() {
            try {
                return end - channel.position() + buffer.remaining();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read checkpoint " + file, e);
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close checkpoint " + file, e);
            }
        }

        private void checkSum() throws IOException {
            CRC32C crc = new CRC32C();
            long pos = 0;
            while (pos < end) {
                buffer.clear().limit((int) Math.min(BUFFER, end - pos));
                int n = channel.read(buffer, pos);
                if (n < 0) {
                    throw new EOFException();
                }
                buffer.flip();
                crc.update(buffer);
                pos += n;
            }
            buffer.clear().limit(Long.BYTES);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, end + buffer.position()) < 0) {
                    throw new EOFException();
                }
            }
            buffer.flip();
            if (buffer.getLong() != crc.getValue()) {
                throw new Checkpoints.Unusable(file, "damaged or incomplete: its checksum does not match");
            }
        }

        private void need(int bytes) {
            if (buffer.remaining() >= bytes) {
                return;
            }
            buffer.compact();
            try {
                while (buffer.position() < bytes) {
                    long pos = channel.position();
                    if (pos >= end) {
                        throw damaged("it ends before its content does");
                    }
                    buffer.limit((int) Math.min(buffer.capacity(), buffer.position() + (end - pos)));
                    if (channel.read(buffer) < 0) {
                        throw damaged("it ends before its content does");
                    }
                }
            } catch (IOException e) {
                throw new Checkpoints.Unusable(file, "cannot be read (" + e.getMessage() + ")", e);
            }
            buffer.flip();
        }
    }
}
