package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What people bring to the tool: ranges of rates, early stops, names that stay unique, hints they can copy. */
class HabitsTest {
    @TempDir
    Path dir;

    @Test
    void aSweepTakesRangesOfRatesEvenlyOrLogSpaced() throws Exception {
        assertEquals(List.of(0.05, 0.1, 0.15, 0.2), LearningRates.parse(List.of("0.05:0.2:4")));
        // As written in decimal, not as adding doubles makes them (0.44999999999999996 and 0.15000000000000002).
        assertEquals(List.of(0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5), LearningRates.parse(List.of("0.1:0.5:9")));
        assertEquals(List.of(0.0, 1.0 / 3, 2.0 / 3, 1.0), LearningRates.parse(List.of("0:1:4")));
        List<Double> log = LearningRates.parse(List.of("0.001:1:4:log"));
        assertEquals(0.001, log.get(0));
        assertEquals(1.0, log.get(3));
        assertEquals(0.01, log.get(1), 1e-15);
        assertEquals(0.1, log.get(2), 1e-15);
        assertEquals(List.of(0.5, 1.0, 2.0), LearningRates.parse(List.of("0.5", "1.0:2.0:2")));
        Cli cli = new Cli(dir);
        JsonNode sweep = cli.run("sweep", "--lr", "0.1:0.5:3,2.0", "--epochs", "5", "--format", "json", "-q").json();
        assertEquals(4, sweep.get("runs").size());
        assertEquals(0.3, sweep.get("runs").get(1).get("learningRate").asDouble());
        for (String[] bad : new String[][] {{"0.1:0.5"}, {"0.1:0.5:x"}, {"0.1:0.5:1"}, {"0:1:3:log"}, {"a:b:3"}}) {
            Cli.Result r = cli.run("sweep", "--lr", bad[0]);
            assertEquals(2, r.exitCode(), bad[0]);
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }

    @Test
    void theSweepTableMarksTheLowestFinalErrorAndPrintsEachRunAsItStarts() {
        Cli cli = new Cli(dir);
        Cli.Result r = cli.run("sweep", "--lr", "0.1,2.0,0.5", "--epochs", "20", "-q");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.lines();
        assertTrue(lines.get(0).startsWith("run 1 'seed-lr0.1': network 2-2-2 (sigmoid, sigmoid), learning rate 0.1, 20 epochs planned"), r.out());
        assertTrue(lines.get(2).startsWith("run 3 'seed-lr0.5'"), r.out());
        String lowest = lines.stream().filter(l -> l.startsWith("lowest error")).findFirst().orElseThrow();
        assertEquals(List.of("lowest", "error", "*"), List.of(lowest.trim().split("\\s+")), "only the rate 2.0 (the second column) is marked: " + lowest);
        assertTrue(lowest.indexOf('*') >= lines.stream().filter(l -> l.startsWith("learning rate")).findFirst().orElseThrow().indexOf("2.0"));
    }

    @Test
    void namesTheToolMakesStayUniqueAndAUsersDuplicateIsRecordedWithAWarning() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("sweep", "--lr", "0.1,0.2", "--epochs", "5", "-q").exitCode());
        assertEquals(0, cli.run("sweep", "--lr", "0.1,0.2", "--epochs", "5", "-q").exitCode());
        assertEquals(0, cli.run("fork", "1", "--at", "2", "-q").exitCode());
        assertEquals(0, cli.run("fork", "1", "--at", "2", "-q").exitCode());
        Cli.Result names = cli.run("sql", "SELECT name FROM runs ORDER BY run_id", "--format", "csv");
        assertEquals(List.of("name", "seed-lr0.1", "seed-lr0.2", "seed-lr0.1-sweep2", "seed-lr0.2-sweep2", "seed-lr0.1-at2", "seed-lr0.1-at2-2"),
                names.lines());
        assertEquals(0, cli.run("replay", "seed-lr0.1", "--epoch", "0").exitCode(), "a name the tool made still names one run");
        Cli.Result twice = cli.run("train", "--epochs", "3", "--name", "seed-lr0.2");
        assertEquals(0, twice.exitCode());
        assertTrue(twice.err().contains("warning: run 2 is named 'seed-lr0.2' too"), twice.err());
    }

    @Test
    void aRunStopsEarlyWhenItsLossFallsBelowTheTargetAndVerifiesSo() throws Exception {
        Cli cli = new Cli(dir);
        Cli.Result r = cli.run("train", "--lr", "2.0", "--epochs", "1000", "--until-loss", "0.001", "--format", "json");
        JsonNode run = r.json();
        int recorded = run.get("epochsRecorded").asInt();
        assertTrue(recorded > 1 && recorded < 1000, r.out());
        assertEquals("completed", run.get("status").asText());
        Cli.Result losses = cli.run("sql", "SELECT epoch, total_error FROM epoch_losses WHERE run_id = 1 AND epoch >= " + (recorded - 2)
                + " ORDER BY epoch", "--format", "csv");
        double before = Double.parseDouble(losses.lines().get(1).split(",")[1]);
        double last = Double.parseDouble(losses.lines().get(2).split(",")[1]);
        assertTrue(before >= 0.001 && last < 0.001, losses.out());
        Cli.Result runs = cli.run("sql", "SELECT status, reason FROM runs", "--format", "csv");
        assertEquals("completed,stopped early: the loss " + last + " of epoch " + (recorded - 1) + " is below --until-loss 0.001",
                runs.lines().get(1));
        Cli.Result verify = cli.run("verify", "1");
        assertEquals(0, verify.exitCode(), verify.out());
        assertTrue(verify.out().contains("completed, stopped early: the loss"), verify.out());
        Cli.Result resume = cli.run("resume", "1");
        assertEquals(2, resume.exitCode(), "a run that stopped early has completed");
        Cli.Result replay = cli.run("replay", "1", "--epoch", Integer.toString(recorded - 1), "--format", "csv");
        assertEquals(0, replay.exitCode(), replay.err());
        Cli.Result bad = cli.run("train", "--until-loss", "-1");
        assertEquals(2, bad.exitCode());
    }

    @Test
    void hintsNameTheStoreTheyWereGiven() {
        Cli cli = new Cli(dir);
        Cli.Result r = cli.run("train", "--epochs", "3");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("replay it:  backprop replay 1 --db " + cli.store()), r.out());
        assertTrue(r.out().contains("query it:   backprop sql \"SELECT * FROM epoch_sheet WHERE run_id = 1 AND epoch < 3\" --db " + cli.store()),
                r.out());
    }
}
