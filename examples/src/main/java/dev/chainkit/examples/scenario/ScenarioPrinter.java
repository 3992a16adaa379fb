package dev.chainkit.examples.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a {@link Scenario} as {@code .scn} text, e.g. to save a shrunk failing schedule as a file people can
 * read, edit and run.
 *
 * <p>Every event and expectation is written on the line it came from when it can be (lines are distinct and
 * in order), so that line numbers in reports of the written file match those of the original; the setting
 * lines ({@code scenario}, {@code seed}, {@code network}, {@code retry}, {@code limit}, {@code calm},
 * {@code server}, {@code client}, {@code hints}) fill the free lines from the top, and whatever does not fit
 * follows the last event or expectation. Other lines stay blank; comments are not kept. {@code scenario},
 * {@code seed}, {@code server} and {@code client} lines are always written; {@code network}, {@code retry},
 * {@code limit}, {@code calm} and {@code hints} only when they differ from the default.
 *
 * <p>Round trip: for every scenario that keeps the parser's rules and whose events and expectations have
 * distinct lines (every scenario {@link ScenarioParser#parse(String, String)} returned, and every one derived
 * from it by removing events or expectations or by changing their values within those rules), parsing the
 * printed text under any file name gives back an equal scenario.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class ScenarioPrinter {

    private ScenarioPrinter() {
    }

    /**
     * Writes a scenario as {@code .scn} text.
     *
     * @param scenario the scenario
     * @return the text, one statement per line, each line ending with {@code \n}
     * @throws NullPointerException if {@code scenario} is null
     */
    public static String print(Scenario scenario) {
        List<String> settings = settingLines(scenario);
        List<Placed> placed = placedLines(scenario);
        int last = placed.isEmpty() ? 0 : placed.get(placed.size() - 1).line();
        List<String> out = new ArrayList<>();
        int nextSetting = 0;
        int nextPlaced = 0;
        for (int line = 1; line <= last; line++) {
            if (placed.get(nextPlaced).line() == line) {
                out.add(placed.get(nextPlaced++).text());
            } else if (nextSetting < settings.size()) {
                out.add(settings.get(nextSetting++));
            } else {
                out.add("");
            }
        }
        out.addAll(settings.subList(nextSetting, settings.size()));
        StringBuilder text = new StringBuilder();
        out.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    private static List<String> settingLines(Scenario s) {
        List<String> lines = new ArrayList<>();
        lines.add("scenario " + s.name());
        lines.add("seed " + s.seed());
        if (!s.network().equals(Network.DEFAULT)) {
            lines.add(s.network().text());
        }
        s.retry().ifPresent(r -> lines.add(r.text()));
        if (!s.limit().equals(Scenario.DEFAULT_LIMIT)) {
            lines.add("limit " + ScenarioSyntax.formatDuration(s.limit()));
        }
        s.calmAt().ifPresent(t -> lines.add("calm at " + ScenarioSyntax.formatDuration(t)));
        s.servers().forEach(server -> lines.add(server.text()));
        s.clients().forEach(c -> lines.add(c.text()));
        if (!s.hints().equals(Hints.DEFAULT)) {
            lines.add(s.hints().text());
        }
        return lines;
    }

    /**
     * Events and expectations in source-line order (events first at equal lines, then list order), each on its
     * source line or, if that is taken, on the next free one.
     */
    private static List<Placed> placedLines(Scenario s) {
        List<Placed> wanted = new ArrayList<>();
        s.events().forEach(e -> wanted.add(new Placed(e.line(), e.text())));
        s.expectations().forEach(x -> wanted.add(new Placed(x.line(), x.text())));
        wanted.sort(Comparator.comparingInt(Placed::line));
        List<Placed> placed = new ArrayList<>();
        int previous = 0;
        for (Placed p : wanted) {
            previous = Math.max(p.line(), previous + 1);
            placed.add(new Placed(previous, p.text()));
        }
        return placed;
    }

    /** A statement and the line it goes on. */
    private record Placed(int line, String text) {
    }
}
