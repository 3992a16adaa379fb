package dev.chainkit.examples.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Invalid scenarios: each is rejected with the exact {@code FILE:LINE: what is wrong} message. */
class ScenarioParserErrorTest {

    /** Lines 1-3. */
    private static final String NODES = "server hq\nclient judge1 role=judge\nclient alice role=player:alice\n";

    private static void assertRejected(String text, String message) {
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse("friday.scn", text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void exceptionNamesFileLineAndReasonSeparately() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> ScenarioParser.parse("dir/friday.scn", NODES + "at 0ms bob: register p1\n"));

        assertEquals("dir/friday.scn", e.fileName());
        assertEquals(4, e.line());
        assertEquals("unknown node 'bob' (known: hq, judge1, alice)", e.reason());
        assertEquals("dir/friday.scn:4: unknown node 'bob' (known: hq, judge1, alice)", e.getMessage());
    }

    @Test
    void unknownNodeInARuleListsTheKnownNodes() {
        assertRejected(NODES + "# comment\n\nat 1s drop next OpSync bob -> hq\n",
                "friday.scn:6: unknown node 'bob' (known: hq, judge1, alice)");
    }

    @Test
    void unknownStatementListsTheStatements() {
        assertRejected(NODES + "wait 5s\n", "friday.scn:4: unknown statement 'wait': expected one of scenario, seed, "
                + "network, retry, limit, server, client, hints, at, calm, expect, explored, step");
    }

    @Test
    void missingServerIsReportedAtTheLastLine() {
        assertRejected("client a\nclient b\n", "friday.scn:2: no server: expected a 'server NAME' line (or several, sharing one store)");
    }

    @Test
    void aClientsServersMustBeServers() {
        assertRejected(NODES + "server backup\nclient bob servers=backup,judge1\n", "friday.scn:5: client bob names "
                + "'judge1' in servers=, which is not a server (servers: hq, backup)");
        assertRejected(NODES + "client bob servers=hq,,hq\n", "friday.scn:4: bad servers 'hq,,hq': expected server "
                + "names separated by ',' such as servers=s1,s2");
        assertRejected(NODES + "client bob servers=hq,hq\n", "friday.scn:4: servers=hq,hq names a server twice");
    }

    @Test
    void aHintsLineNeedsSeveralServers() {
        assertRejected(NODES + "hints loss=0.1\n", "friday.scn:4: a 'hints' line needs several servers: hints pass "
                + "between servers that share one store, and this scenario has one");
        assertRejected(NODES + "server backup\nhints poll=0ms\n", "friday.scn:5: hints poll must be more than 0ms "
                + "but was 0ms");
        assertRejected(NODES + "server backup\nhints loss=2\n", "friday.scn:5: hints loss must be a probability "
                + "from 0 to 1 but was 2.0");
    }

    @Test
    void aHintPassesFromServerToServerOnly() {
        assertRejected(NODES + "server backup\nat 0ms drop next Hint hq -> judge1\n", "friday.scn:5: no hint hq -> "
                + "judge1: hints pass from one server to another (servers: hq, backup)");
        assertRejected(NODES + "server backup\nexpect messages Hint <= 3\n", "friday.scn:5: hints pass through the "
                + "store, not the network: 'expect messages' does not count them");
    }

    @Test
    void aRuleOnALinkTheClientDoesNotUseIsRejected() {
        assertRejected(NODES + "server backup\nclient bob servers=backup\nat 0ms drop next OpSync bob -> hq\n",
                "friday.scn:6: no link bob -> hq: client bob uses only backup (its servers=)");
        assertRejected(NODES + "server backup\nat 0ms drop next OpSync hq -> backup\n", "friday.scn:5: no link hq ->"
                + " backup: every link joins a server (hq, backup) and a client");
    }

    @Test
    void duplicateNodeNameIsRejected() {
        assertRejected(NODES + "client judge1\n", "friday.scn:4: node 'judge1' is already declared at line 2");
    }

