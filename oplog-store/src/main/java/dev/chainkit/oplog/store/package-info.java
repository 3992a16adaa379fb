/**
 * Durable op-log stores on JDBC: {@link dev.chainkit.oplog.store.OplogDatabase} opens an embedded SQLite file (the
 * zero-setup default) or a PostgreSQL database (for servers that share one), and hands out the
 * {@link dev.chainkit.oplog.sync.ServerStore}s and {@link dev.chainkit.oplog.sync.ClientStore}s the op-log sync runs
 * on.
 *
 * <p>One schema and one code path serve both databases; what they do differently (connection set-up, how a unique
 * violation is reported, serializing migrations) is in one enum, {@code Dialect}. The schema is versioned and
 * migrated on open ({@code Schema} documents the tables). Ops are stored as text a person can read: the author as
 * {@code node/role}, the payload in the domain's {@link dev.chainkit.oplog.PayloadCodec} form, with the op's
 * {@link dev.chainkit.oplog.OpDigest}.
 *
 * <p>Failures are {@link dev.chainkit.oplog.store.StoreException}s; a store whose content is not a valid log is a
 * {@link dev.chainkit.oplog.store.StoreDamagedException} naming the log, the position and what is wrong; a SQLite
 * file another process has open is a {@link dev.chainkit.oplog.store.StoreLockedException}.
 * {@link dev.chainkit.oplog.store.LocalPostgres} starts a throwaway PostgreSQL server from the system's binaries, for
 * tests, benchmarks and trying things by hand.
 *
 * <p>Thread safety: an {@code OplogDatabase} and its server stores are thread-safe; a client store is used from its
 * client's node thread.
 */
package dev.chainkit.oplog.store;
