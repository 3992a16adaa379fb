package dev.chainkit.examples.live;

import dev.chainkit.core.ChainEvent;
import dev.chainkit.oplog.sync.OpRecord;

/**
 * What a node of a live run tells the runner as it happens: the chain events the run's report counts (opened,
 * sent, resent, answered from cache, handled, ended) and every change of what its user's ops have become. A node
 * in its own process writes them to its standard output ({@link NodeMain}); a node in the runner's JVM hands them
 * over directly.
 *
 * <p>A send is told before the envelope leaves: the engine reports it to its listener before it hands the envelope
 * to the transport, and the process writes the line through at once. So a node killed with SIGKILL has told every
 * message that can have left it.
 *
 * <p>Threading: called on the node's thread; an implementation must be quick and must not throw.
 */
interface NodeObserver {

    /** Hears nothing. */
    NodeObserver NONE = new NodeObserver() {
        @Override
        public void onIncarnation(long incarnation) {
        }

        @Override
        public void onEvent(ChainEvent event) {
        }

        @Override
        public void onRecord(OpRecord record) {
        }
    };

    /**
     * The incarnation the node took, told before anything else (events may come before the node has started).
     * Called on the starting thread.
     */
    void onIncarnation(long incarnation);

    /** One chain event of the node. */
    void onEvent(ChainEvent event);

    /** What the node's user's op has become now (a client's ops only). */
    void onRecord(OpRecord record);
}
