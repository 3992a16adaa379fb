package dev.chainkit.transport.netty;

import dev.chainkit.core.NodeId;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-node secrets that prove identity in the handshake: a node proves it is {@code alice} by computing an
 * HMAC-SHA256 keyed with alice's secret over nonces from both sides. A secret never leaves this object and never
 * crosses the wire; {@link #sign} is all a transport can do with it.
 *
 * <h2>The secrets file</h2>
 * <pre>
 * # chainkit node secrets: one node per line, NAME then SECRET, separated by spaces or tabs
 * hq      9qB0j3vS0mC1pQy6mKx4bW2Fz8Tn5Ls7Ua1Dc3Ve0Ho=
 * judge1  r8Zt2Kp5Yw1Nq4Xs7Vb0Cm3Lf6Gh9Jd2Ae5Ru8Ti1Po=
 * </pre>
 * <ul>
 *   <li>UTF-8 text; blank lines and lines starting with {@code #} are ignored.</li>
 *   <li>{@code NAME} is a node id ({@code [A-Za-z][A-Za-z0-9_-]*}), at most once per file.</li>
 *   <li>{@code SECRET} is standard Base64 (RFC 4648 section 4, padding optional) of at least 32 random bytes.
 *   Shorter secrets, and secrets of one repeated byte (all zeros, say), are refused as weak.
 *   {@link #generate} makes good ones.</li>
 *   <li>Who needs which line: the node that <em>accepts</em> a connection must know the dialing node's secret, since
 *   the handshake is keyed with it; a node that only dials needs only its own line. A server's file lists every
 *   node that may connect; a client's file can be its own line alone.</li>
 *   <li>On a POSIX file system the file must not be readable or writable by group or others (like an SSH private
 *   key): {@code chmod 600 FILE}. On other file systems the permissions are not checked.</li>
 * </ul>
 * Every error names the file and, where one line is at fault, the line: {@code secrets.txt:3: ...}.
 *
 * <p>Thread safety: immutable; {@link #sign} is thread-safe.
 */
public final class NodeSecrets {

    /** The fewest bytes a secret may have. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final String HMAC = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> TOO_OPEN = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Map<NodeId, byte[]> secrets;

    private NodeSecrets(Map<NodeId, byte[]> secrets) {
        this.secrets = secrets;
    }

    /**
     * Reads a secrets file (format above).
     *
     * @throws SecretsFileException if the file cannot be read, is open to group or others, is not UTF-8, or a
     *     line is wrong (bad form, bad name, bad Base64, a weak secret, a name twice)
     */
    public static NodeSecrets load(Path file) {
        Objects.requireNonNull(file, "file");
        checkPermissions(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new SecretsFileException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new SecretsFileException(file + ": cannot read: " + e, e);
        }
        Map<NodeId, byte[]> map = new LinkedHashMap<>();
        Map<NodeId, Integer> lineOf = new TreeMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] fields = line.split("[ \t]+");
            if (fields.length != 2) {
                throw new SecretsFileException(where + "expected 'NAME SECRET' (two fields), got " + fields.length
                        + " fields", null);
            }
            NodeId id;
            try {
                id = NodeId.of(fields[0]);
            } catch (IllegalArgumentException e) {
                throw new SecretsFileException(where + e.getMessage(), e);
            }
            if (lineOf.containsKey(id)) {
                throw new SecretsFileException(where + "node '" + id + "' already has a secret on line "
                        + lineOf.get(id), null);
            }
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(fields[1]);
            } catch (IllegalArgumentException e) {
                throw new SecretsFileException(where + "the secret of '" + id + "' is not standard Base64: "
                        + e.getMessage(), e);
            }
            String weak = weakness(secret);
            if (weak != null) {
                throw new SecretsFileException(where + "the secret of '" + id + "' is weak: " + weak, null);
            }
            map.put(id, secret);
            lineOf.put(id, i + 1);
        }
        return new NodeSecrets(Collections.unmodifiableMap(map));
    }

    /**
     * Fresh random secrets ({@value #MIN_SECRET_BYTES} bytes from {@link SecureRandom}) for {@code nodes}.
     *
     * @throws IllegalArgumentException if a node appears twice
     */
    public static NodeSecrets generate(Collection<NodeId> nodes) {
        Map<NodeId, byte[]> map = new LinkedHashMap<>();
        for (NodeId id : nodes) {
            byte[] s = new byte[MIN_SECRET_BYTES];
            RANDOM.nextBytes(s);
            if (map.put(Objects.requireNonNull(id, "node"), s) != null) {
                throw new IllegalArgumentException("node '" + id + "' appears twice");
            }
        }
        return new NodeSecrets(Collections.unmodifiableMap(map));
    }

    /**
     * The secrets of {@code nodes} only (say, a client's own line for its file).
     *
     * @throws IllegalArgumentException if one of them has no secret here
     */
    public NodeSecrets only(NodeId... nodes) {
        Map<NodeId, byte[]> map = new LinkedHashMap<>();
        for (NodeId id : nodes) {
            byte[] s = secrets.get(id);
            if (s == null) {
                throw new IllegalArgumentException("no secret for node '" + id + "'");
            }
            map.put(id, s);
        }
        return new NodeSecrets(Collections.unmodifiableMap(map));
    }

    /**
     * Writes these secrets to a new file in the format {@link #load} reads, readable and writable by its owner
     * only (on a POSIX file system).
     *
     * @throws SecretsFileException if the file exists or cannot be written
     */
    public void writeTo(Path file) {
        StringBuilder text = new StringBuilder("# chainkit node secrets: NAME SECRET (Base64 of 32 random bytes)\n");
        secrets.forEach((id, s) -> text.append(id).append(' ').append(Base64.getEncoder().encodeToString(s))
                .append('\n'));
        try {
            if (Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView(
                    PosixFileAttributeView.class)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new SecretsFileException(file + ": exists already; secrets are never overwritten", e);
        } catch (IOException e) {
            throw new SecretsFileException(file + ": cannot write: " + e, e);
        }
    }

    /** The nodes that have a secret here. */
    public Set<NodeId> nodes() {
        return secrets.keySet();
    }

    /** Whether {@code node} has a secret here. */
    public boolean contains(NodeId node) {
        return secrets.containsKey(node);
    }

    /**
     * HMAC-SHA256 of {@code message} keyed with {@code node}'s secret.
     *
     * @return the 32-byte MAC, or empty when {@code node} has no secret here
     * @throws NullPointerException if an argument is null
     */
    public Optional<byte[]> sign(NodeId node, byte[] message) {
        Objects.requireNonNull(message, "message");
        byte[] key = secrets.get(Objects.requireNonNull(node, "node"));
        if (key == null) {
            return Optional.empty();
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return Optional.of(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + HMAC + ", which every Java SE platform must provide", e);
        }
    }

    @Override
    public String toString() {
        return "NodeSecrets" + secrets.keySet() + " (secrets hidden)";
    }

    private static String weakness(byte[] secret) {
        if (secret.length < MIN_SECRET_BYTES) {
            return secret.length + " bytes, expected at least " + MIN_SECRET_BYTES
                    + " random bytes (NodeSecrets.generate makes them; or: head -c 32 /dev/urandom | base64)";
        }
        for (byte b : secret) {
            if (b != secret[0]) {
                return null;
            }
        }
        return "one byte repeated " + secret.length + " times is not a secret";
    }

    private static void checkPermissions(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        Set<PosixFilePermission> perms;
        try {
            perms = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new SecretsFileException(file + ": cannot read: " + e, e);
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(perms);
        open.retainAll(TOO_OPEN);
        if (!open.isEmpty()) {
            throw new SecretsFileException(file + ": is open to group or others (" + PosixFilePermissions.toString(perms)
                    + "); a secrets file must be readable by its owner only: chmod 600 " + file, null);
        }
    }
}
