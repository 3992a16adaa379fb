package dev.chainkit.examples;

import static dev.chainkit.examples.testing.Cli.chainsim;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainkit.examples.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command the README shows is run here as written, so none of them can rot: the {@code ./chainsim} lines
 * in-process (the script only builds the jar and runs this main), output files in a temporary folder; the replay
 * command of the property checks as a real Maven build, as a user types it in a fresh clone; the other Maven lines
 * are checked against the build (profiles, modules with {@code -am}, properties the tests read), since they are
 * the test suite itself at other sizes ({@code mvn -B verify} is what {@code .ci/run} runs). Synopsis lines
 * ({@code chainsim run FILE [--json] ...}) are checked option by option against the commands.
 */
class ReadmeCommandsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern FENCE = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```");
    private static final Pattern EXIT = Pattern.compile("\\bexit (\\d)\\b");
    /** Options whose argument is a file the command writes: it goes to the test's temporary folder. */
    private static final List<String> OUTPUTS = List.of("--trace", "--out", "--checkpoint");

    @TempDir
    Path dir;



    /** Every line of the README's code blocks that starts with {@code prefix}, comment removed. */
    private static List<String> commands(String prefix) throws IOException {
        List<String> found = new ArrayList<>();
        for (String line : written(prefix)) {
            int hash = line.indexOf(" #");
            found.add(hash < 0 ? line : line.substring(0, hash).strip());
        }
        return found;
    }

    /** Every line of the README's code blocks that starts with {@code prefix}, comment included. */
    private static List<String> written(String prefix) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        Matcher m = FENCE.matcher(readme);
        while (m.find()) {
            for (String line : m.group(1).split("\n")) {
                if (line.strip().startsWith(prefix)) {
                    found.add(line.strip());
                }
            }
        }
        return found;
    }

    @Test
    void everyChainsimCommandOfTheReadmeRunsAsWritten() throws IOException {
        List<String> lines = written("./chainsim");
        assertTrue(lines.size() >= 8, "the README's chainsim commands: " + lines);
        for (String written : lines) {
            int hash = written.indexOf(" #");
            String line = hash < 0 ? written : written.substring(0, hash).strip();
            // a comment that says "exit N" gives the status the command exits with; 0 otherwise
            Matcher exit = EXIT.matcher(hash < 0 ? "" : written.substring(hash));
            int status = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
            List<String> words = new ArrayList<>(Arrays.asList(line.split("\\s+")));
            words.remove(0);
            Path redirect = null;
            int gt = words.indexOf(">");
            if (gt >= 0) {
                redirect = dir.resolve(words.get(gt + 1));
                words = new ArrayList<>(words.subList(0, gt));
            }
            List<String> args = new ArrayList<>();
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                boolean output = i > 0 && OUTPUTS.contains(words.get(i - 1));
                if (output) {
                    w = dir.resolve(w).toString(); // files the command writes go to the temporary folder
                } else if (w.endsWith(".scn")) {
                    Path inRepo = ROOT.resolve(w);
                    w = Files.exists(inRepo) ? inRepo.toString() : dir.resolve(w).toString();
                }
                args.add(w);
            }
            Cli.Result r = chainsim(args);
            assertEquals(status, r.exit(), line + "\n" + r.out() + r.err());
            if (redirect != null) {
                Files.writeString(redirect, r.out(), StandardCharsets.UTF_8);
            }
            if (args.contains("--trace")) {
                Path trace = Path.of(args.get(args.indexOf("--trace") + 1));
                assertTrue(Files.readString(trace).startsWith("sequenceDiagram\n"), line);
            }
        }
    }

    @Test
    void theQuickstartOutputIsWhatTheDefaultScenarioPrints() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        Cli.Result r = chainsim(List.of());
        String shown = readme.substring(readme.indexOf("scenario friday-night (seed 2024)"),
                readme.indexOf("    ...\n```"));
        assertTrue(r.out().startsWith(shown), "README:\n" + shown + "\nactual:\n" + r.out());
    }

    @Test
    void theReadmeTraceIsWhatChainsimWritesForConflictSkip() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```mermaid\n") + "```mermaid\n".length();
        String shown = readme.substring(start, readme.indexOf("```", start));
        Path trace = dir.resolve("skip.mmd");

        Cli.Result r = chainsim(List.of("run", ROOT.resolve("examples/scenarios/note/conflict-skip.scn").toString(),
                "--trace", trace.toString()));

        assertEquals(0, r.exit(), r.err());
        assertEquals(shown, Files.readString(trace));
    }

    @Test
    void theReadmeShowsTheSeatCheckExactlyAsItCompiles() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        String source = Files.readString(ROOT.resolve(
                "examples/src/main/java/dev/chainkit/examples/seats/SeatCheck.java"), StandardCharsets.UTF_8);

        assertTrue(readme.contains("```java\n" + source + "```\n"), "the README's SeatCheck is the compiled file");
    }

    @Test
    void everySynopsisNamesOnlyOptionsTheCommandHas() throws IOException {
        List<String> lines = commands("chainsim ");
        assertTrue(lines.size() >= 4, lines.toString());
        for (String line : lines) {
            String[] words = line.split("\\s+");
            CommandLine cmd = Chainsim.commandLine();
            CommandLine sub = words.length > 1 && cmd.getSubcommands().containsKey(words[1])
                    ? cmd.getSubcommands().get(words[1]) : cmd;
            Matcher option = Pattern.compile("--(\\[no-])?([a-z][a-z-]*)").matcher(line);
            while (option.find()) {
                String name = "--" + option.group(2);
                assertTrue(sub.getCommandSpec().findOption(name) != null, line + ": " + name + " is not an option of "
                        + sub.getCommandName());
            }
        }
    }

    @Test
    void everyMavenCommandOfTheReadmeWorksInAFreshClone() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        List<String> lines = commands("mvn ");
        assertTrue(lines.contains("mvn -B verify"), lines.toString());
        assertTrue(ci.lines().anyMatch(l -> l.strip().equals("mvn -B verify")), ".ci/run runs the README's command");
        for (String line : lines) {
            List<String> words = Arrays.asList(line.split("\\s+"));
            int pl = words.indexOf("-pl");
            if (pl >= 0) {
                assertTrue(Files.isDirectory(ROOT.resolve(words.get(pl + 1))), line);
                assertTrue(words.contains("-am"), line + ": a fresh clone has no installed modules, so -pl needs -am");
            }
            for (String w : words) {
                if (w.startsWith("-P")) {
                    assertTrue(pom.contains("<id>" + w.substring(2) + "</id>"), line + ": no profile " + w);
                } else if (w.startsWith("-Dtest=")) {
                    String test = w.substring("-Dtest=".length());
                    assertTrue(Files.walk(ROOT.resolve(words.get(pl + 1)).resolve("src/test/java"))
                            .anyMatch(f -> f.getFileName().toString().equals(test + ".java")), line);
                } else if (w.startsWith("-D") && !w.startsWith("-Dsurefire.")) {
                    String property = w.substring(2, w.indexOf('='));
                    assertTrue(property.equals("chainkit.seeds") || property.equals("chainkit.seed"), line
                            + ": the tests read chainkit.seeds and chainkit.seed only");
                }
            }
        }
    }

    @Test
    void theReadmeCommandThatReplaysOneSeedBuildsAndRunsInAFreshClone() throws Exception {
        String replay = commands("mvn ").stream().filter(l -> l.contains("-Dchainkit.seed=")).findFirst()
                .orElseThrow();
        List<String> command = new ArrayList<>(Arrays.asList(replay.split("\\s+")));
        Path log = dir.resolve("replay.log");
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log);
        assertTrue(done, "the replay build did not finish in 10 minutes:\n" + out);
        assertEquals(0, p.exitValue(), replay + "\n" + out);
        assertTrue(out.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0") && out.contains(
                "TournamentSyncProperties"), "one seed of the sweep ran:\n" + out);
        assertFalse(out.contains("BUILD FAILURE"), out);
    }
}
