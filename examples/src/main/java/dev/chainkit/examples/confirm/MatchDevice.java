package dev.chainkit.examples.confirm;

import dev.chainkit.core.ChainHandle;
import dev.chainkit.core.ChainNode;
import dev.chainkit.core.Initiator;
import dev.chainkit.core.InitiatorAction;
import dev.chainkit.core.InitiatorChain;
import dev.chainkit.core.NodeId;
import dev.chainkit.core.Outcome;
import dev.chainkit.core.ResponderAction;
import dev.chainkit.core.ResponderChain;
import dev.chainkit.core.time.Scheduler;
import dev.chainkit.examples.confirm.ConfirmMessage.Confirmed;
import dev.chainkit.examples.confirm.ConfirmMessage.Disputed;
import dev.chainkit.examples.confirm.ConfirmMessage.Resolution;
import dev.chainkit.examples.confirm.ConfirmMessage.ResultReport;
import dev.chainkit.examples.confirm.ConfirmMessage.Settled;
import io.vavr.control.Option;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player's phone in the match-result confirmation protocol: it reports its user's results to the opponents'
 * phones (initiator) and answers their reports (responder), on a {@link ChainNode}.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>Responder.</b> A report of a match already settled is answered {@link Settled} from the ledger, and
 *   nothing is settled again. Otherwise the user confirms when it saw the same score (or said nothing), and
 *   disputes with what it saw when not; a resolution settles the match as accepted or escalated.</li>
 *   <li><b>Initiator.</b> One chain per unsettled report at a time. A chain that fails or times out (the opponent's
 *   phone crashed or is out of reach) is started again after a pause while the report is unsettled; a new
 *   incarnation starts one for every unsettled report in the ledger.</li>
 * </ul>
 *
 * <p>Thread safety: not thread-safe; confined to its node's thread, like the node.
 */
public final class MatchDevice {

    /** How the reporter's user answers a dispute. */
    @FunctionalInterface
    public interface DisputePolicy {
        /**
         * Decides what to do with a dispute.
         *
         * @param match the match
         * @param reported the score the user reported, from its side
         * @param counter the opponent's score, from the user's side
         * @return accept the counter, or escalate to a judge
         */
        Resolution.Choice resolve(String match, Score reported, Score counter);

        /** Always takes the opponent's score. */
        DisputePolicy ACCEPT = (match, reported, counter) -> Resolution.Choice.ACCEPT;
        /** Always calls a judge. */
        DisputePolicy ESCALATE = (match, reported, counter) -> Resolution.Choice.ESCALATE;
    }

    private static final Logger log = LoggerFactory.getLogger(MatchDevice.class);

    private final ChainNode node;
    private final Scheduler scheduler;
    private final Ledger ledger;
    private final DisputePolicy policy;
    private final long retryPauseNs;
    private final Set<String> inFlight = new HashSet<>();
    private final Set<String> waiting = new HashSet<>();

    /**
     * Starts the phone on {@code node}: registers its responder and sends every unsettled report of the ledger.
     *
     * @param node the phone's chain node
     * @param scheduler the node's scheduler (runs tasks on the node's thread)
     * @param ledger the phone's durable ledger, the same for every incarnation
     * @param policy how the user answers disputes of its reports
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the protocol is already registered on the node
     */
    public MatchDevice(ChainNode node, Scheduler scheduler, Ledger ledger, DisputePolicy policy) {
        this.node = Objects.requireNonNull(node, "node");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.retryPauseNs = node.settings().retryPolicy().maxDelay().toNanos();
        node.register(ConfirmProtocol.INSTANCE, this::onMessage);
        for (Ledger.Claim claim : ledger.unsettled().values()) {
            send(claim);
        }
    }

    /** The phone's ledger. */
    public Ledger ledger() {
        return ledger;
    }

    /** Whether every report of this phone's user is settled and nothing is in flight or waiting. */
    public boolean isIdle() {
        return ledger.unsettled().isEmpty() && inFlight.isEmpty() && waiting.isEmpty();
    }

    /**
     * Reports the result of a match to the opponent's phone, until it is settled.
     *
     * @param match the match, e.g. {@code r1-alice-bob}
     * @param opponent the opponent's phone
     * @param score the score from this user's side
     * @throws IllegalStateException if this phone already reported or settled that match
     * @throws NullPointerException if an argument is null
     */
    public void report(String match, NodeId opponent, Score score) {
        if (ledger.unsettled().containsKey(match) || ledger.settlement(match).isPresent()) {
            throw new IllegalStateException("match " + match + " is already reported from " + node.id());
        }
        Ledger.Claim claim = new Ledger.Claim(match, opponent, score);
        ledger.claim(claim);
        send(claim);
    }

