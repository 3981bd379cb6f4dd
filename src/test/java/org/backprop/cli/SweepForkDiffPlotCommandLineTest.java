package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.backprop.model.SeedTable;
import org.backprop.plot.PngCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepForkDiffPlotCommandLineTest {
    private static final String SEED_RATES = "0.1,0.2,0.5,0.8,1.0,2.0";

    @TempDir
    Path dir;

    @Test
    void chainedSweepPrintsTheSeedTutorialsTable() throws Exception {
        Cli cli = new Cli(dir);
        Cli.Result table = cli.run("sweep", "--lr", SEED_RATES, "--chained");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("chained: each learning rate continues from the previous run's final weights"), table.out());
        assertTrue(table.out().contains("final weights of run 5"), table.out());
        assertTrue(table.out().contains("final weights: after the last update (epoch 99's); final error and outputs: from the last"
                + " epoch's forward pass (epoch 99, before its update)."), table.out());
        assertTrue(table.out().contains("1.1870055777625926E-15"), table.out());

        JsonNode sweep = cli.run("sweep", "--lr", SEED_RATES, "--chained", "--format", "json").json();
        assertTrue(sweep.get("chained").asBoolean());
        SeedTable seed = SeedTable.load();
        for (int i = 0; i < 6; i++) {
            SeedTable.Row expected = seed.rows().get(i);
            JsonNode run = sweep.get("runs").get(i);
            assertEquals(expected.learningRate(), run.get("learningRate").asDouble());
            for (int w = 0; w < 8; w++) {
                SeedTable.assertClose(expected.finalWeights()[w], run.get("finalWeights").get(w).asDouble(), 1e-12, "w" + (w + 1));
            }
            SeedTable.assertClose(expected.finalError(), run.get("finalError").asDouble(), 1e-12, "final error");
            SeedTable.assertClose(expected.finalOutputs()[0], run.get("finalOutputs").get(0).get(0).asDouble(), 1e-12, "a_o1");
            SeedTable.assertClose(expected.finalOutputs()[1], run.get("finalOutputs").get(0).get(1).asDouble(), 1e-12, "a_o2");
            assertEquals(i == 0 ? "initial weights" : "final weights of run " + (6 + i), run.get("startedFrom").asText());
        }
    }

    @Test
    void independentSweepGroupsItsRunsAndWritesItsPlot() throws Exception {
        Cli cli = new Cli(dir);
        Path png = dir.resolve("sweep.png");
        Cli.Result r = cli.run("sweep", "--lr", "0.1,0.2", "--plot", png.toString(), "--width", "700", "--height", "400", "--format", "csv");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("learning rate,0.1,0.2", r.lines().get(0));
        assertEquals("started from,initial weights,initial weights", r.lines().get(2));
        assertTrue(r.out().contains("final error,0.00789511004702777,0.0042821994792134575"), r.out());
        PngCheck.assertPngWithLines(png, 700, 400);
        Cli.Result runs = cli.run("sql", "SELECT run_id, sweep_id, parent_run_id FROM runs ORDER BY run_id", "--format", "csv");
        assertEquals(List.of("run_id,sweep_id,parent_run_id", "1,1,", "2,1,"), runs.lines());
        Cli.Result markdown = cli.run("sweep", "--lr", "0.5", "--epochs", "3", "--format", "markdown");
        assertTrue(markdown.out().contains("| learning rate | 0.5 |"), markdown.out());
        assertTrue(markdown.out().startsWith("sweep 2: 1 run of 'seed' (2-2-2), 3 epochs each"), markdown.out());
    }

    @Test
    void forkRecordsItsParentAndDiffShowsItContinuesTheParent() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--epochs", "30").exitCode());
        Cli.Result fork = cli.run("fork", "1", "--at", "10");
        assertEquals(0, fork.exitCode(), fork.err());
        assertTrue(fork.out().startsWith("fork of run 1 at epoch 10: starts from the weights in force at the start of run 1's epoch 10"), fork.out());
        assertTrue(fork.out().contains("run 2 'seed-at10': network 2-2-2 (sigmoid, sigmoid), learning rate 0.1, 20 epochs planned"), fork.out());
        JsonNode forked = cli.run("fork", "seed", "--at", "30", "--lr", "0.5", "--epochs", "5", "--name", "faster", "--format", "json").json();
        assertEquals(1, forked.get("parentRunId").asLong());
        assertEquals(30, forked.get("forkEpoch").asInt());
        assertEquals(0.5, forked.get("learningRate").asDouble());
        Cli.Result runs = cli.run("sql", "SELECT run_id, name, parent_run_id, fork_epoch, epochs_recorded FROM runs ORDER BY run_id", "--format", "csv");
        assertEquals(List.of("run_id,name,parent_run_id,fork_epoch,epochs_recorded", "1,seed,,,30", "2,seed-at10,1,10,20", "3,faster,1,30,5"),
                runs.lines());

        // The fork's last 20 epochs are the parent's: its final weights equal the parent's, bit for bit.
        JsonNode diff = cli.run("diff", "1", "2", "--format", "json").json();
        for (JsonNode w : diff.get("finalWeights")) {
            assertEquals(0.0, w.get("difference").asDouble(), w.toString());
        }
        // Lined up along their history, the fork is its parent from epoch 10 on: nothing differs.
        assertEquals("run 2 is a fork of run 1 at epoch 10; history epochs 0-9 are shared", diff.get("alignment").get("statement").asText());
        assertEquals(10, diff.get("alignment").get("startB").asInt());
        assertTrue(diff.get("initialWeightsEqual").asBoolean());
        assertTrue(diff.get("firstDivergentEpoch").isNull());
        // Its own length is 20 epochs (to the parent's 30): the one difference left once the starts are lined up.
        assertEquals(1, diff.get("configurationDifferences").size(), diff.get("configurationDifferences").toString());
        assertEquals("epochs", diff.get("configurationDifferences").get(0).get("field").asText());
        assertEquals(31, diff.get("epochs").size());
        for (JsonNode e : diff.get("epochs")) {
            assertTrue(e.get("weightsEqual").asBoolean(), e.toString());
        }
        Cli.Result table = cli.run("diff", "1", "2", "--from", "9", "--to", "11");
        assertTrue(table.out().contains("run 2 is a fork of run 1 at epoch 10; history epochs 0-9 are shared"), table.out());
        assertTrue(table.out().contains("weights where the histories part (history epoch 10): equal, bit for bit"), table.out());
        assertEquals(3, table.out().lines().dropWhile(l -> !l.startsWith("epoch ")).skip(1).takeWhile(l -> !l.isBlank()).count(), table.out());
        // Epoch by epoch from each run's own start, as before: the fork starts elsewhere.
        JsonNode own = cli.run("diff", "1", "2", "--format", "json", "--no-align").json();
        assertFalse(own.get("initialWeightsEqual").asBoolean());
        assertEquals(0, own.get("firstDivergentEpoch").asInt());
        assertFalse(own.get("alignment").get("aligned").asBoolean());
    }

    @Test
    void diffOfTheSameConfigurationSaysThereIsNoDifference() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--epochs", "20").exitCode());
        assertEquals(0, cli.run("train", "--epochs", "20").exitCode());
        Cli.Result table = cli.run("diff", "1", "2");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("no difference: same configuration, same initial weights, and every recorded weight and loss is"
                + " bit-identical (20 epochs compared)"), table.out());
        assertTrue(table.out().contains("first epoch whose weights differ: none"), table.out());
        JsonNode json = cli.run("diff", "1", "2", "--format", "json").json();
        assertTrue(json.get("identical").asBoolean());
        assertTrue(json.get("initialWeightsEqual").asBoolean());
        assertTrue(json.get("firstDivergentEpoch").isNull());
        assertEquals(json.get("finalLossA").asDouble(), json.get("finalLossB").asDouble());
        assertEquals(0, json.get("configurationDifferences").size());
        assertEquals(21, json.get("epochs").size());
        for (JsonNode e : json.get("epochs")) {
            assertEquals(0.0, e.get("maxWeightDifference").asDouble());
        }
    }

    @Test
    void diffOfAChainedSweepStatesTheConfound() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("sweep", "--lr", "0.1,0.2", "--epochs", "10", "--chained").exitCode());
        Cli.Result table = cli.run("diff", "seed-lr0.1", "seed-lr0.2");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("run 2 is a fork of run 1 at epoch 10; history epochs 0-9 are shared"), table.out());
        assertTrue(table.out().contains("the runs do not overlap: run 1's history ends at history epoch 10, where run 2 goes on from it,"
                + " so comparing their learning rates is confounded"), table.out());
        Cli.Result own = cli.run("diff", "seed-lr0.1", "seed-lr0.2", "--no-align");
        assertTrue(own.out().contains("initial weights: NOT equal. The runs did not start from the same weights, so comparing their"
                + " learning rates is confounded"), own.out());
        assertTrue(own.out().contains("first epoch whose weights differ: 0"), own.out());
        // run_diff lines them up as diff does, and compares their own epochs from 0 when told not to.
        Cli.Result sql = cli.run("sql", "SELECT epoch, weights_equal FROM run_diff(1, 2) WHERE epoch IN (0, 9, 10, 11)", "--format", "csv");
        assertEquals(List.of("epoch,weights_equal", "0,true", "9,true", "10,true", "11,"), sql.lines());
        Cli.Result ownEpochs = cli.run("sql", "SELECT epoch, weights_equal FROM run_diff(1, 2, FALSE) WHERE epoch < 2", "--format", "csv");
        assertEquals(List.of("epoch,weights_equal", "0,false", "1,false"), ownEpochs.lines());
        JsonNode diff = cli.run("diff", "1", "2", "--format", "json").json();
        Cli.Result all = cli.run("sql", "SELECT epoch, loss_a, loss_b, max_weight_difference FROM run_diff(1, 2) ORDER BY epoch", "--format", "csv");
        assertEquals(diff.get("epochs").size() + 1, all.lines().size(), "a row for every row of diff");
        for (JsonNode e : diff.get("epochs")) {
            String line = all.lines().get(e.get("epoch").asInt() + 1);
            assertEquals(e.get("epoch").asText() + "," + text(e.get("lossA")) + "," + text(e.get("lossB")) + "," + text(e.get("maxWeightDifference")), line);
        }
    }

    @Test
    void plotDrawsErrorsWeightsAndSweepsIntoPngsOfTheRequestedSize() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("sweep", "--lr", "0.5,2.0", "--epochs", "40").exitCode());
        Path errors = dir.resolve("errors.png");
        Cli.Result r = cli.run("plot", "1", "2", "--out", errors.toString(), "--log");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("wrote " + errors + " (1000x600 pixels): Total error per epoch: runs 1, 2", r.out().strip());
        PngCheck.assertPngWithLines(errors, 1000, 600);
        Path weights = dir.resolve("weights.png");
        assertEquals(0, cli.run("plot", "1", "--weights", "--out", weights.toString(), "--width", "900", "--height", "700").exitCode());
        PngCheck.assertPngWithLines(weights, 900, 700);
        Path sweep = dir.resolve("sweep.png");
        Cli.Result s = cli.run("plot", "--sweep", "1", "--out", sweep.toString(), "--width", "300", "--height", "200");
        assertEquals(0, s.exitCode(), s.err());
        assertTrue(s.out().contains("Sweep 1, independent (every rate from the same initial weights): total error per epoch"), s.out());
        PngCheck.assertPngWithLines(sweep, 300, 200);
    }

    @Test
    void badInputToTheNewCommandsGetsOneLineAndExitCodeTwoAndWritesNothing() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--epochs", "5").exitCode());
        Path png = dir.resolve("x.png");
        for (String[] args : List.of(
                new String[] {"sweep", "--lr", "0.1,0"},
                new String[] {"sweep", "--lr", "0.1,abc"},
                new String[] {"sweep", "--lr", "0.1", "--epochs", "0"},
                new String[] {"sweep", "--lr", "0.1", "--plot", dir.resolve("no-such-folder/x.png").toString()},
                new String[] {"sweep", "--lr", "0.1", "--plot", dir.resolve("x.jpg").toString()},
                new String[] {"sweep", "--lr", "0.1", "--threads", "0"},
                new String[] {"fork", "1", "--at", "6"},
                new String[] {"fork", "1", "--at", "2", "--lr", "-1"},
                new String[] {"fork", "9", "--at", "0"},
                new String[] {"diff", "1", "9"},
                new String[] {"diff", "1", "1", "--format", "csv"},
                new String[] {"plot", "--out", png.toString()},
                new String[] {"plot", "1", "--sweep", "1", "--out", png.toString()},
                new String[] {"plot", "--sweep", "7", "--out", png.toString()},
                new String[] {"plot", "1", "--weights", "--log", "--out", png.toString()},
                new String[] {"plot", "1", "--weights", "--gradients", "--out", png.toString()},
                new String[] {"plot", "1", "1", "--out", png.toString()},
                new String[] {"plot", "1", "--out", png.toString(), "--width", "20"},
                new String[] {"sql", "SELECT * FROM run_diff(1, 9)"})) {
            Cli.Result r = cli.run(args);
            String what = String.join(" ", args) + " -> " + r.err();
            assertEquals(2, r.exitCode(), what);
            assertEquals(1, r.err().lines().count(), what);
            assertTrue(r.err().startsWith("backprop: "), what);
        }
        assertTrue(cli.run("fork", "1", "--at", "6").err().contains("run 1 has no epoch 6 to fork at: give --at from 0 to 5"));
        assertTrue(cli.run("sql", "SELECT * FROM run_diff(1, 9)").err().contains("there is no run 9"));
        assertEquals(List.of("count(*)", "1"), cli.run("sql", "SELECT COUNT(*) FROM runs", "--format", "csv").lines());
        assertEquals(List.of("count(*)", "0"), cli.run("sql", "SELECT COUNT(*) FROM sweeps", "--format", "csv").lines());
        assertFalse(Files.exists(png));
    }

    @Test
    void everyNewCommandHasHelpWithExamples() {
        Cli cli = new Cli(dir);
        for (String command : List.of("sweep", "fork", "diff", "plot")) {
            Cli.Result r = cli.run(command, "--help");
            assertEquals(0, r.exitCode(), command);
            assertTrue(r.out().contains("Examples:"), command);
        }
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "" : value.asText();
    }
}
