/**
 * A second, small protocol on the same engine: match-result confirmation between the phones of the two players
 * of a match, built on {@code chain-core} alone (no op log, no simulator) to show that the engine serves other
 * protocols than the op-log sync.
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>The chain.</b> The reporter's phone opens it with a {@link dev.chainkit.examples.confirm.ConfirmMessage.ResultReport}
 *   (step 0). The opponent's phone answers {@link dev.chainkit.examples.confirm.ConfirmMessage.Confirmed}
 *   (terminal, step 1) when its user agrees, or {@link dev.chainkit.examples.confirm.ConfirmMessage.Disputed}
 *   with a counter score (step 1). The reporter answers a dispute with a
 *   {@link dev.chainkit.examples.confirm.ConfirmMessage.Resolution}: accept the counter or escalate to a judge
 *   (step 2); the opponent ends the chain with {@link dev.chainkit.examples.confirm.ConfirmMessage.Settled}
 *   (terminal, step 3). At most four steps, so every chain terminates.</li>
 *   <li><b>What the engine gives.</b> Retransmission by the waiting side, duplicate answers from the reply cache,
 *   each step handled at most once, deadlines and incarnations: the protocol code has none of it.</li>
 *   <li><b>What the application adds.</b> The engine's "at most once" holds per chain and per incarnation. To
 *   settle each report exactly once across crashes, each phone keeps a durable
 *   {@link dev.chainkit.examples.confirm.Ledger}: the reporter's unsettled reports (sent again after a restart
 *   or a failed chain) and every settlement, which answers a repeated report without settling it again. It is
 *   the same idea as the op log's dedup by op id.</li>
 * </ul>
 */
package dev.chainkit.examples.confirm;
