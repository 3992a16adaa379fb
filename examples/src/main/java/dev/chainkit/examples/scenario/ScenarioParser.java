package dev.chainkit.examples.scenario;

import dev.chainkit.oplog.Role;
import dev.chainkit.oplog.tournament.TournamentOp;
import io.vavr.control.Either;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads scenario files ({@code .scn}, see {@code design/scenario-format.md}) into {@link Scenario}s.
 *
 * <p>One statement per line; {@code #} starts a comment; blank lines are ignored; words are separated by
 * spaces or tabs. Statements may come in any order, except that an expectation must come after the op lines
 * whose labels it names. Every line kind of the format is accepted as written there; the extensions are:
 * <ul>
 *   <li>durations may also be written in minutes ({@code 10m}) and in any unit with a fraction, as long as
 *       they are a whole number of nanoseconds ({@code 0.5ms});</li>
 *   <li>{@code network latency=D} for {@code latency=D..D};</li>
 *   <li>{@code retry} may name any non-empty subset of its settings, the others keep the engine's defaults;</li>
 *   <li>{@code server NAME role=ROLE} gives the server's user another role than {@code organizer};</li>
 *   <li>a {@code client} line without {@code role=} makes a {@code judge};</li>
 *   <li>{@code drop}, {@code duplicate} and {@code delay} without {@code next} or a count mean {@code next};</li>
 *   <li>the message kinds {@code SyncRejected}, {@code Busy} and {@code Aborted};</li>
 *   <li>{@code expect messages KIND OP N} with {@code OP} one of {@code <}, {@code >=}, {@code >}, {@code =}
 *       besides {@code <=};</li>
 *   <li>several servers sharing one store (the scale-out part of the format): more than one {@code server} line,
 *       {@code client NAME servers=s1,s2}, a {@code hints loss=P delay=MIN..MAX poll=D} line, and targeted rules on
 *       the message kind {@code Hint} between two servers.</li>
 *   <li>an explored path ({@link ExploredPath}): an {@code explored} line and {@code step} lines, which
 *       {@link #parseExplored} returns for {@code chainsim run} to replay exactly, and {@link #parse} refuses.</li>
 * </ul>
 *
 * <p>Besides the syntax, the parser checks: at least one server; node names unique, valid and not {@code all};
 * every node that an event or expectation names is declared; a client's {@code servers=} names servers; every
 * targeted rule is on a link between a server and one of its clients (a {@code Hint} rule between two servers);
 * a {@code hints} line only with several servers; no {@code expect messages Hint}; labels unique, never {@code o0} (the genesis op's predefined label), and defined on an
 * earlier line than any expectation that names them; probabilities in [0, 1]; latency min at most max;
 * counts at least 1; no event after the {@code limit}; crashes only of a node that is up and restarts only of
 * a node that is down, in time order; a partition's groups non-empty and disjoint; no words after a complete
 * statement; each of {@code scenario}, {@code seed}, {@code network}, {@code retry}, {@code limit},
 * {@code hints} and {@code calm} at most once.
 *
 * <p>Thread safety: stateless, thread-safe.
 */
public final class ScenarioParser {

    private static final String STATEMENTS = "scenario, seed, network, retry, limit, server, client, hints, at, "
            + "calm, expect, explored, step";
    private static final String EVENTS = "'NODE: OP', drop, duplicate, delay, partition, heal, crash or restart";
    private static final String EXPECTATIONS = "converged, quiet, log, once, absent, messages or outcome";
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]+");
    private static final Pattern SEED = Pattern.compile("-?[0-9]+");

    private ScenarioParser() {
    }

    /**
     * Parses and validates a scenario file.
     *
     * @param fileName the file name for messages and the default scenario name, e.g. {@code friday.scn} or
     *     {@code scenarios/friday.scn} (the default name is then {@code friday})
     * @param text the file's content
     * @return the scenario
     * @throws ScenarioException if a line does not parse or the scenario breaks a rule of the format; the
     *     message is {@code FILE:LINE: what is wrong}, naming the first such line
     * @throws NullPointerException if an argument is null
     */
    public static Scenario parse(String fileName, String text) throws ScenarioException {
        Parse parse = new Parse(fileName, text);
        Scenario scenario = parse.run();
        if (parse.explored.firstLine() > 0) {
            throw new ScenarioException(fileName, parse.explored.firstLine(), "an explored path ('explored' and"
                    + " 'step' lines) is replayed exactly by chainsim run only");
        }
        return scenario;
    }

    /**
     * Parses and validates a scenario file that may hold an explored path ({@link ExploredPath}): the extension of
     * the format that {@code chainsim run} replays exactly. A file with a path may have one server, and no event
     * but its users' ops (their times are not used: when each op is made is a step of the path); its faults are
     * its steps, so it has no {@code network}, {@code retry}, {@code calm} or {@code hints} line either.
     *
     * @param fileName the file name for messages and the default scenario name
     * @param text the file's content
     * @return the scenario, with its path if it has one
     * @throws ScenarioException as {@link #parse}, or if the path's lines are invalid or mixed with lines a path
     *     cannot play
     * @throws NullPointerException if an argument is null
     */
    public static ExploredScenario parseExplored(String fileName, String text) throws ScenarioException {
        Parse parse = new Parse(fileName, text);
        Scenario scenario = parse.run();
        ExploredPath path = parse.explored.path();
        if (path != null) {
            parse.checkExplorable(scenario, path);
        }
        return new ExploredScenario(scenario, Optional.ofNullable(path));
    }

    /**
     * Reads a duration as scenario files write it ({@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 10m}).
     *
     * @param word the word
     * @return the duration, or empty if the word is not one
     */
    public static Optional<Duration> duration(String word) {
        return ScenarioSyntax.parseDuration(Objects.requireNonNull(word, "word"));
    }

    /** The state of one parse. Not thread-safe; used by one call only. */
    private static final class Parse {
        private final String file;
        private final String text;
        private String[] lines;
        private final Map<String, Integer> firstLineOf = new HashMap<>();
        private final Map<String, Integer> nodeLines = new LinkedHashMap<>();
        private final Map<String, Integer> labelLines = new LinkedHashMap<>();
        private final Map<String, Integer> clientLines = new HashMap<>();
        private final List<ClientSpec> clients = new ArrayList<>();
        private final List<ServerSpec> servers = new ArrayList<>();
        private Hints hints = Hints.DEFAULT;
        private int hintsLine;
        private final List<Event> events = new ArrayList<>();
        private final List<Expectation> expectations = new ArrayList<>();
        private Optional<String> name = Optional.empty();
        private long seed = Scenario.DEFAULT_SEED;
        private Network network = Network.DEFAULT;
        private Optional<RetryOverride> retry = Optional.empty();
        private Duration limit = Scenario.DEFAULT_LIMIT;
        private Optional<Duration> calmAt = Optional.empty();
        private int calmLine;
        private final ExploredPath.Lines explored;

        Parse(String file, String text) {
            this.file = Objects.requireNonNull(file, "fileName");
            this.text = Objects.requireNonNull(text, "text");
            this.explored = new ExploredPath.Lines(file);
        }

        Scenario run() throws ScenarioException {
            ScenarioText.check(file, text);
            lines = text.split("\\R", -1);
            for (int i = 0; i < lines.length; i++) {
                int hash = lines[i].indexOf('#');
                String content = (hash < 0 ? lines[i] : lines[i].substring(0, hash)).strip();
                if (!content.isEmpty()) {
                    statement(new Words(i + 1, content.split("\\s+")));
                }
            }
            if (servers.isEmpty()) {
                throw error(lastLine(), "no server: expected a 'server NAME' line (or several, sharing one store)");
            }
            checkServers();
            checkEvents();
            Scenario scenario = new Scenario(name.orElseGet(() -> defaultName(file)), seed, network, retry, limit,
                    servers, clients, calmAt, events, expectations, hints);
            checkCrashes(scenario.events());
            checkExpectations();
            return scenario;
        }

        private void statement(Words ws) throws ScenarioException {
            String keyword = ws.next("a statement");
            switch (keyword) {
                case "scenario" -> {
                    once(ws);
                    name = Optional.of(ws.next("a scenario name such as friday-night"));
                    ws.end();
                }
                case "seed" -> {
                    once(ws);
                    seed = seed(ws);
                    ws.end();
                }
                case "network" -> network(ws);
                case "retry" -> retry(ws);
                case "limit" -> {
                    once(ws);
                    limit = duration(ws, ws.next(ScenarioSyntax.DURATION_FORM), "limit");
                    if (limit.isZero()) {
                        throw error(ws.line, "limit must be more than 0ms");
                    }
                    ws.end();
                }
                case "server" -> server(ws);
                case "client" -> client(ws);
                case "hints" -> hints(ws);
                case "at" -> events.add(event(ws));
                case "calm" -> {
                    once(ws);
                    ws.expect("at");
                    calmAt = Optional.of(duration(ws, ws.next(ScenarioSyntax.DURATION_FORM), "calm time"));
                    calmLine = ws.line;
                    ws.end();
                }
                case "expect" -> expectations.add(expectation(ws));
                case "explored" -> explored.explored(ws.line, ws.rest());
                case "step" -> explored.step(ws.line, ws.rest());
                default -> throw error(ws.line, "unknown statement '" + keyword + "': expected one of " + STATEMENTS);
            }
        }

        /**
         * Rejects what an explored path cannot play: random faults, a retry schedule, calm, several servers, and
         * events other than ops (a path plays its faults as its steps).
         */
        void checkExplorable(Scenario scenario, ExploredPath path) throws ScenarioException {
            String why = "' cannot be mixed with an explored path (line " + path.line() + "), which plays every fault"
                    + " and retransmission as its steps";
            for (String keyword : List.of("network", "retry", "calm", "hints")) {
                Integer at = firstLineOf.get(keyword);
                if (at != null) {
                    throw error(at, "'" + keyword + why);
                }
            }
            if (scenario.servers().size() > 1) {
                throw error(nodeLines.get(scenario.servers().get(1).name()), "a second server" + why.substring(1)
                        + "; it explores one server");
            }
            for (Event e : scenario.events()) {
                if (!(e instanceof Event.LocalOp)) {
                    throw error(e.line(), "an event other than an op" + why.substring(1)
                            + " (ops are made at their step; their times are not used)");
                }
            }
        }

        /** Rejects a second line of a statement kind that may appear once. */
        private void once(Words ws) throws ScenarioException {
            String keyword = ws.words.get(0);
            Integer first = firstLineOf.putIfAbsent(keyword, ws.line);
            if (first != null) {
                throw error(ws.line, "a second '" + keyword + "' line: the first is at line " + first);
            }
        }

        private long seed(Words ws) throws ScenarioException {
            String word = ws.next("a seed such as 42");
            if (SEED.matcher(word).matches() && new BigInteger(word).bitLength() < Long.SIZE) {
                return Long.parseLong(word);
            }
            throw error(ws.line, "bad seed '" + word + "': expected a whole number from " + Long.MIN_VALUE + " to "
                    + Long.MAX_VALUE + " such as 42");
        }

        private void network(Words ws) throws ScenarioException {
            once(ws);
            Map<String, String> s = settings(ws, "network", List.of("loss", "duplicate", "latency"), true);
            double loss = s.containsKey("loss") ? probability(ws, s.get("loss"), "loss") : Network.DEFAULT.loss();
            double duplicate = s.containsKey("duplicate") ? probability(ws, s.get("duplicate"), "duplicate")
                    : Network.DEFAULT.duplicate();
            String latency = s.get("latency");
            int dots = latency == null ? -1 : latency.indexOf("..");
            Duration min = latency == null ? Network.DEFAULT.latencyMin()
                    : dots < 0 ? duration(ws, latency, "network latency")
                    : duration(ws, latency.substring(0, dots), "network latency min");
            Duration max = latency == null ? Network.DEFAULT.latencyMax()
                    : dots < 0 ? min
                    : duration(ws, latency.substring(dots + 2), "network latency max");
            network = build(ws, () -> new Network(loss, duplicate, min, max));
        }

        private double probability(Words ws, String value, String what) throws ScenarioException {
            return ScenarioSyntax.parseDecimal(value).orElseThrow(() -> error(ws.line, "bad network " + what
                    + " '" + value + "': expected a probability from 0 to 1 such as 0.1"));
        }

        private void retry(Words ws) throws ScenarioException {
            once(ws);
            Map<String, String> s = settings(ws, "retry", List.of("initial", "multiplier", "max", "jitter"), true);
            Optional<Duration> initial = optionalDuration(ws, s.get("initial"), "retry initial");
            OptionalDouble multiplier = optionalNumber(ws, s.get("multiplier"), "retry multiplier", "2");
            Optional<Duration> max = optionalDuration(ws, s.get("max"), "retry max");
            OptionalDouble jitter = optionalNumber(ws, s.get("jitter"), "retry jitter", "0.2");
            retry = Optional.of(build(ws, () -> new RetryOverride(initial, multiplier, max, jitter)));
        }

        private Optional<Duration> optionalDuration(Words ws, String value, String what) throws ScenarioException {
            return value == null ? Optional.empty() : Optional.of(duration(ws, value, what));
        }

        private OptionalDouble optionalNumber(Words ws, String value, String what, String example)
                throws ScenarioException {
            if (value == null) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(ScenarioSyntax.parseDecimal(value).orElseThrow(() -> error(ws.line,
                    "bad " + what + " '" + value + "': expected a number such as " + example)));
        }

        private void server(Words ws) throws ScenarioException {
            String nodeName = ws.next("a server name such as hq");
            Map<String, String> s = settings(ws, "server", List.of("role"), false);
            Role role = s.containsKey("role") ? role(ws, s.get("role")) : Role.organizer();
            ServerSpec spec = build(ws, () -> new ServerSpec(nodeName, role));
            declare(ws, nodeName);
            servers.add(spec);
        }

        private void hints(Words ws) throws ScenarioException {
            once(ws);
            hintsLine = ws.line;
            Map<String, String> s = settings(ws, "hints", List.of("loss", "delay", "poll"), true);
            double loss = s.containsKey("loss") ? ScenarioSyntax.parseDecimal(s.get("loss")).orElseThrow(
                    () -> error(ws.line, "bad hints loss '" + s.get("loss") + "': expected a probability from 0 to 1 "
                            + "such as 0.1")) : Hints.DEFAULT.loss();
            String delay = s.get("delay");
            int dots = delay == null ? -1 : delay.indexOf("..");
            Duration min = delay == null ? Hints.DEFAULT.delayMin()
                    : dots < 0 ? duration(ws, delay, "hints delay") : duration(ws, delay.substring(0, dots),
                    "hints delay min");
            Duration max = delay == null ? Hints.DEFAULT.delayMax()
                    : dots < 0 ? min : duration(ws, delay.substring(dots + 2), "hints delay max");
            Duration poll = s.containsKey("poll") ? duration(ws, s.get("poll"), "hints poll") : Hints.DEFAULT.poll();
            hints = build(ws, () -> new Hints(loss, min, max, poll));
        }

        private void client(Words ws) throws ScenarioException {
            String nodeName = ws.next("a client name such as alice");
            Map<String, String> s = settings(ws, "client", List.of("role", "decide", "think", "servers"), false);
            Role role = s.containsKey("role") ? role(ws, s.get("role")) : Role.judge();
            Decide decide = s.containsKey("decide") ? decide(ws, s.get("decide")) : Decide.SKIP;
            Duration think = s.containsKey("think") ? duration(ws, s.get("think"), "think time") : Duration.ZERO;
            List<String> uses = s.containsKey("servers") ? List.of(s.get("servers").split(",", -1)) : List.of();
            if (uses.stream().anyMatch(String::isEmpty)) {
                throw error(ws.line, "bad servers '" + s.get("servers") + "': expected server names separated by ','"
                        + " such as servers=s1,s2");
            }
            ClientSpec spec = build(ws, () -> new ClientSpec(nodeName, role, decide, think, uses));
            declare(ws, nodeName);
            clientLines.put(nodeName, ws.line);
            clients.add(spec);
        }

        /** Checks that every client's servers are servers, and that a hints line has servers to pass between. */
        private void checkServers() throws ScenarioException {
            List<String> names = servers.stream().map(ServerSpec::name).toList();
            for (ClientSpec c : clients) {
                for (String used : c.servers()) {
                    if (!names.contains(used)) {
                        throw error(clientLines.get(c.name()), "client " + c.name() + " names '" + used
                                + "' in servers=, which is not a server (servers: " + String.join(", ", names) + ")");
                    }
                }
            }
            if (hintsLine > 0 && servers.size() < 2) {
                throw error(hintsLine, "a 'hints' line needs several servers: hints pass between servers that share"
                        + " one store, and this scenario has one");
            }
        }

        /** The servers a client talks to: its servers=, or every server. */
        private List<String> serversOf(String client) {
            List<String> all = servers.stream().map(ServerSpec::name).toList();
            return clients.stream().filter(c -> c.name().equals(client)).findFirst()
                    .map(c -> c.serversAmong(all)).orElse(List.of());
        }

        private boolean isServer(String node) {
            return servers.stream().anyMatch(s -> s.name().equals(node));
        }

        private Decide decide(Words ws, String value) throws ScenarioException {
            return Decide.fromText(value).orElseThrow(() -> error(ws.line, "bad decide '" + value
                    + "': expected skip or purge"));
        }

        private Role role(Words ws, String value) throws ScenarioException {
            Either<String, Role> role = Role.parse(value);
            if (role.isLeft()) {
                throw error(ws.line, "bad role: " + role.getLeft());
            }
            return role.get();
        }

        private void declare(Words ws, String nodeName) throws ScenarioException {
            Integer first = nodeLines.putIfAbsent(nodeName, ws.line);
            if (first != null) {
                throw error(ws.line, "node '" + nodeName + "' is already declared at line " + first);
            }
        }

        /**
         * Reads the {@code KEY=VALUE} words up to the end of the line.
         *
         * @param what the statement, for messages
         * @param known the keys it accepts
         * @param required whether at least one setting must be given
         */
        private Map<String, String> settings(Words ws, String what, List<String> known, boolean required)
                throws ScenarioException {
            Map<String, String> settings = new LinkedHashMap<>();
            String keys = String.join(", ", known);
            while (ws.hasNext()) {
                String word = ws.next("a setting");
                int eq = word.indexOf('=');
                if (eq <= 0 || eq == word.length() - 1) {
                    throw error(ws.line, "expected KEY=VALUE (keys: " + keys + ") but got '" + word + "'");
                }
                String key = word.substring(0, eq);
                if (!known.contains(key)) {
                    throw error(ws.line, "unknown " + what + " setting '" + key + "' (known: " + keys + ")");
                }
                if (settings.putIfAbsent(key, word.substring(eq + 1)) != null) {
                    throw error(ws.line, what + " setting '" + key + "' is given twice");
                }
            }
            if (required && settings.isEmpty()) {
                throw error(ws.line, "expected at least one of " + String.join("=, ", known) + "= after '" + what
                        + "'");
            }
            return settings;
        }

        private Event event(Words ws) throws ScenarioException {
            Duration at = duration(ws, ws.next("a time such as 250ms"), "time");
            String head = ws.next("an event: " + EVENTS);
            if (head.endsWith(":")) {
                return localOp(ws, at, head.substring(0, head.length() - 1));
            }
            switch (head) {
                case "drop":
                    return rule(ws, at, Event.Rule.Action.DROP);
                case "duplicate":
                    return rule(ws, at, Event.Rule.Action.DUPLICATE);
                case "delay":
                    return rule(ws, at, Event.Rule.Action.DELAY);
                case "partition":
                    return partition(ws, at);
                case "heal":
                    ws.end();
                    return build(ws, () -> new Event.Heal(at, ws.line));
                case "crash": {
                    String node = ws.next("the node that crashes");
                    ws.end();
                    return build(ws, () -> new Event.Crash(at, ws.line, node));
                }
                case "restart": {
                    String node = ws.next("the node that restarts");
                    ws.end();
                    return build(ws, () -> new Event.Restart(at, ws.line, node));
                }
                default:
                    throw error(ws.line, "unknown event '" + head + "': expected " + EVENTS
                            + " (a local op's node name ends with ':')");
            }
        }

        private Event localOp(Words ws, Duration at, String node) throws ScenarioException {
            Optional<String> label = Optional.empty();
            if (ws.remaining() >= 2 && ws.peek(1).equals("=")) {
                label = Optional.of(ws.next("a label"));
                ws.next("'='");
            }
            List<String> opWords = ws.rest();
            if (opWords.isEmpty()) {
                throw ws.missing("an op such as 'register alice'");
            }
            Either<String, TournamentOp> op = TournamentOp.parse(String.join(" ", opWords));
            if (op.isLeft()) {
                throw error(ws.line, "bad op: " + op.getLeft());
            }
            Optional<String> opLabel = label;
            Event.LocalOp event = build(ws, () -> new Event.LocalOp(at, ws.line, node, opLabel, op.get()));
            if (label.isPresent()) {
                Integer first = labelLines.putIfAbsent(label.get(), ws.line);
                if (first != null) {
                    throw error(ws.line, "label '" + label.get() + "' is already defined at line " + first);
                }
            }
            return event;
        }

        private Event rule(Words ws, Duration at, Event.Rule.Action action) throws ScenarioException {
            String kindForm = "a message kind (" + MessageKind.knownTexts() + ")";
            String first = ws.next("'next', a count or " + kindForm);
            boolean counted = first.equals("next") || WHOLE_NUMBER.matcher(first).matches();
            int count = first.equals("next") || !counted ? 1 : count(ws, first, 1);
            MessageKind kind = kind(ws, counted ? ws.next(kindForm) : first);
            String from = ws.next("the sending node");
            ws.expect("->");
            String to = ws.next("the receiving node");
            Duration delay = Duration.ZERO;
            if (action == Event.Rule.Action.DELAY) {
                ws.expect("by");
                delay = duration(ws, ws.next(ScenarioSyntax.DURATION_FORM), "delay");
            }
            ws.end();
            Duration by = delay;
            return build(ws, () -> new Event.Rule(at, ws.line, action, count, kind, from, to, by));
        }

        private Event partition(Words ws, Duration at) throws ScenarioException {
            String groups = String.join(" ", ws.rest());
            if (groups.isEmpty()) {
                throw ws.missing("two groups such as 'a | hq,b'");
            }
            String[] sides = groups.split("\\|", -1);
            if (sides.length != 2) {
                throw error(ws.line, "expected two groups separated by one '|', such as 'partition a | hq,b', "
                        + "but got '" + groups + "'");
            }
            List<String> left = group(ws, sides[0]);
            List<String> right = group(ws, sides[1]);
            return build(ws, () -> new Event.Partition(at, ws.line, left, right));
        }

        private List<String> group(Words ws, String side) throws ScenarioException {
            if (side.isBlank()) {
                return List.of();
            }
            List<String> members = new ArrayList<>();
            for (String member : side.split(",", -1)) {
                if (member.isBlank()) {
                    throw error(ws.line, "empty node name in partition group '" + side.strip()
                            + "': expected names separated by ','");
                }
                members.add(member.strip());
            }
            return members;
        }

        private Expectation expectation(Words ws) throws ScenarioException {
            String what = ws.next("what to expect: " + EXPECTATIONS);
            int line = ws.line;
            switch (what) {
                case "converged":
                    ws.end();
                    return new Expectation.Converged(line);
                case "quiet":
                    ws.end();
                    return new Expectation.Quiet(line);
                case "log": {
                    String target = ws.next("a node name or 'all'");
                    ws.expect("=");
                    List<String> labels = ws.rest();
                    if (labels.isEmpty()) {
                        throw ws.missing("the expected log as labels, such as 'o0 a1'");
                    }
                    Optional<String> node = target.equals(ScenarioSyntax.ALL_NODES) ? Optional.empty()
                            : Optional.of(target);
                    return build(ws, () -> new Expectation.Log(line, node, labels));
                }
                case "once": {
                    String label = ws.next("a label");
                    ws.end();
                    return build(ws, () -> new Expectation.Once(line, label));
                }
                case "absent": {
                    String label = ws.next("a label");
                    ws.end();
                    return build(ws, () -> new Expectation.Absent(line, label));
                }
                case "messages":
                    return messages(ws);
                case "outcome": {
                    String label = ws.next("a label");
                    ws.expect("=");
                    String word = ws.next("an outcome (" + ChainOutcome.knownTexts() + ")");
                    ChainOutcome outcome = ChainOutcome.fromText(word).orElseThrow(() -> error(line,
                            "unknown outcome '" + word + "' (known: " + ChainOutcome.knownTexts() + ")"));
                    ws.end();
                    return build(ws, () -> new Expectation.Outcome(line, label, outcome));
                }
                default:
                    throw error(line, "unknown expectation '" + what + "': expected " + EXPECTATIONS);
            }
        }

        private Expectation messages(Words ws) throws ScenarioException {
            MessageKind kind = kind(ws, ws.next("a message kind (" + MessageKind.knownTexts() + ")"));
            if (kind == MessageKind.HINT) {
                throw error(ws.line, "hints pass through the store, not the network: 'expect messages' does not "
                        + "count them");
            }
            String op = ws.next("a comparison (" + Comparison.knownTexts() + ")");
            Comparison comparison = Comparison.fromText(op).orElseThrow(() -> error(ws.line,
                    "bad comparison '" + op + "': expected one of " + Comparison.knownTexts()));
            int count = count(ws, ws.next("a count such as 4"), 0);
            ws.end();
            return new Expectation.Messages(ws.line, kind, comparison, count);
        }

        /** Reads a count: a whole number from {@code min} to {@link Integer#MAX_VALUE}. */
        private int count(Words ws, String word, int min) throws ScenarioException {
            if (WHOLE_NUMBER.matcher(word).matches() && new BigInteger(word).bitLength() < Integer.SIZE) {
                int count = Integer.parseInt(word);
                if (count >= min) {
                    return count;
                }
            }
            throw error(ws.line, "bad count '" + word + "': expected " + (min == 1 ? "'next' or " : "")
                    + "a whole number from " + min + " to " + Integer.MAX_VALUE);
        }

        private MessageKind kind(Words ws, String word) throws ScenarioException {
            return MessageKind.fromText(word).orElseThrow(() -> error(ws.line, "unknown message kind '" + word
                    + "' (known: " + MessageKind.knownTexts() + ")"));
        }

        private Duration duration(Words ws, String word, String what) throws ScenarioException {
            return ScenarioSyntax.parseDuration(word).orElseThrow(() -> error(ws.line, "bad " + what + " '" + word
                    + "': " + ScenarioSyntax.durationProblem(word)));
        }

        /** Checks, in file order, that events name declared nodes, use real links and fall within the limit (calm too). */
        private void checkEvents() throws ScenarioException {
            for (Event e : events) {
                int line = e.line();
                if (e instanceof Event.LocalOp op) {
                    requireNode(line, op.node());
                } else if (e instanceof Event.Rule rule) {
                    requireNode(line, rule.from());
                    requireNode(line, rule.to());
                    checkLink(line, rule);
                } else if (e instanceof Event.Partition partition) {
                    for (String node : partition.left()) {
                        requireNode(line, node);
                    }
                    for (String node : partition.right()) {
                        requireNode(line, node);
                    }
                } else if (e instanceof Event.Crash crash) {
                    requireNode(line, crash.node());
                } else if (e instanceof Event.Restart restart) {
                    requireNode(line, restart.node());
                }
                if (e.at().compareTo(limit) > 0) {
                    throw error(line, "time " + ScenarioSyntax.formatDuration(e.at()) + " is after the limit "
                            + ScenarioSyntax.formatDuration(limit) + ": the run stops before it (raise 'limit')");
                }
            }
            if (calmAt.isPresent() && calmAt.get().compareTo(limit) > 0) {
                throw error(calmLine, "calm time " + ScenarioSyntax.formatDuration(calmAt.get()) + " is after the limit "
                        + ScenarioSyntax.formatDuration(limit) + ": the run stops before it (raise 'limit')");
            }
        }

        /** A message rule is on a link between a server and a client of it; a hint rule between two servers. */
        private void checkLink(int line, Event.Rule rule) throws ScenarioException {
            String from = rule.from();
            String to = rule.to();
            if (rule.kind() == MessageKind.HINT) {
                if (!isServer(from) || !isServer(to) || from.equals(to)) {
                    throw error(line, "no hint " + from + " -> " + to + ": hints pass from one server to another "
                            + "(servers: " + String.join(", ", servers.stream().map(ServerSpec::name).toList()) + ")");
                }
                return;
            }
            String server = isServer(from) ? from : to;
            String client = isServer(from) ? to : from;
            if (!isServer(server) || isServer(client)) {
                throw error(line, "no link " + from + " -> " + to + ": every link joins " + (servers.size() == 1
                        ? "the server '" + servers.get(0).name() + "'" : "a server (" + String.join(", ",
                        servers.stream().map(ServerSpec::name).toList()) + ")") + " and a client");
            }
            if (!serversOf(client).contains(server)) {
                throw error(line, "no link " + from + " -> " + to + ": client " + client + " uses only "
                        + String.join(",", serversOf(client)) + " (its servers=)");
            }
        }

        /** Checks, in time order, that only running nodes crash and only crashed nodes restart. */
        private void checkCrashes(List<Event> inTimeOrder) throws ScenarioException {
            Map<String, Integer> downSince = new HashMap<>();
            for (Event e : inTimeOrder) {
                if (e instanceof Event.Crash crash) {
                    Integer previous = downSince.putIfAbsent(crash.node(), crash.line());
                    if (previous != null) {
                        throw error(crash.line(), "crash of '" + crash.node() + "' at "
                                + ScenarioSyntax.formatDuration(crash.at()) + ", but it is already down then"
                                + " (crashed at line " + previous + ")");
                    }
                } else if (e instanceof Event.Restart restart && downSince.remove(restart.node()) == null) {
                    throw error(restart.line(), "restart of '" + restart.node() + "' at "
                            + ScenarioSyntax.formatDuration(restart.at()) + ", but it is up then: only a crashed"
                            + " node can restart (add 'at T crash " + restart.node() + "' before it)");
                }
            }
        }

        /** Checks, in file order, that expectations name declared nodes and earlier-defined labels. */
        private void checkExpectations() throws ScenarioException {
            for (Expectation x : expectations) {
                if (x instanceof Expectation.Log log) {
                    if (log.node().isPresent()) {
                        requireNode(log.line(), log.node().get());
                    }
                    for (String label : log.labels()) {
                        requireLabel(log.line(), label);
                    }
                } else if (x instanceof Expectation.Once once) {
                    requireLabel(once.line(), once.label());
                } else if (x instanceof Expectation.Absent absent) {
                    requireLabel(absent.line(), absent.label());
                } else if (x instanceof Expectation.Outcome outcome) {
                    requireLabel(outcome.line(), outcome.label());
                }
            }
        }

        private void requireNode(int line, String node) throws ScenarioException {
            if (!nodeLines.containsKey(node)) {
                throw error(line, "unknown node '" + node + "' (known: " + String.join(", ", nodeLines.keySet())
                        + ")");
            }
        }

        private void requireLabel(int line, String label) throws ScenarioException {
            if (label.equals(Scenario.GENESIS_LABEL)) {
                return;
            }
            Integer defined = labelLines.get(label);
            if (defined == null) {
                List<String> known = new ArrayList<>();
                known.add(Scenario.GENESIS_LABEL);
                known.addAll(labelLines.keySet());
                throw error(line, "unknown label '" + label + "' (known: " + String.join(", ", known) + ")");
            }
            if (defined > line) {
                throw error(line, "label '" + label + "' is used before it is defined at line " + defined
                        + ": put expectations after the ops they name");
            }
        }

        /** Builds a model value, reporting the constructor's complaint at the line. */
        private <T> T build(Words ws, Supplier<T> constructor) throws ScenarioException {
            try {
                return constructor.get();
            } catch (IllegalArgumentException invalid) {
                throw error(ws.line, invalid.getMessage());
            }
        }

        private int lastLine() {
            int last = lines.length;
            return last > 1 && lines[last - 1].isEmpty() ? last - 1 : last;
        }

        private ScenarioException error(int line, String reason) {
            return new ScenarioException(file, line, reason);
        }

        private static String defaultName(String fileName) {
            String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
            if (base.endsWith(".scn")) {
                base = base.substring(0, base.length() - ".scn".length());
            }
            base = base.replaceAll("[\\s#]+", "-");
            return base.isEmpty() ? "scenario" : base;
        }

        /** The words of one statement and how far they have been read. */
        private final class Words {
            private final int line;
            private final List<String> words;
            private int next;

            Words(int line, String[] words) {
                this.line = line;
                this.words = Arrays.asList(words);
            }

            boolean hasNext() {
                return next < words.size();
            }

            int remaining() {
                return words.size() - next;
            }

            /** The word {@code ahead} places after the next one, which must exist. */
            String peek(int ahead) {
                return words.get(next + ahead);
            }

            String next(String expected) throws ScenarioException {
                if (!hasNext()) {
                    throw missing(expected);
                }
                return words.get(next++);
            }

            /** Consumes and returns all remaining words. */
            List<String> rest() {
                List<String> rest = List.copyOf(words.subList(next, words.size()));
                next = words.size();
                return rest;
            }

            void expect(String literal) throws ScenarioException {
                String before = read();
                String word = next("'" + literal + "'");
                if (!word.equals(literal)) {
                    throw error(line, "expected '" + literal + "' after '" + before + "' but got '" + word + "'");
                }
            }

            /** Rejects words after a complete statement. */
            void end() throws ScenarioException {
                if (hasNext()) {
                    throw error(line, "unexpected '" + String.join(" ", words.subList(next, words.size()))
                            + "' after the complete statement '" + read() + "'");
                }
            }

            ScenarioException missing(String expected) {
                return error(line, "expected " + expected + " after '" + read() + "'");
            }

            private String read() {
                return String.join(" ", words.subList(0, next));
            }
        }
    }
}
