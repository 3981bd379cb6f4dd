package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queries that cannot run forever, eat the heap, or slip a second statement past the reader. */
class SqlLimitsTest {
    private static final String ENDLESS = "SELECT SUM(X) FROM SYSTEM_RANGE(1, 9000000000)";

    @TempDir
    Path dir;

    @Test
    void aQueryStopsAtItsTimeoutWithOneLine() {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--epochs", "3").exitCode());
        long start = System.nanoTime();
        Cli.Result r = cli.run("sql", ENDLESS, "--timeout", "1");
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "stopped near its timeout");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals("backprop: the query ran longer than its 1 s: narrow it (a run_id or epoch condition), or give a longer --timeout",
                r.err().strip());
    }

    @Test
    void aSecondStatementIsRefusedNotSilentlyDropped() {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--epochs", "3").exitCode());
        Cli.Result two = cli.run("sql", "SELECT 1; SELECT 2");
        assertEquals(2, two.exitCode());
        assertTrue(two.err().startsWith("backprop: give one query: the text holds another statement after the ';' at character 9"), two.err());
        for (String one : new String[] {"SELECT ';' AS x;", "SELECT 1 -- ; SELECT 2", "SELECT 1 /* ; SELECT 2 */ ;  ", "SELECT \"A;B\" FROM (SELECT 1 AS \"A;B\")"}) {
            Cli.Result r = cli.run("sql", one);
            assertEquals(0, r.exitCode(), one + ": " + r.err());
        }
    }

    @Test
    void aResultOfMillionsOfRowsStreamsAsCsvAndIsRefusedAsATableInOneLine() {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--epochs", "3").exitCode());
        Cli.Result csv = cli.run("sql", "SELECT X FROM SYSTEM_RANGE(1, 2000000)", "--format", "csv");
        assertEquals(0, csv.exitCode(), csv.err());
        assertEquals(2_000_001, csv.out().lines().count());
        assertTrue(csv.out().endsWith("\n2000000\n"), "every row, the last one too");
        Cli.Result table = cli.run("sql", "SELECT X FROM SYSTEM_RANGE(1, 2000000)");
        assertEquals(2, table.exitCode());
        assertEquals("backprop: the result has more than " + SqlCommand.MAX_TABLE_ROWS + " rows, too many to lay out as a table: give"
                + " --format csv or json, which stream any number of rows, or narrow the query", table.err().strip());
        assertEquals("", table.out());
    }

    @Test
    @Tag("slow")
    void ctrlCStopsAQueryWhereItRunsEvenInTheProcessServingTheStore() throws Exception {
        Path store = dir.resolve("store");
        assertEquals(0, new Cli(dir).run("train", "--epochs", "3").exitCode());
        // A long training run holds the store and serves it; the query runs in that process, not in the sql one.
        try (CliProcess holder = CliProcess.startSlow(dir, "train", "--epochs", "100000000", "-q", "--db", store.toString());
             CliProcess sql = startSqlWhenServed(store, holder)) {
            CliProcess.await("rows stream out", Duration.ofSeconds(60), () -> !sql.out().isEmpty());
            assertTrue(sql.isAlive(), "the query is still running: " + sql.err());
            sql.signal("INT");
            assertEquals(130, sql.waitFor(Duration.ofSeconds(20)), sql.err());
            assertEquals("backprop: the query was cancelled (Ctrl-C) where it ran; the store is as it was", sql.err().strip());
            // The serving process is free at once: the next query is answered while the training goes on.
            Cli.Result next = new Cli(dir).run("sql", "SELECT COUNT(*) FROM runs", "--format", "csv", "--db", store.toString());
            assertEquals(0, next.exitCode(), next.err());
            assertTrue(holder.isAlive());
            holder.signal("INT");
            assertEquals(130, holder.waitFor(Duration.ofSeconds(60)), holder.err());
        }
    }

    private CliProcess startSqlWhenServed(Path store, CliProcess holder) throws InterruptedException {
        CliProcess.await("the trainer holds the store", Duration.ofSeconds(60),
                () -> java.nio.file.Files.exists(Path.of(store + ".lock.db")) && holder.isAlive());
        return CliProcess.start(dir, "sql", "SELECT X FROM SYSTEM_RANGE(1, 9000000000)", "--format", "csv", "--timeout", "600", "--db", store.toString());
    }
}
