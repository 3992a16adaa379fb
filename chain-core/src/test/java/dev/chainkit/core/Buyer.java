package dev.chainkit.core;

import dev.chainkit.core.Haggle.Accept;
import dev.chainkit.core.Haggle.Done;
import dev.chainkit.core.Haggle.Offer;
import java.util.function.BiFunction;

/**
 * The initiator of the toy protocol: accepts every offer and completes with the receipt. Counts its calls per
 * (chain, step) in a {@link Calls} shared by all chains of a test; tests can replace its behaviour.
 * Not thread-safe.
 */
final class Buyer implements Initiator<Haggle, String> {

    private final Calls calls;
    private final BiFunction<InitiatorChain, Haggle, InitiatorAction<Haggle, String>> behaviour;

    Buyer(Calls calls) {
        this(calls, Buyer::standard);
    }

    Buyer(Calls calls, BiFunction<InitiatorChain, Haggle, InitiatorAction<Haggle, String>> behaviour) {
        this.calls = calls;
        this.behaviour = behaviour;
    }

    static InitiatorAction<Haggle, String> standard(InitiatorChain chain, Haggle reply) {
        if (reply instanceof Offer o) {
            return InitiatorAction.reply(new Accept(o.priceCents()));
        }
        if (reply instanceof Done d) {
            return InitiatorAction.complete(d.receipt());
        }
        return InitiatorAction.fail("the buyer never expects " + reply);
    }

    @Override
    public InitiatorAction<Haggle, String> onReply(InitiatorChain chain, Haggle reply) {
        calls.record(chain.id(), chain.step());
        return behaviour.apply(chain, reply);
    }
}
