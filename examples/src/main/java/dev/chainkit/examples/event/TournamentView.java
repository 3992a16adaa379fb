package dev.chainkit.examples.event;

import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.tournament.Match;
import dev.chainkit.oplog.tournament.Round;
import dev.chainkit.oplog.tournament.Standing;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import java.util.ArrayList;
import java.util.List;

/**
 * A tournament in words, for people at a prompt: its standings, its rounds' pairings, its log. The same lines for
 * {@code chainsim client} and {@code chainsim show}.
 *
 * <p>Thread safety: stateless.
 */
final class TournamentView {

    private TournamentView() {
    }

    /** {@code tournament NAME: N players, started|not started, round R confirmed|open, ended}. */
    static String summary(TournamentState state) {
        String phase = state.ended() ? "ended" : state.started() ? "started" : "registration open";
        String round = state.rounds().isEmpty() ? "" : ", round " + state.currentRound() + " "
                + (state.isConfirmed(state.currentRound()) ? "confirmed" : "open");
        return "tournament " + state.name() + ": " + state.playerNames().size() + " players, " + phase + round;
    }

    /** One line per player, best first: {@code 1. alice 6}, dropped players marked. */
    static List<String> standings(TournamentState state) {
        List<String> lines = new ArrayList<>();
        int place = 1;
        for (Standing s : state.standings()) {
            lines.add("  " + place++ + ". " + s.player() + " " + s.matchPoints()
                    + (state.isActive(s.player()) ? "" : " (dropped)"));
        }
        if (lines.isEmpty()) {
            lines.add("  (no players yet)");
        }
        return lines;
    }

    /** Every round's matches with their results: {@code round 1 (confirmed): alice-bob 2-0, carol bye}. */
    static List<String> pairings(TournamentState state) {
        List<String> lines = new ArrayList<>();
        for (Round r : state.rounds()) {
            StringBuilder b = new StringBuilder("  round " + r.number() + (r.confirmed() ? " (confirmed): " : ": "));
            List<String> parts = new ArrayList<>();
            for (Match m : r.matches()) {
                parts.add(m.first() + "-" + m.second() + " " + m.scoreFor(m.first()).map(sc -> sc.text())
                        .getOrElse("(no result)"));
            }
            r.bye().forEach(p -> parts.add(p + " bye"));
            lines.add(b.append(String.join(", ", parts)).toString());
        }
        if (lines.isEmpty()) {
            lines.add("  (no rounds yet)");
        }
        return lines;
    }

    /** One line per op: {@code 3 judge1.2 by judge1/judge: register bob}. */
    static List<String> log(OpLog<TournamentOp> log) {
        List<String> lines = new ArrayList<>();
        int i = 0;
        for (Operation<TournamentOp> op : log.ops()) {
            lines.add("  " + i++ + " " + op.id() + " by " + op.author() + ": " + op.payload().text());
        }
        return lines;
    }

    /** The first 12 hex digits of the log's digest, as the simulator's reports show it. */
    static String digest(OpLog<TournamentOp> log) {
        return log.digest().substring(0, 12);
    }
}
