/**
 * The op-log data model and the domain SPI of the op-log sync protocol.
 *
 * <p>An {@link dev.chainkit.oplog.OpLog} is an append-only, immutable sequence of
 * {@link dev.chainkit.oplog.Operation}s, each named by a unique {@link dev.chainkit.oplog.OpId}
 * and made by an {@link dev.chainkit.oplog.Author} (a node acting in a {@link dev.chainkit.oplog.Role}).
 * The first operation of every log is its genesis. What an operation means is decided by a
 * {@link dev.chainkit.oplog.Domain}: it folds operations into a state, and it refuses an operation
 * that does not apply (including one the author's role may not make) with a typed
 * {@link dev.chainkit.oplog.OpError}. A log only ever holds operations that applied, so
 * {@link dev.chainkit.oplog.Domain#replay(OpLog)} of any log always succeeds.
 *
 * <p>This package knows nothing about networking and nothing about any particular domain; the
 * reference domain lives in {@code dev.chainkit.oplog.tournament}.
 *
 * <p>Thread safety: every type here is an immutable value (or, for {@code Domain}, a stateless
 * function) and is safe to share between threads without synchronization.
 */
package dev.chainkit.oplog;
