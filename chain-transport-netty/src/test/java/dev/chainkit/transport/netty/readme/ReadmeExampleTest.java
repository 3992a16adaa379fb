package dev.chainkit.transport.netty.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.NodeId;
import dev.chainkit.transport.netty.NodeSecrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "two nodes in two JVMs" section is real: its code is these classes, word for word, and this test
 * runs the server and the client in two child JVMs on loopback and checks that the chain completes.
 */
class ReadmeExampleTest {

    private static final Path SOURCES = Path.of("src", "test", "java", "dev", "chainkit", "transport", "netty",
            "readme");
    private static final Pattern REGION = Pattern.compile("// README: \\w+\\n(.*?)\\n\\s*// README: end", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theReadmeShowsTheseClassesWordForWord() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        for (String source : List.of("Ping.java", "PingServer.java", "PingClient.java")) {
            Matcher m = REGION.matcher(Files.readString(SOURCES.resolve(source), StandardCharsets.UTF_8));
            assertTrue(m.find(), source + " has no README region");
            String code = m.group(1).stripIndent();
            assertTrue(readme.contains(code), "README.md lacks the code of " + source + ":\n" + code);
        }
    }

    @Test
    void twoNodesInTwoJvmsCompleteAChainOverTcp() throws Exception {
        NodeSecrets both = NodeSecrets.generate(List.of(NodeId.of("server"), NodeId.of("client")));
        Path serverDir = Files.createDirectory(dir.resolve("server"));
        Path clientDir = Files.createDirectory(dir.resolve("client"));
        both.writeTo(serverDir.resolve("server.secrets"));
        both.only(NodeId.of("client")).writeTo(clientDir.resolve("client.secrets"));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process server = java(serverDir, port, PingServer.class);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = out.readLine();
            assertEquals("listening on /127.0.0.1:" + port, first);
            Process client = java(clientDir, port, PingClient.class);
            assertTrue(client.waitFor(30, TimeUnit.SECONDS), "the client JVM did not finish within 30 s");
            String printed = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, client.exitValue(), printed);
            assertEquals("Completed[result=pong to hello]", printed);
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Process java(Path workDir, int port, Class<?> main) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dchainkit.port=" + port, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        return new ProcessBuilder(command).directory(workDir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
