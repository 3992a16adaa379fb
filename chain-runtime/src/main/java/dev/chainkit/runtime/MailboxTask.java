package dev.chainkit.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * A task in a {@link NodeExecutor}'s mailbox, with a one-shot claim that settles a race with closing: the node's
 * thread claims it to run it, the submitting thread (or a sweep after the executor ended) claims it to refuse it.
 * Exactly one claim wins, so a task either runs or its submitter is told synchronously that it was refused.
 *
 * <p>Thread safety: {@link #claimToRun()}, {@link #claimToRefuse()} and {@link #refused()} may be called from any
 * thread; {@link #run()} only by the thread that won the claim to run.
 */
abstract class MailboxTask {

    private static final int OPEN = 0;
    private static final int RUNNING = 1;
    private static final int REFUSED = 2;
    private static final VarHandle CLAIM;

    static {
        try {
            CLAIM = MethodHandles.lookup().findVarHandle(MailboxTask.class, "claim", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int claim;

    /** Claims the task for running; false when it was already refused. */
    final boolean claimToRun() {
        return CLAIM.compareAndSet(this, OPEN, RUNNING);
    }

    /** Claims the task for refusing; false when it was already claimed (to run, or to refuse). */
    final boolean claimToRefuse() {
        return CLAIM.compareAndSet(this, OPEN, REFUSED);
    }

    /** Whether the task was refused (by its submitter or by a sweep). */
    final boolean refused() {
        return claim == REFUSED;
    }

    /** Runs the task; what it throws is the caller's to handle. */
    abstract void run() throws Exception;

    /**
     * The sweep refused the task after its sender had returned (a setup that failed): tell whoever waits for it.
     * The default has no one to tell.
     */
    void refusedAfterAcceptance(RejectedExecutionException why) {
    }

    /** A task from {@link NodeExecutor#execute}. */
    static final class Plain extends MailboxTask {
        private final Runnable task;

        Plain(Runnable task) {
            this.task = task;
        }

        @Override
        void run() {
            task.run();
        }
    }

    /** A task from {@link NodeExecutor#submit}: completes its future with the result or what was thrown. */
    static final class WithResult<T> extends MailboxTask {
        final CompletableFuture<T> future = new CompletableFuture<>();
        private final Callable<T> task;

        WithResult(Callable<T> task) {
            this.task = task;
        }

        @Override
        void refusedAfterAcceptance(RejectedExecutionException why) {
            future.completeExceptionally(why);
        }

        @Override
        void run() {
            try {
                future.complete(task.call());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }
    }
}
