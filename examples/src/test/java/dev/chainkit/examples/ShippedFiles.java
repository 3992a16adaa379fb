package dev.chainkit.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The shipped scenario files on the test class path, listed by directory; shared by the tests that read them. */
public final class ShippedFiles {

    private ShippedFiles() {
    }

    /** The names of the {@code .scn} files in the class-path directory {@code dir}, sorted. */
    public static Stream<String> scenarios(String dir) {
        URL url = ShippedFiles.class.getClassLoader().getResource(dir);
        if (url == null) {
            throw new IllegalStateException(dir + " is missing from the class path");
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".scn")).sorted().toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
