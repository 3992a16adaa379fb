package dev.chainkit.bench.p7;

import dev.chainkit.oplog.Operation;
import dev.chainkit.oplog.sync.AppendConflict;
import dev.chainkit.oplog.sync.LogAppend;
import dev.chainkit.oplog.sync.ServerStore;
import dev.chainkit.oplog.sync.StoredLog;
import io.vavr.collection.HashMap;
import io.vavr.collection.Vector;
import java.util.List;
import java.util.Optional;

/**
 * P7's naive reference: a server store that commits every op of an append in a transaction of its own, one after
 * the other (the cursors go with the last), as a server that wrote each sync's op as it came would.
 *
 * <p>Thread safety: as the store it wraps.
 */
final class PerOpStore<P> implements ServerStore<P> {

    private final ServerStore<P> inner;

    PerOpStore(ServerStore<P> inner) {
        this.inner = inner;
    }

    @Override
    public Optional<StoredLog<P>> load(String logId) {
        return inner.load(logId);
    }

    @Override
    public Optional<AppendConflict> commit(List<LogAppend<P>> appends) {
        for (LogAppend<P> a : appends) {
            int at = a.expectedSize();
            Vector<Operation<P>> ops = a.ops();
            for (int i = 0; i < ops.size(); i++) {
                boolean last = i == ops.size() - 1;
                Optional<AppendConflict> c = inner.commit(List.of(new LogAppend<>(a.logId(), at + i,
                        Vector.of(ops.get(i)), last ? a.cursors() : HashMap.empty())));
                if (c.isPresent()) {
                    return c;
                }
            }
            if (ops.isEmpty()) {
                Optional<AppendConflict> c = inner.commit(List.of(a));
                if (c.isPresent()) {
                    return c;
                }
            }
        }
        return Optional.empty();
    }
}
