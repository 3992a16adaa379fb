package dev.chainkit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module's layering, read from the compiled classes' constant pools: the simulator's machinery does not know its
 * facade (hooks are {@code Runnable}s), and the fault package stands alone, so a network fault proxy can use it
 * without the simulator.
 */
class PackageDependenciesTest {

    @Test
    void theSimulatorsMachineryDoesNotKnowItsFacade() {
        assertEquals(List.of(), references("dev/chainkit/sim/internal", "dev/chainkit/sim/Simulation(?![A-Za-z0-9_])"));
    }

    @Test
    void theFaultPackageUsesNothingElseOfTheSimulator() {
        assertEquals(List.of(), references("dev/chainkit/sim/fault", "dev/chainkit/sim/(?!fault/)[A-Za-z]"));
    }

    /** Each class of {@code pkg} (a path under the class root) with the names it references matching {@code regex}. */
    private static List<String> references(String pkg, String regex) {
        Pattern pattern = Pattern.compile(regex);
        Path dir = classRoot().resolve(pkg);
        try (Stream<Path> classes = Files.list(dir)) {
            List<Path> files = classes.filter(p -> p.toString().endsWith(".class")).sorted()
                    .collect(Collectors.toList());
            assertFalse(files.isEmpty(), "no classes found in " + dir);
            return files.stream().flatMap(f -> {
                Matcher m = pattern.matcher(new String(read(f), StandardCharsets.ISO_8859_1));
                return m.find() ? Stream.of(f.getFileName() + " references " + m.group()) : Stream.empty();
            }).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path classRoot() {
        try {
            return Path.of(Simulation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
