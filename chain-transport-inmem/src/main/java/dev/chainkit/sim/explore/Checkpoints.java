package dev.chainkit.sim.explore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a long exploration saves itself, and how often, so that it can stop (a time limit, a kill, the end of a
 * working day) and go on later from where it was, as TLC's checkpoints do. Exhausting a configuration can take hours;
 * without this, a run that is stopped has to start again from nothing.
 *
 * <p>The search saves everything it keeps (the states, their paths and sleep sets, the queue, the transition graph,
 * the violations, its counters and elapsed time) between two batches of states, every {@code every} of wall-clock
 * time and when it ends, to a temporary file beside {@code file} that then replaces it, so a kill while saving leaves
 * the previous checkpoint whole. An exploration started with a checkpoint file that exists resumes from it, after
 * checking that it was written for the same space: the same bounds (all but the state and time limits, the
 * violation limit and the threads, which a resumed run may change), the same initial state, and the same states
 * at the end of a sample of its paths, replayed (a change of the model's code shows there). A resumed search
 * finds exactly what one run without a stop would have found (a search resumed with a state or violation limit
 * below what it already holds stops at once and reports what it holds). What it saves is about as big as what it
 * holds in memory (some 60 bytes a state). A new search saves at once, so a checkpoint that cannot be written fails
 * before the work starts; later, a save that fails is logged and the search goes on. One search at a time per file.
 *
 * <p>Thread safety: immutable value.
 *
 * @param file the checkpoint file; an exploration resumes from it if it exists
 * @param every how often the running search saves itself; more than 0
 */
public record Checkpoints(Path file, Duration every) {

    /**
     * @throws IllegalArgumentException if {@code every} is not positive
     * @throws NullPointerException if an argument is null
     */
    public Checkpoints {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(every, "every");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("checkpoints must be saved every positive duration, but every was "
                    + every);
        }
    }

    /** A checkpoint file that cannot be resumed from: unreadable, damaged, or written for another space. */
    public static final class Unusable extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        Unusable(Path file, String why) {
            super("checkpoint " + file + ": " + why);
        }

        Unusable(Path file, String why, Throwable cause) {
            super("checkpoint " + file + ": " + why, cause);
        }
    }
}
