package dev.chainkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.sim.fault.FaultRule;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RenderersTest {

    @Test
    void countersCountEveryKindAndRetransmissions() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.sim.addRule(FaultRule.drop(2, "Pong", p.b.id(), p.a.id()));
        p.sim.addRule(FaultRule.duplicate(1, "Ping", p.a.id(), p.b.id()));
        p.pings(1);
        assertTrue(p.sim.runUntilQuiet(Duration.ofMinutes(1)).quiet());
        NetworkCounters c = p.sim.counters();
        assertEquals(new NetworkCounters.Counts(2, 3, 0, 1, 1), c.of("Ping"));
        assertEquals(new NetworkCounters.Counts(3, 1, 2, 0, 0), c.of("Pong"));
        assertEquals(new NetworkCounters.Counts(5, 4, 2, 1, 1), c.total());
        String table = c.render();
        assertEquals(4, table.lines().count(), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("Ping") && l.endsWith(" 1")), table);
        assertTrue(table.startsWith("kind "), table);
    }

    @Test
    void mermaidDiagramShowsParticipantsDeliveriesDropsAndNotes() {
        Simulation sim = Simulation.builder().build();
        SimNode<PingPong.Server> b = sim.addNode("hq", ctx -> PingPong.Server.on(ctx, 1));
        SimNode<PingPong.Client> a = sim.addNode("judge-1", PingPong.Client::new);
        sim.addRule(FaultRule.drop(1, "Ping", a.id(), b.id()));
        a.app().ping(b.id(), 1);
        sim.at(Duration.ofMillis(500), () -> sim.partition(Set.of(a.id()), Set.of(b.id())));
        sim.at(Duration.ofMillis(600), sim::heal);
        sim.at(Duration.ofMillis(700), () -> sim.crash(b.id()));
        sim.at(Duration.ofMillis(800), () -> sim.restart(b.id()));
        assertTrue(sim.runUntilQuiet(Duration.ofMinutes(1)).quiet());
        List<String> lines = MermaidRenderer.render(sim.trace()).lines().toList();
        assertEquals(List.of(
                "sequenceDiagram",
                "    participant hq",
                "    participant p1 as judge-1",
                "    Note over hq,p1: 0.000s rule added drop next Ping judge-1 -> hq",
                "    p1-xhq: 0.000s Ping step 0 judge-1/1/1 dropped: rule"), lines.subList(0, 5));
        assertTrue(lines.stream().anyMatch(l -> l.matches("    p1->>hq: \\d\\.\\d{3}s Ping step 0 judge-1/1/1"
                + " \\(retransmission\\)")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("    hq->>p1: \\d\\.\\d{3}s Pong step 1 judge-1/1/1")),
                lines.toString());
        assertTrue(lines.contains("    Note over hq,p1: 0.500s partitioned judge-1 | hq"), lines.toString());
        assertTrue(lines.contains("    Note over hq: 0.700s crashed incarnation 1"), lines.toString());
        assertTrue(lines.contains("    Note over hq: 0.800s restarted incarnation 2"), lines.toString());
    }

    @Test
    void mermaidParticipantsNeverCollideAndKeywordsNeverBreakTheDiagram() {
        Simulation sim = Simulation.builder().build();
        SimNode<PingPong.Server> end = sim.addNode("end", ctx -> PingPong.Server.on(ctx, 1));
        SimNode<PingPong.Client> dashed = sim.addNode("a-b", PingPong.Client::new);
        SimNode<PingPong.Client> p1 = sim.addNode("p1", PingPong.Client::new);
        SimNode<PingPong.Client> loop = sim.addNode("loop", PingPong.Client::new);
        dashed.app().ping(end.id(), 1);
        p1.app().ping(end.id(), 1);
        loop.app().ping(end.id(), 1);
        assertTrue(sim.runUntilQuiet(Duration.ofMinutes(1)).quiet());
        List<String> lines = MermaidRenderer.render(sim.trace()).lines().toList();

        assertEquals(List.of(
                "sequenceDiagram",
                "    participant p2 as end",
                "    participant p3 as a-b",
                "    participant p1",
                "    participant p4 as loop"), lines.subList(0, 5));
        assertTrue(lines.contains("    p3->>p2: 0.001s Ping step 0 a-b/1/1"), lines.toString());
        assertTrue(lines.contains("    p1->>p2: 0.001s Ping step 0 p1/1/1"), lines.toString());
    }

    @Test
    void mermaidCutsALongTraceUnderTheLimitAndSaysWhere() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.pings(1000);
        p.sim.runUntilQuiet(Duration.ofMinutes(10));
        String whole = MermaidRenderer.render(p.sim.trace());
        assertTrue(whole.length() > MermaidRenderer.MERMAID_MAX_TEXT, "the test needs a long trace");

        String cut = MermaidRenderer.render(p.sim.trace(), MermaidRenderer.MERMAID_MAX_TEXT);

        assertTrue(cut.length() <= MermaidRenderer.MERMAID_MAX_TEXT, "length " + cut.length());
        String lastLine = cut.lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(lastLine.matches("    Note over b,a: \\d+\\.\\d{3}s trace cut here: \\d+ more events left out, to"
                + " stay under 50000 characters \\(narrow the trace to see them\\)"), lastLine);
        assertTrue(whole.startsWith(cut.substring(0, cut.length() - lastLine.length() - 1)));
    }

    @Test
    void traceRendersOneLinePerEventAndCanKeepOnlyTheEnd() {
        PingPong.Pair p = new PingPong.Pair(Simulation.builder().build());
        p.pings(1);
        p.sim.runUntilQuiet(Duration.ofMinutes(1));
        Trace t = p.sim.trace();
        assertEquals(List.of(
                "     0.000ms SENT        a -> b Ping a/1/1#0",
                "     1.000ms DELIVERED   a -> b Ping a/1/1#0",
                "     1.000ms SENT        b -> a Pong a/1/1#1",
                "     2.000ms DELIVERED   b -> a Pong a/1/1#1"), t.render().lines().toList());
        assertEquals("... 3 earlier events left out\n     2.000ms DELIVERED   b -> a Pong a/1/1#1\n", t.render(1));
        p.sim.partition(java.util.Set.of(p.a.id()), java.util.Set.of(p.b.id()));
        p.sim.heal();
        List<TraceEvent> last = p.sim.trace().events().subList(4, 6);
        assertEquals("     2.000ms PARTITIONED a | b", last.get(0).render());
        assertEquals("     2.000ms HEALED", last.get(1).render());
        assertEquals(List.of(p.b.id(), p.a.id()), t.nodes());
        assertEquals(0, Simulation.builder().tracing(false).build().trace().size());
    }
}
