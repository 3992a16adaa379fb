package dev.chainkit.examples.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.Role;
import dev.chainkit.transport.netty.NodeSecrets;
import io.vavr.collection.LinkedHashMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembersFileTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        NodeSecrets.generate(List.of(NodeId.of("judge1"), NodeId.of("alice"))).writeTo(dir.resolve("hq.secrets"));
        return Files.writeString(dir.resolve("friday.members"), text);
    }

    @Test
    void readsLogsAndTheirMembersInFileOrder() throws IOException {
        Path file = write("# the event\nsecrets hq.secrets\nlog friday\nmember friday judge1 judge  # desk\n"
                + "member friday alice player:alice\nlog saturday\n");
        MembersFile m = MembersFile.load(file);
        assertEquals(List.of("friday", "saturday"), m.logs().keySet().toJavaList());
        assertEquals(LinkedHashMap.of(NodeId.of("judge1"), Role.judge(), NodeId.of("alice"), Role.player("alice")),
                m.logs().get("friday").get());
        assertEquals(dir.resolve("hq.secrets"), m.secretsFile());
    }

    @Test
    void everyMistakeNamesItsFileAndLine() throws IOException {
        assertError("secrets hq.secrets\nlog friday\nmember fridy judge1 judge\n",
                ":3: unknown log 'fridy' (logs: friday)");
        assertError("secrets hq.secrets\nlog friday\nmember friday bob judge\n",
                ":3: node bob has no secret in");
        assertError("secrets hq.secrets\nlog friday\nmember friday judge1 referee\n",
                ":3: role of judge1: expected 'organizer', 'judge' or 'player:NAME'");
        assertError("secrets hq.secrets\nlog friday\nlog friday\n", ":3: log friday is declared already on line 2");
        assertError("secrets hq.secrets\nlog 9lives\n", ":2: log id '9lives' must match");
        assertError("secrets hq.secrets\nguest alice\n", ":2: unknown statement 'guest'");
        assertError("log friday\n", ": no secrets line");
        assertError("secrets hq.secrets\nlog friday\nmember friday judge1 judge\nmember friday judge1 organizer\n",
                ":4: judge1 is a member of friday already");
        assertError("secrets missing.secrets\n", ":1: ");
    }

    private void assertError(String text, String expected) throws IOException {
        Path file = write(text);
        MembersFile.Invalid e = assertThrows(MembersFile.Invalid.class, () -> MembersFile.load(file));
        assertEquals(true, e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected),
                () -> "expected '" + expected + "' in: " + e.getMessage());
        Files.delete(dir.resolve("hq.secrets"));
    }
}
