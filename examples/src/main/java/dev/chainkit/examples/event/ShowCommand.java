package dev.chainkit.examples.event;

import dev.chainkit.oplog.OpLog;
import dev.chainkit.oplog.store.OplogDatabase;
import dev.chainkit.oplog.store.StoreException;
import dev.chainkit.oplog.sync.StoredLog;
import dev.chainkit.oplog.tournament.Tournament;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.oplog.tournament.TournamentState;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chainsim show --store STORE --log ID}: a tournament as a store holds it, a server's or a client's.
 *
 * <p>Thread safety: a command object serves one invocation.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {
            "Shows a tournament as a store holds it: a server's store (with the log's members) or a device's"
                    + " (with its pending ops): its standings, rounds, pairings and log.",
            "A SQLite store can be read only while no process has it open: stop the server or client first."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:shown",
            "1:the store cannot be opened or holds no log of that id",
            "2:an option is wrong"})
public final class ShowCommand implements Callable<Integer> {

    private static final Tournament DOMAIN = new Tournament();

    @Option(names = "--store", required = true, paramLabel = "STORE",
            description = "sqlite:FILE or postgresql://HOST:PORT/DATABASE?user=USER")
    private String store;

    @Option(names = "--log", required = true, paramLabel = "ID", description = "the tournament's log id")
    private String logId;

    @Spec
    private CommandSpec spec;

    /** Creates the command; picocli fills it in. */
    public ShowCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StoreUrl url;
        try {
            url = StoreUrl.parse(store);
        } catch (IllegalArgumentException e) {
            err.println("chainsim show: " + e.getMessage());
            err.flush();
            return 2;
        }
        try (OplogDatabase db = url.open()) {
            Optional<StoredLog<TournamentOp>> served = db.serverStore(DOMAIN).load(logId);
            OpLog<TournamentOp> log = served.map(StoredLog::log).or(() -> db.clientLog(logId, DOMAIN)).orElse(null);
            if (log == null) {
                err.println("chainsim show: " + url + " holds no log " + logId);
                err.flush();
                return 1;
            }
            TournamentState state = DOMAIN.replay(log);
            out.println(TournamentView.summary(state) + " (log " + logId + ", " + log.size() + " ops, digest "
                    + TournamentView.digest(log) + ")");
            served.ifPresent(s -> {
                out.println("members:");
                s.members().forEach((node, role) -> out.println("  " + node + " " + role));
            });
            out.println("standings:");
            TournamentView.standings(state).forEach(out::println);
            out.println("pairings:");
            TournamentView.pairings(state).forEach(out::println);
            out.println("log:");
            TournamentView.log(log).forEach(out::println);
            out.flush();
            return 0;
        } catch (StoreException e) {
            err.println("chainsim show: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
