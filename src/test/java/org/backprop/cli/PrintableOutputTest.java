package org.backprop.cli;

import org.backprop.table.PrintableText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.backprop.model.RunConfig;
import org.backprop.store.StoreLocation;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.h2.StoreAccounts;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store may hold names and reasons with control characters (written by an older version, or by someone with the
 * owner's credentials): every command prints them escaped, so no output line is forged and no terminal is driven.
 */
class PrintableOutputTest {
    /** A colour change, a line break with a fake table row after it, and a mark that reverses what follows. */
    private static final String NAME = "a\u001b[31mb\n     9  fake  2-2-2  0.1  100  100  completed\u202e";
    private static final String SHOWN = "a\\u001B[31mb\\n     9  fake  2-2-2  0.1  100  100  completed\\u202E";
    private static final String REASON = "forged\r\u001b[2Jcleared";
    private static final String REASON_SHOWN = "forged\\r\\u001B[2Jcleared";

    @TempDir
    static Path dir;

    @BeforeAll
    static void runsWithUnprintableText() throws Exception {
        Path store = dir.resolve("store");
        try (H2EventStore s = H2EventStore.open(StoreLocation.of(store.toString()))) {
            Trainer trainer = new Trainer(s);
            trainer.train(RunConfig.seed().withEpochs(3).withName(NAME), TrainingProgress.NONE);
            trainer.train(RunConfig.seed().withEpochs(3).withLearningRate(0.5).withName("plain"), TrainingProgress.NONE);
            var stopped = s.start(RunConfig.seed().withEpochs(3).withName("stopped"), null, null);
            stopped.close();
        }
        try (Connection owner = StoreAccounts.owner(store); Statement st = owner.createStatement()) {
            st.execute("DROP TRIGGER run_ended_by_lease_holder");
            st.execute("INSERT INTO run_ended (run_id, status, epoch, reason, final_parameters, hash, ended_at) VALUES (3, 'failed', 0, '"
                    + REASON.replace("'", "''") + "', NULL, X'" + "00".repeat(32) + "', CURRENT_TIMESTAMP)");
        }
    }

    private static Cli.Result run(String... args) {
        Cli.Result r = new Cli(dir).run(args);
        for (String text : List.of(r.out(), r.err())) {
            text.chars().filter(c -> c != '\n' && PrintableText.isUnsafe(c)).findFirst()
                    .ifPresent(c -> assertTrue(false, "printed U+" + Integer.toHexString(c) + " as it is: " + text));
        }
        return r;
    }

    @Test
    void runsPrintsNamesAndReasonsEscapedInEveryFormat() {
        Cli.Result table = run("runs");
        assertEquals(0, table.exitCode(), table.err());
        assertEquals(4, table.lines().size(), "a header and three runs, no forged line: " + table.out());
        assertTrue(table.lines().get(1).contains(SHOWN), table.out());
        assertTrue(table.lines().get(3).endsWith(REASON_SHOWN), table.out());
        Cli.Result csv = run("runs", "--format", "csv");
        assertEquals(4, csv.lines().size(), csv.out());
        assertTrue(csv.lines().get(1).startsWith("1," + SHOWN + ",2-2-2,"), csv.out());
        Cli.Result markdown = run("runs", "--format", "markdown");
        assertEquals(5, markdown.lines().size(), markdown.out());
        assertTrue(markdown.lines().get(2).startsWith("| 1 | " + SHOWN + " | 2-2-2 |"), markdown.out());
        Cli.Result json = run("runs", "--format", "json");
        assertTrue(json.out().contains("\"name\" : \"a\\u001B[31mb\\n     9  fake  2-2-2  0.1  100  100  completed\\u202E\""), json.out());
    }

    @Test
    void replayStateDiffVerifyAndExportPrintTheNameEscaped() {
        String quoted = "run 1 '" + SHOWN + "'";
        Cli.Result replay = run("replay", "1", "--epoch", "0");
        assertTrue(replay.lines().get(0).startsWith(quoted + ": network 2-2-2"), replay.out());
        Cli.Result state = run("state", "1", "--final");
        assertTrue(state.lines().get(0).startsWith(quoted + ": "), state.out());
        Cli.Result diff = run("diff", "1", "2");
        assertTrue(diff.lines().get(0).startsWith("A = " + quoted + " (lr 0.1"), diff.out());
        Cli.Result verify = run("verify", "1");
        assertEquals(List.of(quoted + ": ok: 3 epochs re-executed bit for bit, hash chain intact, completed"), verify.lines());
        Cli.Result export = run("export", "1", "--format", "csv", "--out", dir.resolve("one.csv").toString());
        assertTrue(export.out().startsWith("exported " + quoted + " (3 epochs)"), export.out());
        Cli.Result plot = run("plot", "1", "--weights", "--out", dir.resolve("one.png").toString());
        assertTrue(plot.out().contains(quoted), plot.out());
    }

    @Test
    void whatAPersonTypedIsEchoedEscapedInOneLine() {
        Cli.Result r = run("replay", "x\u001b[2J\ny");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("backprop: there is no run 'x\\u001B[2J\\ny' in "), r.err());
    }

    @Test
    void sqlResultsAreEscapedToo() {
        Cli.Result r = run("sql", "SELECT name, CHAR(27) || '[31m' AS \"col\nname\" FROM runs WHERE run_id = 1");
        assertEquals(List.of("name" + " ".repeat(SHOWN.length() - 4) + "  col\\nname", SHOWN + "  \\u001B[31m"), r.lines());
    }
}
