package dev.chainkit.sim.explore;

import java.util.ArrayList;
import java.util.List;

/**
 * How the search's values are written in a {@link Checkpoints checkpoint} ({@link CheckpointFile} gives the format
 * of numbers, strings and arrays): a violation, and what a choice of an expanded state led to (a batch's results
 * that a limit stopped merging are saved, so a resumed search merges them first).
 *
 * <p>Thread safety: stateless.
 */
final class CheckpointValues {

    private CheckpointValues() {
    }

    /** Writes a violation: its kind, message, path and where its cycle starts. */
    static void writeViolation(CheckpointFile.Out out, Violation v) {
        out.putString(v.kind().name());
        out.putString(v.message());
        out.putInt(v.path().size());
        v.path().forEach(out::putString);
        out.putInt(v.cycleStart());
    }

    /** What {@link #writeViolation} wrote. @throws Checkpoints.Unusable if the checkpoint is damaged */
    static Violation readViolation(CheckpointFile.In in) {
        Violation.Kind kind = kind(in, in.getString());
        String message = in.getString();
        List<String> path = new ArrayList<>();
        for (int k = 0, steps = in.count(Integer.BYTES); k < steps; k++) {
            path.add(in.getString());
        }
        return new Violation(kind, message, path, in.getInt());
    }

    private static Violation.Kind kind(CheckpointFile.In in, String name) {
        try {
            return Violation.Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw in.damaged("no violation kind '" + name + "'");
        }
    }

    /** Writes what one choice of an expanded state led to, not merged yet when the search was saved. */
    static void writeChild(CheckpointFile.Out out, Expansion.Child c) {
        out.putInt(c.choice());
        writeBroken(out, c.applyBroken());
        Expansion.Reached r = c.reached();
        out.putBoolean(r != null);
        if (r != null) {
            out.putLong(r.high());
            out.putLong(r.low());
            out.putLong(r.nodes().high());
            out.putLong(r.nodes().low());
            out.putBoolean(r.terminal());
            writeBroken(out, r.broken());
            out.putBoolean(r.hasChoices());
        }
        out.putInt(c.sleep().length);
        out.putLongs(c.sleep(), 0, c.sleep().length);
        out.putBoolean(c.edge());
    }

    /** What {@link #writeChild} wrote. @throws Checkpoints.Unusable if the checkpoint is damaged */
    static Expansion.Child readChild(CheckpointFile.In in) {
        int choice = in.getInt();
        World.Broken applyBroken = readBroken(in);
        Expansion.Reached r = null;
        if (in.getBoolean()) {
            long high = in.getLong();
            long low = in.getLong();
            World.Fingerprint nodes = new World.Fingerprint(in.getLong(), in.getLong());
            boolean terminal = in.getBoolean();
            World.Broken broken = readBroken(in);
            r = new Expansion.Reached(high, low, nodes, terminal, broken, in.getBoolean());
        }
        long[] sleep = new long[in.count(Long.BYTES)];
        in.getLongs(sleep, sleep.length);
        return new Expansion.Child(choice, applyBroken, r, sleep, in.getBoolean());
    }

    private static void writeBroken(CheckpointFile.Out out, World.Broken b) {
        out.putBoolean(b != null);
        if (b != null) {
            out.putString(b.kind().name());
            out.putString(b.message());
        }
    }

    private static World.Broken readBroken(CheckpointFile.In in) {
        return in.getBoolean() ? new World.Broken(kind(in, in.getString()), in.getString()) : null;
    }
}
