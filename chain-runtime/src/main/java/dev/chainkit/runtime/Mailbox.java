package dev.chainkit.runtime;

import dev.chainkit.core.Envelope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * A {@link NodeExecutor}'s mailbox and lifecycle state: an unbounded JCTools MPSC queue of envelopes and tasks, and
 * the protocol that closes it without losing anything it accepted.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>States.</b> {@link #NEW} takes envelopes (a node may be sent to before it is up) but refuses tasks;
 *   {@link #STARTING} (the setup is building the node on the consumer thread) and {@link #RUNNING} take both: a
 *   setup may hand work to run once the node is up, as a store does that answers on the node's thread;
 *   {@link #CLOSING} refuses both and holds a stop marker behind what it took; {@link #TERMINATED} means the
 *   consumer is gone.</li>
 *   <li><b>Tasks.</b> A sender checks the state, offers, and checks again. Seeing {@code STARTING} or
 *   {@code RUNNING} after the offer proves the offer came before the close's stop marker (the close changes the
 *   state before it offers the marker), so the consumer will reach the task. Otherwise the sender races the
 *   consumer for the task's one-shot claim ({@link MailboxTask}): the task runs, or the sender refuses it and
 *   throws. Nothing accepted is left behind, with one exception that cannot be helped: a setup that fails ends the
 *   consumer before its loop, and the tasks taken while it ran are refused by the sweep (a submitted task's
 *   future completes exceptionally).</li>
 *   <li><b>Envelopes</b> go in as themselves: the hot path is the check, the offer, one more volatile read and, if
 *   the consumer is parked, an unpark. An envelope behind the stop marker goes to the undelivered handler: the
 *   consumer sets {@code TERMINATED} and then sweeps, and a sender that sees {@code TERMINATED} after its offer
 *   sweeps too (the offer's compare-and-set and the state's volatile accesses are totally ordered, so one of the
 *   two sees the other's write). Sweeps hold a lock: the queue allows one consumer at a time.</li>
 * </ul>
 *
 * <p>Thread safety: {@link #deliver}, {@link #enqueue}, {@link #shutdown} and {@link #state()}: any thread.
 * {@link #poll()} and {@link #idle}: the consumer thread only. {@link #terminate()}: the consumer thread as it ends,
 * or whoever shuts down a mailbox that never had a consumer.
 */
final class Mailbox {

    /** Built, not started: envelopes queue up, tasks are refused. */
    static final int NEW = 0;
    /** The node is being built on the consumer thread: envelopes and tasks queue up for the loop. */
    static final int STARTING = 1;
    /** Everything is accepted. */
    static final int RUNNING = 2;
    /** A close was asked for: nothing more is accepted; what was accepted before is still handled. */
    static final int CLOSING = 3;
    /** The consumer ended or never started; the queue is swept. */
    static final int TERMINATED = 4;

    /** The item behind which a closing mailbox holds nothing the consumer must handle. */
    static final Object STOP = new Object();

    private static final int CHUNK = 1024;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Mailbox.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String owner;
    private final Thread consumer;
    private final Consumer<Envelope> undelivered;
    private final MpscUnboundedArrayQueue<Object> queue = new MpscUnboundedArrayQueue<>(CHUNK);
    private final Object sweepLock = new Object();
    private volatile int state = NEW;
    private volatile boolean parked;

    /**
     * @param owner the executor's name, for messages
     * @param consumer the executor's thread (unparked when work arrives)
     * @param undelivered receives the envelopes a close overtook
     */
    Mailbox(String owner, Thread consumer, Consumer<Envelope> undelivered) {
        this.owner = owner;
        this.consumer = consumer;
        this.undelivered = undelivered;
    }

    int state() {
        return state;
    }

    /** {@code NEW} to {@code STARTING}; false if the mailbox was started or shut down before. */
    boolean beginStart() {
        return STATE.compareAndSet(this, NEW, STARTING);
    }

    /** {@code STARTING} to {@code RUNNING}, unless a close came first. Consumer thread. */
    void started() {
        STATE.compareAndSet(this, STARTING, RUNNING);
    }

    /**
     * Stops accepting: a started mailbox becomes {@code CLOSING} with the stop marker behind what it took; a
     * mailbox that never started becomes {@code TERMINATED} at once.
     *
     * @return true when this call terminated a mailbox that never had a consumer (the caller then calls
     *     {@link #terminate()})
     */
    boolean shutdown() {
        while (true) {
            int s = state;
            if (s >= CLOSING) {
                return false;
            }
            if (s == NEW) {
                if (STATE.compareAndSet(this, NEW, TERMINATED)) {
                    return true;
                }
            } else if (STATE.compareAndSet(this, s, CLOSING)) {
                queue.offer(STOP);
                LockSupport.unpark(consumer);
                return false;
            }
        }
    }

    /**
     * Offers an envelope.
     *
     * @return false when refused (closing or terminated); true when the consumer will handle it or, if a close
     *     overtakes it, the undelivered handler gets it
     */
    boolean deliver(Envelope envelope) {
        if (state >= CLOSING) {
            return false;
        }
        queue.offer(envelope);
        if (state == TERMINATED) {
            sweep();
        }
        wake();
        return true;
    }

    /**
     * Offers a task; once this returns, the task will run.
     *
     * @throws RejectedExecutionException if the mailbox is neither starting nor running, or a close overtook the
     *     task and the sender won its claim (the task will never run)
     */
    void enqueue(MailboxTask task) {
        if (!takesTasks(state)) {
            throw rejected();
        }
        queue.offer(task);
        if (!takesTasks(state) && (task.claimToRefuse() || task.refused())) {
            throw rejected();
        }
        wake();
    }

    private static boolean takesTasks(int state) {
        return state == STARTING || state == RUNNING;
    }

    /** The next item, or null when none is visible yet. Consumer thread. */
    Object poll() {
        return queue.relaxedPoll();
    }

    /**
     * Parks the consumer for at most {@code maxNs}, unless work arrived; a sender that sees it parked unparks it.
     * Consumer thread.
     */
    void idle(long maxNs) {
        parked = true;
        if (queue.isEmpty()) {
            LockSupport.parkNanos(this, maxNs);
        }
        parked = false;
    }

    /**
     * Marks the mailbox {@code TERMINATED} and sweeps it: envelopes go to the undelivered handler, tasks are
     * refused (their senders, still in {@link #enqueue}, throw).
     */
    void terminate() {
        state = TERMINATED;
        sweep();
    }

    private void sweep() {
        synchronized (sweepLock) {
            for (Object item = queue.poll(); item != null; item = queue.poll()) {
                if (item instanceof Envelope e) {
                    undelivered.accept(e);
                } else if (item instanceof MailboxTask task && task.claimToRefuse()) {
                    task.refusedAfterAcceptance(rejected()); // a no-op unless its sender already returned
                }
            }
        }
    }

    private void wake() {
        if (parked) {
            LockSupport.unpark(consumer);
        }
    }

    private RejectedExecutionException rejected() {
        return new RejectedExecutionException("node executor '" + owner + "' is " + describe(state)
                + "; the task was refused and will not run");
    }

    /** A state in words. */
    static String describe(int state) {
        return switch (state) {
            case NEW -> "not started yet";
            case STARTING -> "starting";
            case RUNNING -> "running";
            case CLOSING -> "shutting down";
            default -> "terminated";
        };
    }
}
