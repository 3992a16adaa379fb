package dev.chainkit.sim.internal;

import dev.chainkit.core.Envelope;
import dev.chainkit.core.EnvelopeKind;
import dev.chainkit.sim.NetworkCounters;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The simulator's live message counters, indexed by message kind so that counting a message is an array
 * increment. A kind is a payload's simple class name ({@link Envelope#messageKind()}); payload classes are mapped
 * to their index once. Not API.
 *
 * <p>Thread safety: confined to the simulation's thread.
 */
final class KindCounters {

    private final Map<Class<?>, Integer> byClass = new HashMap<>();
    private final Map<String, Integer> byName = new HashMap<>();
    private String[] names = new String[8];
    private int size;
    long[] sent = new long[8];
    long[] delivered = new long[8];
    long[] dropped = new long[8];
    long[] duplicated = new long[8];
    long[] retransmitted = new long[8];

    /** The index of {@code e}'s message kind. */
    int kindOf(Envelope e) {
        if (e.kind() == EnvelopeKind.BUSY || e.kind() == EnvelopeKind.ABORTED) {
            return indexOf(e.messageKind());
        }
        Class<?> c = e.payload().getClass();
        Integer i = byClass.get(c);
        if (i == null) {
            i = indexOf(c.getSimpleName());
            byClass.put(c, i);
        }
        return i;
    }

    /** The index of the kind named {@code name}, added if new. */
    int indexOf(String name) {
        Integer i = byName.get(name);
        if (i != null) {
            return i;
        }
        if (size == names.length) {
            int n = size * 2;
            names = Arrays.copyOf(names, n);
            sent = Arrays.copyOf(sent, n);
            delivered = Arrays.copyOf(delivered, n);
            dropped = Arrays.copyOf(dropped, n);
            duplicated = Arrays.copyOf(duplicated, n);
            retransmitted = Arrays.copyOf(retransmitted, n);
        }
        names[size] = name;
        byName.put(name, size);
        return size++;
    }

    /** The name of kind {@code index}. */
    String name(int index) {
        return names[index];
    }

    NetworkCounters snapshot() {
        Map<String, NetworkCounters.Counts> m = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            m.put(names[i], new NetworkCounters.Counts(sent[i], delivered[i], dropped[i], duplicated[i],
                    retransmitted[i]));
        }
        return NetworkCounters.of(m);
    }
}
