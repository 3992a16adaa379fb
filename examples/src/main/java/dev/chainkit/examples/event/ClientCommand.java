package dev.chainkit.examples.event;

import dev.chainkit.core.NodeId;
import dev.chainkit.oplog.store.StoreException;
import dev.chainkit.oplog.tournament.TournamentOp;
import dev.chainkit.transport.netty.NodeSecrets;
import dev.chainkit.transport.netty.SecretsFileException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.vavr.control.Either;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chainsim client}: a device at a real event. Reads ops in the scenario syntax and a few commands, one per
 * line, from a person at a terminal or from a script, and prints what becomes of them.
 *
 * <p>Thread safety: a command object serves one invocation.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = {
            "A device at a real event: syncs a tournament with the server and takes ops, one per line, in the"
                    + " scenario syntax: register NAME, drop NAME, start, pair ROUND, result ROUND NAME W-L[-D],"
                    + " confirm ROUND, end.",
            "Commands: standings, pairings, log, pending, status, help, quit; and skip or purge to answer a"
                    + " conflict. With standard input not a terminal, it reads the lines as a script; at its end it"
                    + " waits (at most --wait) until every op is synced.",
            "Prints what becomes of each op, one line each: made, synced, received (another device's op),"
                    + " rejected (does not apply here), refused (by the server), dropped (a conflict)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:done, every op synced",
            "1:ops still pending at the end (kept in the store: they sync at the next start), the server refused"
                    + " the subscription, or the store could not be opened",
            "2:an option or the secret file is wrong"})
public final class ClientCommand implements Callable<Integer> {

