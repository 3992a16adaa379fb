package dev.chainkit.core;

import dev.chainkit.core.Haggle.Accept;
import dev.chainkit.core.Haggle.Ask;
import dev.chainkit.core.Haggle.Done;
import dev.chainkit.core.Haggle.Offer;
import java.util.function.BiFunction;

/**
 * The responder of the toy protocol: offers 10 cents per unit, and ends the chain with a receipt on accept.
 * Counts its calls per (chain, step); tests can replace its behaviour. Not thread-safe.
 */
final class Seller implements Responder<Haggle> {

    final Calls calls = new Calls();
    private BiFunction<ResponderChain, Haggle, ResponderAction<Haggle>> behaviour = Seller::standard;

    static ResponderAction<Haggle> standard(ResponderChain chain, Haggle message) {
        if (message instanceof Ask a) {
            return ResponderAction.reply(new Offer(a.item(), 10 * a.quantity()));
        }
        if (message instanceof Accept acc) {
            return ResponderAction.replyAndTerminate(new Done("receipt " + chain.id() + " " + acc.priceCents()));
        }
        throw new IllegalStateException("the seller never receives " + message);
    }

    /** Replaces what the seller answers (the call is still counted). */
    Seller behave(BiFunction<ResponderChain, Haggle, ResponderAction<Haggle>> behaviour) {
        this.behaviour = behaviour;
        return this;
    }

    @Override
    public ResponderAction<Haggle> onMessage(ResponderChain chain, Haggle message) {
        calls.record(chain.id(), chain.step());
        return behaviour.apply(chain, message);
    }
}
