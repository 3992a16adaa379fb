package dev.chainkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A protocol knows its message kinds from its sealed message hierarchy, so tools can refuse a misspelt one. */
class ProtocolKindsTest {

    sealed interface Msg permits Ask, Answer, Outcome { }

    record Ask(String q) implements Msg { }

    record Answer(String a) implements Msg { }

    sealed interface Outcome extends Msg permits Won, Lost { }

    record Won() implements Outcome { }

    record Lost() implements Outcome { }

    @Test
    void kindsAreTheConcreteClassesOfTheSealedHierarchyAndTheEngineTerminals() {
        Protocol<Msg> p = Protocol.of("quiz", Msg.class, 4);

        assertEquals(List.of("Ask", "Answer", "Won", "Lost", "Busy", "Aborted"), List.copyOf(p.messageKinds()));
    }

    @Test
    void kindsOfAnOpenMessageTypeAreUnknown() {
        assertEquals(Set.of(), Protocol.of("anything", Object.class, 2).messageKinds());
        assertEquals(Set.of(), Protocol.of("chars", CharSequence.class, 2).messageKinds());
    }

    @Test
    void aFinalMessageClassIsItsOnlyKind() {
        assertEquals(List.of("String", "Busy", "Aborted"), List.copyOf(Protocol.of("text", String.class, 2)
                .messageKinds()));
    }
}