    @Option(names = "--connect", required = true, paramLabel = "[NAME@]HOST:PORT[,...]",
            description = "the server's address; or several servers sharing one store, each NAME@HOST:PORT, in order"
                    + " of preference (repeat the option or separate them with ','): the device dials them all and"
                    + " moves to the next one whose link is up when its server's link goes down")
    private List<String> connect;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "this device's node id")
    private String node;

    @Option(names = "--secret-file", required = true, paramLabel = "FILE",
            description = "this device's secret: a secrets file holding its own 'NAME SECRET' line (chmod 600)")
    private Path secretFile;

    @Option(names = "--incarnation-file", paramLabel = "FILE",
            description = "where this node keeps its incarnation across restarts (default: beside a SQLite store,"
                    + " FILE.incarnation; required with a PostgreSQL store)")
    private Path incarnationFile;

    @Option(names = "--log", required = true, paramLabel = "ID", description = "the tournament's log id")
    private String logId;

    @Option(names = "--store", required = true, paramLabel = "STORE",
            description = "where this device keeps its log: sqlite:FILE (or postgresql://...)")
    private String store;

    @Option(names = "--server", paramLabel = "NAME", defaultValue = "hq",
            description = "the server's node id, for a --connect HOST:PORT without a name (default: ${DEFAULT-VALUE})")
    private String server;

    @Option(names = "--decide", paramLabel = "ask|skip|purge",
            description = "who answers a conflict: ask (at the prompt; the default at a terminal), skip (drop the"
                    + " op that does not apply; the default for scripts) or purge (drop it and the rest of that sync)")
    private String decide;

    @Option(names = "--tls-trust", paramLabel = "FILE",
            description = "connect with TLS, trusting the server certificate(s) in this PEM file")
    private Path tlsTrust;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "at the end of a script or on quit, how long to wait for pending ops to sync"
                    + " (default: ${DEFAULT-VALUE})")
    private int waitSeconds;

    @Spec
    private CommandSpec spec;

    /** Creates the command; picocli fills it in. */
    public ClientCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = System.console() != null;
        EventClient.Settings settings;
        try {
            NodeId self = NodeId.of(node);
            NodeSecrets secrets = NodeSecrets.load(secretFile);
            if (!secrets.contains(self)) {
                throw new IllegalArgumentException(secretFile + " has no line for node " + self);
            }
            PromptDecisions.Mode mode = decide == null ? (terminal ? PromptDecisions.Mode.ASK
                    : PromptDecisions.Mode.SKIP) : PromptDecisions.Mode.valueOf(decide.toUpperCase(
                    java.util.Locale.ROOT));
            SslContext tls = tlsTrust == null ? null : SslContextBuilder.forClient().trustManager(tlsTrust.toFile())
                    .build();
            StoreUrl storeUrl = StoreUrl.parse(store);
            settings = new EventClient.Settings(self, Addresses.servers(connect, server, "--connect"),
                    secrets.only(self), logId, storeUrl, Incarnations.file(storeUrl, incarnationFile), tls, mode);
        } catch (IllegalArgumentException | SecretsFileException | javax.net.ssl.SSLException e) {
            err.println("chainsim client: " + (e.getMessage().startsWith("No enum constant")
                    ? "--decide must be ask, skip or purge, got '" + decide + "'" : e.getMessage()));
            err.flush();
            return 2;
        }
        try (EventClient client = EventClient.start(settings, out)) {
            return prompt(client, out, terminal);
        } catch (EventClient.Refused | StoreException | IllegalStateException e) {
            err.println("chainsim client: " + e.getMessage());
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("chainsim client: cannot read standard input: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private int prompt(EventClient client, PrintWriter out, boolean terminal) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (true) {
            if (terminal) {
                print(out, List.of(client.decisions().asking() ? "skip or purge? " : "> "), false);
            }
            String raw = in.readLine();
            if (raw == null) {
                break;
            }
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.equals("quit") || line.equals("exit")) {
                break;
            }
            print(out, answer(client, line), true);
        }
        return drain(client, out);
    }

    private List<String> answer(EventClient client, String line) {
        switch (line) {
            case "help":
                return List.of("ops: register NAME, drop NAME, start, pair ROUND, result ROUND NAME W-L[-D],"
                        + " confirm ROUND, end; commands: standings, pairings, log, pending, status, quit;"
                        + " skip or purge answer a conflict");
            case "status":
                return client.status();
            case "standings":
                return client.read(c -> concat(TournamentView.summary(c.state()),
                        TournamentView.standings(c.state())));
            case "pairings":
                return client.read(c -> concat(TournamentView.summary(c.state()),
                        TournamentView.pairings(c.state())));
            case "log":
                return client.read(c -> TournamentView.log(c.log()));
            case "pending":
                return client.read(c -> c.pendingOps().isEmpty() ? List.of("pending: none")
                        : c.pendingOps().map(op -> "pending " + op.id() + ": " + op.payload().text()).toJavaList());
            case "skip":
            case "purge":
                return client.decisions().answer(line) ? List.of("answered " + line)
                        : List.of("no conflict is waiting for an answer");
            default:
                Either<String, TournamentOp> op = TournamentOp.parse(line);
                if (op.isLeft()) {
                    return List.of("not an op or a command: " + op.getLeft() + " (help lists them)");
                }
                if (op.get() instanceof TournamentOp.Create) {
                    return List.of("not an op a device makes: the server creates the tournament");
                }
                return List.of(client.submit(op.get()));
        }
    }

    private int drain(EventClient client, PrintWriter out) {
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while (!client.idle() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int pending = client.read(c -> c.pendingOps().size());
        print(out, client.status(), true);
        if (pending > 0) {
            print(out, List.of("bye: " + pending + " ops still pending, kept in the store: they sync at the next"
                    + " start"), true);
            return 1;
        }
        print(out, List.of("bye: every op synced"), true);
        return 0;
    }

    private static List<String> concat(String first, List<String> rest) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static void print(PrintWriter out, List<String> lines, boolean newline) {
        synchronized (out) {
            for (String l : lines) {
                if (newline) {
                    out.println(l);
                } else {
                    out.print(l);
                }
            }
            out.flush();
        }
    }
}