    @Test
    void invalidNodeNameIsRejected() {
        assertRejected(NODES + "client 9lives\n",
                "friday.scn:4: bad node name '9lives': expected a name matching [A-Za-z][A-Za-z0-9_-]*");
    }

    @Test
    void nodeCannotBeCalledAll() {
        assertRejected(NODES + "client all\n",
                "friday.scn:4: 'all' cannot name a node: 'expect log all' means every node");
    }

    @Test
    void unknownMessageKindListsTheKnownKinds() {
        assertRejected(NODES + "at 1s drop next OpSinc judge1 -> hq\n", "friday.scn:4: unknown message kind 'OpSinc' "
                + "(known: OpSync, SyncSuccess, SyncSuccessWithNewOps, OpProcessor, ProcessorDecision, SyncFailed, "
                + "ForwardSync, ForwardAck, SyncRejected, Busy, Aborted, Hint, any)");
    }

    @Test
    void probabilityAboveOneIsRejected() {
        assertRejected(NODES + "network loss=1.5\n",
                "friday.scn:4: network loss must be a probability from 0 to 1 but was 1.5");
    }

    @Test
    void probabilityThatIsNoNumberIsRejected() {
        assertRejected(NODES + "network duplicate=lots\n",
                "friday.scn:4: bad network duplicate 'lots': expected a probability from 0 to 1 such as 0.1");
    }

    @Test
    void latencyMinAboveMaxIsRejected() {
        assertRejected(NODES + "network latency=80ms..5ms\n",
                "friday.scn:4: network latency min 80ms is above max 5ms: expected latency=MIN..MAX with MIN <= MAX");
    }

    @Test
    void unknownNetworkKeyIsNamed() {
        assertRejected(NODES + "network los=0.1\n",
                "friday.scn:4: unknown network setting 'los' (known: loss, duplicate, latency)");
    }

    @Test
    void unknownClientKeyIsNamed() {
        assertRejected(NODES + "client bob role=judge mood=happy\n",
                "friday.scn:4: unknown client setting 'mood' (known: role, decide, think, servers)");
    }

    @Test
    void unknownRetryKeyIsNamed() {
        assertRejected(NODES + "retry initial=100ms backoff=2\n",
                "friday.scn:4: unknown retry setting 'backoff' (known: initial, multiplier, max, jitter)");
    }

    @Test
    void settingWithoutValueIsRejected() {
        assertRejected(NODES + "retry jitter\n",
                "friday.scn:4: expected KEY=VALUE (keys: initial, multiplier, max, jitter) but got 'jitter'");
    }

    @Test
    void retryJitterOfOneIsRejected() {
        assertRejected(NODES + "retry jitter=1\n", "friday.scn:4: retry jitter must be at least 0 and below 1 but was 1.0");
    }

    @Test
    void countOfZeroIsRejected() {
        assertRejected(NODES + "at 1s drop 0 SyncSuccess hq -> judge1\n",
                "friday.scn:4: bad count '0': expected 'next' or a whole number from 1 to 2147483647");
    }

    @Test
    void restartOfARunningNodeIsRejected() {
        assertRejected(NODES + "at 5s crash hq\nat 4s restart hq\n", "friday.scn:5: restart of 'hq' at 4s, but it "
                + "is up then: only a crashed node can restart (add 'at T crash hq' before it)");
    }

    @Test
    void crashOfACrashedNodeIsRejected() {
        assertRejected(NODES + "at 5s crash alice\nat 6s crash alice\n",
                "friday.scn:5: crash of 'alice' at 6s, but it is already down then (crashed at line 4)");
    }

    @Test
    void overlappingPartitionGroupsAreRejected() {
        assertRejected(NODES + "at 2s partition judge1,hq | hq,alice\n",
                "friday.scn:4: node 'hq' is in both groups: a partition's groups must be disjoint");
    }

    @Test
    void emptyPartitionGroupIsRejected() {
        assertRejected(NODES + "at 2s partition judge1 |\n",
                "friday.scn:4: a partition needs two non-empty groups: expected 'partition A,B | C,D'");
    }

