package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Offer;
import dev.chainkit.core.time.VirtualTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A flood of refusals writes a few WARN lines, not one each (issue 10: 8.6 MB of log per 100,000). Reads the lines
 * the engine wrote to this test run's log file (simplelogger.properties), at info level in the flood tests' JVM.
 */
class LogFloodTest {

    private static final Path LOG = Path.of("target", "chain-core-tests.log");

    @Test
    void aHundredThousandBusyRefusalsWriteOneWarningAndTheNextSaysHowManyWereHeldBack() throws IOException {
        VirtualTime time = new VirtualTime();
        ChainNode b = ChainNode.builder(TestNetwork.B, 1).clock(time).scheduler(time).transport(e -> { })
                .settings(NodeSettings.defaults().withMaxInFlightPerPeer(1)).build();
        b.register(Haggle.PROTOCOL, (chain, m) -> ResponderAction.reply(new Offer("pen", 1)));
        long before = refusalLines().size();
        long bytesBefore = Files.size(LOG);

        for (long s = 1; s <= 100_000; s++) {
            open(b, s);
        }
        List<String> lines = refusalLines();
        long written = Files.size(LOG) - bytesBefore;
        System.out.printf(Locale.ROOT, "LogFloodTest: 100,000 refusals wrote %d WARN line(s), %d bytes of log%n",
                lines.size() - before, written);
        assertEquals(99_999, b.stats().count(ChainEventType.BUSY));
        assertEquals(before + 1, lines.size(), "one line for the flood");

        time.advanceBy(Duration.ofSeconds(10));
        open(b, 100_001);
        lines = refusalLines();
        assertEquals(before + 2, lines.size());
        assertTrue(lines.get(lines.size() - 1).contains("[99998] lines like this one were suppressed"),
                lines.get(lines.size() - 1));
    }

    private static void open(ChainNode b, long sequence) {
        b.onEnvelope(new Envelope("haggle", new ChainId(TestNetwork.A, 1, sequence), 0, TestNetwork.A, 1, TestNetwork.B,
                0, EnvelopeKind.STEP, new Ask("pen", 1)));
    }

    private static List<String> refusalLines() throws IOException {
        try (var lines = Files.lines(LOG, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("WARN") && l.contains("Refusing chain")).toList();
        }
    }
}
