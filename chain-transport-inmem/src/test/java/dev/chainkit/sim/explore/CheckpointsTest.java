package dev.chainkit.sim.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search saved to a checkpoint and resumed finds exactly what one run finds, whatever stopped it (the state limit
 * in the middle of a batch, the time limit, the violation limit) and on any number of threads; a checkpoint that
 * does not belong to the model and bounds, or is damaged, is refused with what is wrong.
 */
class CheckpointsTest {

    private static final ExploreBounds LOSS = ExploreBounds.defaults().withLosses(1);

    @TempDir
    Path dir;

    private Optional<Checkpoints> at(String name) {
        return Optional.of(new Checkpoints(dir.resolve(name), Duration.ofHours(1)));
    }

    private static List<Object> figures(ExploreResult r) {
        return List.of(r.states(), r.nodeStates(), r.transitions(), r.depth(), r.exhausted(), r.cutBy(),
                r.terminalStates(), r.violations());
    }

    @Test
    void aSearchStoppedByTheStateLimitAndResumedFindsWhatOneRunFinds() throws IOException {
        Handshake model = new Handshake(2, false, 1);
        ExploreResult whole = Explorer.explore(model, LOSS, Explorer.Progress.NONE);
        assertTrue(whole.ok() && whole.states() > 3000, whole.toString());
        Optional<Checkpoints> cp = at("handshake.ckpt");
        // 1,001 and 2,003 states: limits that fall inside a batch, so a batch's results are saved half merged
        ExploreResult first = Explorer.explore(model, LOSS.withMaxStates(1001), cp, Explorer.Progress.NONE);
        assertEquals(Optional.of("the state limit (1001)"), first.cutBy());
        assertEquals(1001, first.states());
        assertTrue(Files.size(cp.get().file()) > 1001 * 16, "the states are in the file");
        ExploreResult second = Explorer.explore(model, LOSS.withMaxStates(2003).withThreads(2), cp,
                Explorer.Progress.NONE);
        assertEquals(2003, second.states());
        ExploreResult last = Explorer.explore(model, LOSS.withThreads(2), cp, Explorer.Progress.NONE);
        assertEquals(figures(whole), figures(last));
        assertEquals(List.of(dir.resolve("handshake.ckpt")), list(dir), "no temporary file left");
        ExploreResult again = Explorer.explore(model, LOSS, cp, Explorer.Progress.NONE);
        assertEquals(figures(whole), figures(again), "a finished search resumed is finished");
    }

    @Test
    void aSearchStoppedByTheTimeLimitSavesAndResumes() {
        Handshake model = new Handshake(2, false, 1);
        ExploreResult whole = Explorer.explore(model, LOSS, Explorer.Progress.NONE);
        Optional<Checkpoints> cp = at("timed.ckpt");
        ExploreResult first = Explorer.explore(model, LOSS.withMaxTime(Duration.ofNanos(1)), cp,
                Explorer.Progress.NONE);
        assertFalse(first.exhausted());
        assertEquals(Optional.of("the time limit (0.000000001s)"), first.cutBy());
        assertTrue(first.states() < whole.states(), "one batch of 256 states expanded: " + first);
        assertEquals(figures(whole), figures(Explorer.explore(model, LOSS, cp, Explorer.Progress.NONE)));
    }

    @Test
    void violationsAreKeptAndASearchStoppedByTheViolationLimitGoesOnWithAHigherOne() {
        // the engine's at-most-once broken by messages that outlive its dedup window (HandshakeExploreTest)
        ExploreBounds bounds = ExploreBounds.defaults().withCrashes(1).withMessageLifetime(Duration.ofDays(1))
                .withMaxViolations(3);
        Handshake model = new Handshake(1, false, 2);
        ExploreResult whole = Explorer.explore(model, bounds, Explorer.Progress.NONE);
        assertEquals(3, whole.violations().size(), whole.toString());
        Optional<Checkpoints> cp = at("broken.ckpt");
        ExploreResult first = Explorer.explore(model, bounds.withMaxViolations(1), cp, Explorer.Progress.NONE);
        assertEquals(List.of(whole.violations().get(0)), first.violations());
        assertEquals(figures(whole), figures(Explorer.explore(model, bounds, cp, Explorer.Progress.NONE)));
    }