    @Test
    void partitionWithThreeGroupsIsRejected() {
        assertRejected(NODES + "at 2s partition judge1 | hq | alice\n", "friday.scn:4: expected two groups "
                + "separated by one '|', such as 'partition a | hq,b', but got 'judge1 | hq | alice'");
    }

    @Test
    void playerRoleWithoutNameIsRejected() {
        assertRejected(NODES + "client bob role=player:\n", "friday.scn:4: bad role: expected 'player:NAME' with NAME "
                + "matching [A-Za-z][A-Za-z0-9_-]* but got 'player:' (bad NAME '')");
    }

    @Test
    void unknownDecideIsRejected() {
        assertRejected(NODES + "client bob decide=retry\n", "friday.scn:4: bad decide 'retry': expected skip or purge");
    }

    @Test
    void labelDefinedTwiceIsRejected() {
        assertRejected(NODES + "at 0ms judge1: a1 = register p1\nat 1ms alice: a1 = register p2\n",
                "friday.scn:5: label 'a1' is already defined at line 4");
    }

    @Test
    void genesisLabelCannotBeRedefined() {
        assertRejected(NODES + "at 0ms judge1: o0 = register p1\n",
                "friday.scn:4: label 'o0' is predefined: it names the genesis op");
    }

    @Test
    void labelUsedBeforeItsDefinitionIsRejected() {
        assertRejected(NODES + "expect once a1\nat 0ms judge1: a1 = register p1\n", "friday.scn:4: label 'a1' is used "
                + "before it is defined at line 5: put expectations after the ops they name");
    }

    @Test
    void unknownLabelListsTheKnownLabels() {
        assertRejected(NODES + "at 0ms judge1: a1 = register p1\nexpect log all = o0 a1 a2\n",
                "friday.scn:5: unknown label 'a2' (known: o0, a1)");
    }

    @Test
    void outcomeOfTheGenesisOpIsRejected() {
        assertRejected(NODES + "expect outcome o0 = completed\n",
                "friday.scn:4: 'o0' is the genesis op: no chain carries it, so it has no outcome");
    }

    @Test
    void unknownOutcomeListsTheOutcomes() {
        assertRejected(NODES + "at 0ms judge1: a1 = register p1\nexpect outcome a1 = done\n",
                "friday.scn:5: unknown outcome 'done' (known: completed, failed, superseded, timed-out)");
    }

    @Test
    void wordsAfterACompleteStatementAreRejected() {
        assertRejected(NODES + "expect converged eventually   # comment\n",
                "friday.scn:4: unexpected 'eventually' after the complete statement 'expect converged'");
    }

    @Test
    void badOpReportsTheOpParsersMessage() {
        assertRejected(NODES + "at 0ms judge1: a1 = regster alice\n", "friday.scn:4: bad op: expected an op starting "
                + "with one of create, register, drop, start, pair, result, confirm, end but got 'regster alice' "
                + "(unknown op word 'regster')");
    }

    @Test
    void labelWithoutOpIsRejected() {
        assertRejected(NODES + "at 0ms judge1: a1 =\n",
                "friday.scn:4: expected an op such as 'register alice' after 'at 0ms judge1: a1 ='");
    }

    @Test
    void durationWithoutUnitIsRejected() {
        assertRejected(NODES + "at 5 heal\n",
                "friday.scn:4: bad time '5': expected a duration such as 250ms, 2s or 1.5s (units: ms, s, m)");
    }

    @Test
    void negativeTimeIsRejectedAsNegative() {
        assertRejected(NODES + "at -5ms heal\n",
                "friday.scn:4: bad time '-5ms': negative: a duration is 0ms or more");
    }

    @Test
    void tooLargeDurationIsRejectedAsTooLarge() {
        assertRejected(NODES + "limit 99999999999999m\n",
                "friday.scn:4: bad limit '99999999999999m': too large: at most 153722867m (about 292 years)");
    }

