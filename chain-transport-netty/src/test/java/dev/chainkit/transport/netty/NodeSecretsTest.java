package dev.chainkit.transport.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSecretsTest {

    private static final String GOOD = Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32});

    @TempDir
    Path dir;

    @Test
    void readsNamesAndSecretsSkippingCommentsAndBlankLines() throws IOException {
        Path f = file("# secrets\n\nhq " + GOOD + "\n  judge-1\t" + GOOD.replace("=", "") + "  \n");
        NodeSecrets s = NodeSecrets.load(f);
        assertEquals(List.of(NodeId.of("hq"), NodeId.of("judge-1")), List.copyOf(s.nodes()));
        assertArrayEquals(s.sign(NodeId.of("hq"), new byte[] {1}).orElseThrow(),
                s.sign(NodeId.of("judge-1"), new byte[] {1}).orElseThrow(), "same secret, same MAC");
        assertTrue(s.sign(NodeId.of("nobody"), new byte[] {1}).isEmpty());
        assertFalse(s.toString().contains(GOOD), "a secret never shows in toString");
    }

    @Test
    void eachErrorNamesTheFileAndTheLine() throws IOException {
        assertError("hq\n", ":1: expected 'NAME SECRET' (two fields), got 1 fields");
        assertError("# c\nhq " + GOOD + " extra\n", ":2: expected 'NAME SECRET' (two fields), got 3 fields");
        assertError("9lives " + GOOD + "\n", ":1: node name '9lives' is invalid");
        assertError("hq " + GOOD + "\nhq " + GOOD + "\n", ":2: node 'hq' already has a secret on line 1");
        assertError("hq not*base64\n", ":1: the secret of 'hq' is not standard Base64");
        assertError("hq " + Base64.getEncoder().encodeToString(new byte[16]).replace('A', 'B') + "\n",
                ":1: the secret of 'hq' is weak: 16 bytes, expected at least 32");
        assertError("hq " + Base64.getEncoder().encodeToString(new byte[32]) + "\n",
                ":1: the secret of 'hq' is weak: one byte repeated 32 times is not a secret");
    }

    @Test
    void aFileOpenToOthersIsRefused() throws IOException {
        Path f = file("hq " + GOOD + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        SecretsFileException e = assertThrows(SecretsFileException.class, () -> NodeSecrets.load(f));
        assertEquals(f + ": is open to group or others (rw-r--r--); a secrets file must be readable by its owner "
                + "only: chmod 600 " + f, e.getMessage());
    }

    @Test
    void aMissingFileSaysSo() {
        SecretsFileException e = assertThrows(SecretsFileException.class,
                () -> NodeSecrets.load(dir.resolve("absent")));
        assertTrue(e.getMessage().startsWith(dir.resolve("absent") + ": cannot read"), e.getMessage());
    }

    @Test
    void generatedSecretsWrittenToAFileLoadBackAndAreNeverOverwritten() {
        NodeSecrets s = NodeSecrets.generate(List.of(NodeId.of("a"), NodeId.of("b")));
        Path f = dir.resolve("cluster.secrets");
        s.writeTo(f);
        NodeSecrets back = NodeSecrets.load(f);
        assertEquals(s.nodes(), back.nodes());
        assertArrayEquals(s.sign(NodeId.of("b"), new byte[] {7}).orElseThrow(),
                back.sign(NodeId.of("b"), new byte[] {7}).orElseThrow());
        assertThrows(SecretsFileException.class, () -> s.writeTo(f));
        assertEquals(List.of(NodeId.of("a")), List.copyOf(s.only(NodeId.of("a")).nodes()));
    }

    private Path file(String text) throws IOException {
        Path f = Files.createTempFile(dir, "secrets", ".txt",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private void assertError(String text, String expected) throws IOException {
        Path f = file(text);
        SecretsFileException e = assertThrows(SecretsFileException.class, () -> NodeSecrets.load(f));
        assertTrue(e.getMessage().startsWith(f + expected), e.getMessage() + "\nexpected: " + f + expected);
    }
}