    @Test
    void aSearchCutByTheDepthLimitIsCutAgainWhereItWasWhenRunAgain() {
        Handshake model = new Handshake(2, false, 1);
        ExploreBounds shallow = LOSS.withMaxDepth(8);
        ExploreResult whole = Explorer.explore(model, shallow, Explorer.Progress.NONE);
        assertEquals(Optional.of("the depth limit (8)"), whole.cutBy());
        Optional<Checkpoints> cp = at("deep.ckpt");
        Explorer.explore(model, shallow.withMaxStates(700), cp, Explorer.Progress.NONE);
        assertEquals(figures(whole), figures(Explorer.explore(model, shallow, cp, Explorer.Progress.NONE)));
        assertEquals(figures(whole), figures(Explorer.explore(model, shallow, cp, Explorer.Progress.NONE)),
                "and again: the cut is not saved, so each run meets it from the last save");
    }

    @Test
    void aCheckpointOfOtherBoundsIsRefusedSayingWhich() {
        Handshake model = new Handshake(2, false, 1);
        Optional<Checkpoints> cp = at("bounds.ckpt");
        Explorer.explore(model, LOSS.withMaxStates(500), cp, Explorer.Progress.NONE);
        Checkpoints.Unusable e = assertThrows(Checkpoints.Unusable.class,
                () -> Explorer.explore(model, LOSS.withCrashes(1), cp, Explorer.Progress.NONE));
        assertTrue(e.getMessage().contains("written for other bounds (losses=1 duplicates=0 perLink=false crashes=0")
                && e.getMessage().contains("than these (losses=1 duplicates=0 perLink=false crashes=1"),
                e.getMessage());
        assertTrue(e.getMessage().startsWith("checkpoint " + cp.get().file()), e.getMessage());
    }

    @Test
    void aCheckpointOfAnotherModelIsRefused() {
        Optional<Checkpoints> cp = at("model.ckpt");
        Explorer.explore(new Handshake(2, false, 1), LOSS.withMaxStates(500), cp, Explorer.Progress.NONE);
        Checkpoints.Unusable e = assertThrows(Checkpoints.Unusable.class,
                () -> Explorer.explore(new Handshake(1, false, 1), LOSS, cp, Explorer.Progress.NONE));
        assertTrue(e.getMessage().contains("written for another model"), e.getMessage());
    }

    @Test
    void aDamagedTruncatedOrForeignFileIsRefusedAndLeftAsItWas() throws IOException {
        Handshake model = new Handshake(2, false, 1);
        Optional<Checkpoints> cp = at("damaged.ckpt");
        Path file = cp.get().file();
        Explorer.explore(model, LOSS.withMaxStates(500), cp, Explorer.Progress.NONE);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 1;
        Files.write(file, flipped);
        assertRefused(model, cp, "damaged or incomplete: its checksum does not match");
        assertTrue(java.util.Arrays.equals(flipped, Files.readAllBytes(file)), "a refused file is not touched");

        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            Files.write(file, good);
            ch.truncate(good.length - 100);
        }
        assertRefused(model, cp, "damaged or incomplete: its checksum does not match");

        Files.writeString(file, "not a checkpoint at all, but long enough to have a checksum");
        assertRefused(model, cp, "not an explorer checkpoint");
        Files.writeString(file, "short");
        assertRefused(model, cp, "not an explorer checkpoint");
        Files.write(file, java.util.Arrays.copyOf(good, 40));
        assertRefused(model, cp, "damaged or incomplete: its checksum does not match");
    }

    @Test
    void aCheckpointThatCannotBeWrittenFailsBeforeTheSearchStarts() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plain"), "a file");
        Optional<Checkpoints> cp = Optional.of(new Checkpoints(notADirectory.resolve("c.ckpt"), Duration.ofHours(1)));
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> Explorer.explore(new Handshake(2, false, 1), LOSS, cp, Explorer.Progress.NONE));
        assertTrue(e.getMessage().startsWith("cannot write checkpoint " + notADirectory.resolve("c.ckpt")),
                e.getMessage());
    }

    @Test
    void checkpointsMustBeSavedEveryPositiveDuration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Checkpoints(dir.resolve("x"), Duration.ZERO));
        assertEquals("checkpoints must be saved every positive duration, but every was PT0S", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LOSS.withMaxTime(Duration.ofSeconds(-1)));
    }

    private static void assertRefused(Handshake model, Optional<Checkpoints> cp, String why) {
        Checkpoints.Unusable e = assertThrows(Checkpoints.Unusable.class,
                () -> Explorer.explore(model, LOSS, cp, Explorer.Progress.NONE));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    private static List<Path> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
