package dev.chainkit.examples.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.sim.explore.NetworkModel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code explored} and {@code step} lines of a scenario file: what they read as, and what is refused. */
class ExploredPathTest {

    private static final String CLUSTER = "server hq\nclient c1 role=judge\nat 0ms c1: a1 = register ann\n";

    private static ExploredPath parse(String text) throws ScenarioException {
        Optional<ExploredPath> path = ScenarioParser.parseExplored("x.scn", text).explored();
        assertTrue(path.isPresent(), text);
        return path.get();
    }

    private static void assertRejected(String text, String message) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioParser.parseExplored("x.scn",
                text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void theBoundsAndStepsReadAsWrittenAndWriteBackTheSame() throws ScenarioException {
        String lines = "explored losses=1 duplicates=2 per-link=true crashes=1 network=fifo lifetime=300ms cycle=2\n"
                + "step c1: a1 = register ann\nstep timer c1\nstep deliver OpSync c1 -> hq [2]\n";
        ExploredPath p = parse(CLUSTER + lines + "expect quiet\n");
        assertEquals(4, p.line());
        assertEquals(1, p.bounds().losses());
        assertEquals(2, p.bounds().duplicates());
        assertEquals(1, p.bounds().crashes());
        assertTrue(p.bounds().perLink());
        assertEquals(NetworkModel.FIFO, p.bounds().network());
        assertEquals(Optional.of(Duration.ofMillis(300)), p.bounds().messageLifetime());
        assertEquals(1, p.cycleStart());
        assertEquals(List.of("c1: a1 = register ann", "timer c1", "deliver OpSync c1 -> hq #2"), p.choices());
        assertEquals(List.of(5, 6, 7), p.steps().stream().map(ExploredPath.Step::line).toList());
        assertEquals(lines, p.text());
    }

    @Test
    void settingsLeftOutAreNoFaultsOnDatagramsWithTheDedupWindowAsLifetime() throws ScenarioException {
        ExploredPath p = parse(CLUSTER + "explored\n");
        assertEquals(0, p.bounds().losses() + p.bounds().duplicates() + p.bounds().crashes());
        assertFalse(p.bounds().perLink());
        assertEquals(NetworkModel.DATAGRAM, p.bounds().network());
        assertEquals(Optional.empty(), p.bounds().messageLifetime());
        assertEquals(-1, p.cycleStart());
        assertEquals(List.of(), p.steps());
    }

    @Test
    void badLinesAreRefusedWithTheirLine() {
        assertRejected(CLUSTER + "step timer c1\n", "x.scn:4: a 'step' line needs an 'explored' line with the"
                + " bounds the path was explored in, such as 'explored losses=1 duplicates=0 crashes=0'");
        assertRejected(CLUSTER + "explored\nexplored\n", "x.scn:5: a second 'explored' line: the first is at"
                + " line 4");
        assertRejected(CLUSTER + "explored losses\n", "x.scn:4: unexpected 'losses' in 'explored': expected"
                + " settings KEY=VALUE with KEY one of losses, duplicates, per-link, crashes, network, lifetime, cycle");
        assertRejected(CLUSTER + "explored per-link=yes\n", "x.scn:4: bad per-link 'yes': expected true or false");
        assertRejected(CLUSTER + "explored network=tcp\n", "x.scn:4: bad network 'tcp': expected datagram or fifo");
        assertRejected(CLUSTER + "explored lifetime=soon\n", "x.scn:4: bad lifetime 'soon': expected a duration"
                + " such as 300ms");
        assertRejected(CLUSTER + "explored cycle=2\nstep timer c1\n", "x.scn:4: cycle=2 but the path has 1 steps");
        assertRejected(CLUSTER + "step\n", "x.scn:4: expected a choice after 'step', such as 'step deliver OpSync"
                + " c1 -> hq'");
    }

    @Test
    void linesAPathCannotPlayAreRefusedWithTheirLine() {
        assertRejected("retry initial=1s\n" + CLUSTER + "explored\n", "x.scn:1: 'retry' cannot be mixed with an"
                + " explored path (line 5), which plays every fault and retransmission as its steps");
        assertRejected(CLUSTER + "at 1s crash c1\nat 2s restart c1\nexplored\n", "x.scn:4: an event other than an"
                + " op cannot be mixed with an explored path (line 6), which plays every fault and retransmission"
                + " as its steps (ops are made at their step; their times are not used)");
        assertRejected("server s1\nserver s2\nclient c1 role=judge\nexplored\n", "x.scn:2: a second server cannot be"
                + " mixed with an explored path (line 4), which plays every fault and retransmission as its steps;"
                + " it explores one server");
    }

    @Test
    void theOrdinaryParserRefusesAPathForTheCommandsThatCannotReplayIt() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse("x.scn",
                CLUSTER + "explored\nstep timer c1\n"));
        assertEquals("x.scn:4: an explored path ('explored' and 'step' lines) is replayed exactly by chainsim run"
                + " only", e.getMessage());
    }
}