    @Test
    void durationFinerThanANanosecondSaysSo() {
        assertRejected(NODES + "at 0.0000001ms heal\n",
                "friday.scn:4: bad time '0.0000001ms': finer than a nanosecond: write at most 6 decimals of ms");
    }

    @Test
    void aByteOrderMarkIsNamedNotShown() {
        assertRejected("\uFEFF" + NODES, "friday.scn:1: the file starts with a byte order mark (U+FEFF, invisible"
                + " in most editors); save it as UTF-8 without BOM");
    }

    @Test
    void aNulByteIsNamedWithItsLineAndColumn() {
        assertRejected(NODES + "at 1s he\u0000al\n", "friday.scn:4: column 9 holds a NUL byte (U+0000); a scenario"
                + " is plain text (remove it, or retype the line)");
    }

    @Test
    void anInvisibleCharacterIsNamedNotShown() {
        assertRejected(NODES + "at 1s heal\u200B\n", "friday.scn:4: column 11 holds the invisible character U+200B"
                + " (zero width space); a scenario is plain text (remove it, or retype the line)");
    }

    @Test
    void aTooLongLineIsRefused() {
        assertRejected(NODES + "# " + "x".repeat(5000) + "\n",
                "friday.scn:4: the line is too long: more than 4096 characters");
    }

    @Test
    void eventAfterTheLimitIsRejected() {
        assertRejected(NODES + "limit 1m\nat 61s heal\n",
                "friday.scn:5: time 61s is after the limit 1m: the run stops before it (raise 'limit')");
    }

    @Test
    void calmAfterTheLimitIsRejected() {
        assertRejected(NODES + "limit 5s\ncalm at 6s\n",
                "friday.scn:5: calm time 6s is after the limit 5s: the run stops before it (raise 'limit')");
    }

    @Test
    void ruleBetweenTwoClientsIsRejected() {
        assertRejected(NODES + "at 0ms drop next ForwardSync judge1 -> alice\n",
                "friday.scn:4: no link judge1 -> alice: every link joins the server 'hq' and a client");
    }

    @Test
    void ruleOnALinkFromANodeToItselfIsRejected() {
        assertRejected(NODES + "at 0ms drop next any hq -> hq\n",
                "friday.scn:4: a rule's link must join two different nodes but was hq -> hq");
    }

    @Test
    void truncatedRuleSaysWhatIsMissing() {
        assertRejected(NODES + "at 1s drop next OpSync judge1 ->\n",
                "friday.scn:4: expected the receiving node after 'at 1s drop next OpSync judge1 ->'");
    }

    @Test
    void delayWithoutByIsRejected() {
        assertRejected(NODES + "at 1s delay next ForwardSync hq -> alice for 3s\n", "friday.scn:4: expected 'by' "
                + "after 'at 1s delay next ForwardSync hq -> alice' but got 'for'");
    }

    @Test
    void secondSeedLineIsRejected() {
        assertRejected("seed 1\n" + NODES + "seed 2\n", "friday.scn:5: a second 'seed' line: the first is at line 1");
    }

    @Test
    void expectLogOfAnUnknownNodeIsRejected() {
        assertRejected(NODES + "expect log bob = o0\n", "friday.scn:4: unknown node 'bob' (known: hq, judge1, alice)");
    }

    @Test
    void localOpWithoutColonIsExplained() {
        assertRejected(NODES + "at 0ms judge1 register p1\n", "friday.scn:4: unknown event 'judge1': expected "
                + "'NODE: OP', drop, duplicate, delay, partition, heal, crash or restart (a local op's node name ends "
                + "with ':')");
    }

    @Test
    void messagesWithABadComparisonAreRejected() {
        assertRejected(NODES + "expect messages any =< 4\n",
                "friday.scn:4: bad comparison '=<': expected one of <=, <, >=, >, =");
    }

    @Test
    void zeroLimitIsRejected() {
        assertRejected(NODES + "limit 0ms\n", "friday.scn:4: limit must be more than 0ms");
    }
}
