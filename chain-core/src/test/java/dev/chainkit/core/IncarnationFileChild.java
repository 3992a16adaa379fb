package dev.chainkit.core;

import java.nio.file.Path;

/**
 * The child process of {@link IncarnationFileTest}: takes incarnations from the file named by its first argument,
 * printing each once it is durable, until it has taken as many as its second argument says, or is killed. A test
 * helper, never part of the engine.
 */
public final class IncarnationFileChild {

    private IncarnationFileChild() {
    }

    /**
     * @param args the file, and how many incarnations to take at most
     * @throws Exception whatever {@link IncarnationFile#next()} throws, so that the test sees it
     */
    public static void main(String[] args) throws Exception {
        IncarnationFile file = IncarnationFile.at(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        for (int i = 0; i < count; i++) {
            System.out.println(file.next());
            System.out.flush();
        }
    }
}
