package dev.chainkit.examples.event;

import dev.chainkit.core.time.Scheduler;
import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.sync.Decision;
import dev.chainkit.oplog.sync.DecisionPolicy;
import dev.chainkit.oplog.sync.SyncMessage;
import dev.chainkit.oplog.tournament.TournamentOp;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * How a device's user answers a conflict the server reports ({@code OpProcessor}): shown at the prompt, and either
 * answered by the user's next line ({@code skip} or {@code purge}, with {@link Mode#ASK}) or by a fixed policy
 * (for scripts). A conflict the device finds itself, when ops from the server make one of its pending ops
 * inapplicable, is answered at once by the fixed policy ({@code skip} when asking) and shown.
 *
 * <p>Thread safety: {@link #decide} and {@link #decideLater} run on the client's node thread; {@link #answer} on the
 * prompt's thread; the question is handed over through a volatile field.
 */
final class PromptDecisions implements DecisionPolicy<TournamentOp> {

    /** Who answers. */
    enum Mode {
        /** The user, at the prompt. */
        ASK,
        /** Always skip: drop only the problematic op. */
        SKIP,
        /** Always purge: drop the problematic op and the rest of that sync. */
        PURGE
    }

    private final Mode mode;
    private final PrintWriter out;
    private final Executor nodeThread;
    private volatile Question open;

    private record Question(SyncMessage.OpProcessor<TournamentOp> conflict, CompletableFuture<Decision> answer) { }

    PromptDecisions(Mode mode, PrintWriter out, Executor nodeThread) {
        this.mode = mode;
        this.out = out;
        this.nodeThread = nodeThread;
    }

    @Override
    public Decision decide(SyncMessage.OpProcessor<TournamentOp> conflict) {
        Decision d = mode == Mode.PURGE ? Decision.purge(conflict) : Decision.skip(conflict);
        say("conflict " + describe(conflict) + "; answered " + (mode == Mode.PURGE ? "purge" : "skip"));
        return d;
    }

    @Override
    public CompletionStage<Decision> decideLater(SyncMessage.OpProcessor<TournamentOp> conflict,
            Scheduler scheduler) {
        if (mode != Mode.ASK) {
            return CompletableFuture.completedFuture(decide(conflict));
        }
        CompletableFuture<Decision> answer = new CompletableFuture<>();
        open = new Question(conflict, answer);
        say("conflict " + describe(conflict));
        say("answer: skip (drop " + conflict.problematic().id() + " only) or purge (drop it and "
                + conflict.remaining().size() + " more of that sync)");
        return answer;
    }

    /** Whether a conflict waits for the user's answer. */
    boolean asking() {
        return open != null;
    }

    /**
     * Answers the open conflict with {@code word} ({@code skip} or {@code purge}).
     *
     * @return false if no conflict is open or the word is neither
     */
    boolean answer(String word) {
        Question q = open;
        String w = word.toLowerCase(Locale.ROOT);
        if (q == null || !(w.equals("skip") || w.equals("purge"))) {
            return false;
        }
        open = null;
        Decision d = w.equals("purge") ? Decision.purge(q.conflict()) : Decision.skip(q.conflict());
        nodeThread.execute(() -> q.answer().complete(d));
        return true;
    }

    private static String describe(SyncMessage.OpProcessor<TournamentOp> c) {
        Operation<TournamentOp> op = c.problematic();
        return op.id() + " '" + op.payload().text() + "' does not apply on the server: " + c.error().message();
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