    // ---------------------------------------------------------------- initiator

    private void send(Ledger.Claim claim) {
        if (!inFlight.add(claim.match())) {
            return;
        }
        ChainHandle<Settlement> handle = node.start(ConfirmProtocol.INSTANCE, claim.opponent(),
                new ResultReport(claim.match(), claim.score()), new ReportChain(claim));
        handle.outcome().thenAccept(outcome -> onOutcome(claim, outcome));
    }

    private void onOutcome(Ledger.Claim claim, Outcome<Settlement> outcome) {
        inFlight.remove(claim.match());
        if (outcome instanceof Outcome.Completed<Settlement> || !ledger.unsettled().containsKey(claim.match())) {
            return;
        }
        log.debug("Report of match [{}] ended {}; reporting again in [{}] ns", claim.match(), outcome, retryPauseNs);
        waiting.add(claim.match());
        scheduler.schedule(retryPauseNs, () -> {
            waiting.remove(claim.match());
            if (ledger.unsettled().containsKey(claim.match())) {
                send(claim);
            }
        });
    }

    /** The initiator handler of one report chain. */
    private final class ReportChain implements Initiator<ConfirmMessage, Settlement> {
        private final Ledger.Claim claim;

        ReportChain(Ledger.Claim claim) {
            this.claim = claim;
        }

        @Override
        public InitiatorAction<ConfirmMessage, Settlement> onReply(InitiatorChain chain, ConfirmMessage reply) {
            if (reply instanceof Confirmed c && chain.terminal()) {
                return settled(new Settlement(claim.match(), node.id().name(), Settlement.How.AGREED,
                        Option.some(c.score())));
            }
            if (reply instanceof Settled s && chain.terminal()) {
                return settled(s.settlement());
            }
            if (reply instanceof Disputed d && !chain.terminal()) {
                Resolution.Choice choice = policy.resolve(claim.match(), claim.score(), d.counter());
                return InitiatorAction.reply(new Resolution(claim.match(), choice));
            }
            return InitiatorAction.fail("unexpected " + reply + " at step " + chain.step());
        }

        private InitiatorAction<ConfirmMessage, Settlement> settled(Settlement settlement) {
            ledger.settle(settlement);
            return InitiatorAction.complete(settlement);
        }
    }

    // ---------------------------------------------------------------- responder

    private ResponderAction<ConfirmMessage> onMessage(ResponderChain chain, ConfirmMessage message) {
        Option<Settlement> done = Option.ofOptional(ledger.settlement(message.match()));
        if (done.isDefined()) {
            return ResponderAction.replyAndTerminate(new Settled(done.get()));
        }
        if (message instanceof ResultReport report && chain.step() == 0) {
            Score claimed = report.score();
            Score saw = ledger.seen(report.match()).map(Score::mirrored).orElse(claimed);
            if (saw.equals(claimed)) {
                ledger.settle(new Settlement(report.match(), chain.peer().name(), Settlement.How.AGREED,
                        Option.some(claimed)));
                return ResponderAction.replyAndTerminate(new Confirmed(report.match(), claimed));
            }
            chain.setState(report);
            return ResponderAction.reply(new Disputed(report.match(), saw));
        }
        if (message instanceof Resolution resolution && chain.state() instanceof ResultReport report
                && resolution.match().equals(report.match())) {
            Score counter = ledger.seen(report.match()).map(Score::mirrored).orElseThrow();
            Settlement settlement = resolution.choice() == Resolution.Choice.ACCEPT
                    ? new Settlement(report.match(), chain.peer().name(), Settlement.How.COUNTER_ACCEPTED,
                            Option.some(counter))
                    : new Settlement(report.match(), chain.peer().name(), Settlement.How.ESCALATED, Option.none());
            ledger.settle(settlement);
            return ResponderAction.replyAndTerminate(new Settled(settlement));
        }
        throw new IllegalStateException("chain " + chain.id() + " carries " + message + " at step " + chain.step()
                + "; expected a report at step 0 and a resolution of the same match at step 2");
    }

    @Override
    public String toString() {
        return "MatchDevice[" + node.id() + ", " + ledger.unsettled().size() + " unsettled, "
                + ledger.settlements().size() + " settled]";
    }
}
