package dev.chainkit.core;

import java.util.ArrayList;
import java.util.List;

/** A {@link ChainListener} that keeps every event. Not thread-safe. */
final class EventRecorder implements ChainListener {

    final List<ChainEvent> events = new ArrayList<>();

    @Override
    public void onEvent(ChainEvent event) {
        events.add(event);
    }

    long count(ChainEventType type) {
        return events.stream().filter(e -> e.type() == type).count();
    }

    /** The events of {@code chain}, in order. */
    List<ChainEvent> of(ChainId chain) {
        return events.stream().filter(e -> chain.equals(e.chainId())).toList();
    }

    /** The types of the events of {@code chain}, in order. */
    List<ChainEventType> typesOf(ChainId chain) {
        return of(chain).stream().map(ChainEvent::type).toList();
    }
}
