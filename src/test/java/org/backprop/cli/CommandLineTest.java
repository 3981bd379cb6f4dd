package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.backprop.model.SeedTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
    @TempDir
    Path dir;

    @Test
    void defaultTrainIsTheSeedRunAndPrintsItsFinalWeights() {
        Cli cli = new Cli(dir);
        Cli.Result r = cli.run("train");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("run 1 'seed': network 2-2-2 (sigmoid, sigmoid), learning rate 0.1, 100 epochs planned"), r.out());
        assertTrue(r.out().contains("loss: epoch 0 0.014181377937891659 -> epoch 99 0.00789511004702777"), r.out());
        assertTrue(r.out().contains("w1 = 0.14759022399188299"), r.out());
        assertTrue(r.out().contains("w8 = 0.4127381404881795"), r.out());
        assertEquals("", r.err(), "no progress display when the output is not a terminal");
    }

    @Test
    void theStoreMayBeNamedBeforeTheCommandOrAfterIt() {
        Cli cli = new Cli(dir);
        String store = cli.store().toString();
        assertEquals(0, Main.run(new String[] {"--db", store, "train", "--epochs", "3"}, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter())));
        Cli.Result after = cli.run("runs", "--format", "csv");
        assertEquals(0, after.exitCode(), after.err());
        assertEquals(2, after.lines().size(), after.out());
        assertTrue(after.lines().get(1).startsWith("1,seed,2-2-2,0.1,3,3,completed,"), after.out());
    }

    @Test
    void sqlOnTheEpochSheetShowsTheSeedsNumbers() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train").exitCode());
        Cli.Result r = cli.run("sql", "SELECT * FROM epoch_sheet WHERE epoch < 3", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertEquals(3, rows.size());
        JsonNode first = rows.get(0);
        // The tutorial's worked first epoch, computed by hand from its formulas.
        double h1 = 0.15 * 0.05 + 0.2 * 0.1;
        double ah1 = 1 / (1 + Math.exp(-h1));
        double ah2 = 1 / (1 + Math.exp(-(0.25 * 0.05 + 0.3 * 0.1)));
        double ao1 = 1 / (1 + Math.exp(-(0.4 * ah1 + 0.45 * ah2)));
        SeedTable.assertClose(h1, first.get("h1").asDouble(), 1e-12, "h1");
        SeedTable.assertClose(ah1, first.get("a_h1").asDouble(), 1e-12, "a_h1");
        SeedTable.assertClose(ao1, first.get("a_o1").asDouble(), 1e-12, "a_o1");
        SeedTable.assertClose(0.5 * (0.5 - ao1) * (0.5 - ao1), first.get("e1").asDouble(), 1e-12, "e1");
        SeedTable.assertClose(-(0.5 - ao1) * ao1 * (1 - ao1) * ah1, first.get("de_dw5").asDouble(), 1e-12, "de_dw5");
        assertEquals(0.15, first.get("w1").asDouble());
        assertEquals(0.5, first.get("t1").asDouble());
        assertEquals(0.05, first.get("i1").asDouble());
        assertEquals(2, rows.get(2).get("epoch").asInt());
        assertEquals(0.014181377937891659, first.get("e_tot").asDouble());
    }

    @Test
    void runsSqlAndStatePrintMarkdownTablesForReports() {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train").exitCode());
        assertEquals(List.of("| epoch | total_error |", "|---|---|", "| 0 | 0.014181377937891659 |"),
                cli.run("sql", "SELECT epoch, total_error FROM epoch_losses WHERE run_id = 1 AND epoch = 0", "--format", "markdown").lines());
        assertEquals(List.of("| parameter | value |", "|---|---|", "| w1 | 0.15 |"),
                cli.run("state", "1", "--epoch", "0", "--format", "markdown").lines().subList(0, 3));
        String run = cli.run("runs", "--format", "markdown").lines().get(2);
        assertTrue(run.startsWith("| 1 | seed | 2-2-2 | 0.1 | 100 | 100 | completed |"), run);
    }

    @Test
    void trainReadsAConfigFileAndFlagsOverrideIt() throws Exception {
        Cli cli = new Cli(dir);
        Path config = Path.of("scripts/examples/xor.json");
        Cli.Result r = cli.run("train", "--config", config.toString(), "--epochs", "300", "--lr", "0.9", "--name", "x", "--format", "json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("x", j.get("name").asText());
        assertEquals(300, j.get("epochsRecorded").asInt());
        assertEquals(0.9, j.get("learningRate").asDouble());
        assertEquals("2-3-1", j.get("layers").asText());
        assertEquals(4, j.get("finalBiases").size());
        assertTrue(j.get("lastLoss").asDouble() < j.get("firstLoss").asDouble());
        Cli.Result runs = cli.run("runs", "--format", "csv");
        assertEquals(List.of("run_id,name,layers,learning_rate,epochs,epochs_recorded,status,final_error,best_error,best_epoch,parent_run_id,fork_epoch,sweep_id,created_at,reason"),
                runs.lines().subList(0, 1));
        assertTrue(runs.lines().get(1).startsWith("1,x,2-3-1,0.9,300,300,completed,"), runs.out());
        String[] row = runs.lines().get(1).split(",", -1);
        assertEquals(j.get("lastLoss").asDouble(), Double.parseDouble(row[7]), "final_error is the last epoch's loss");
        assertTrue(Double.parseDouble(row[8]) <= Double.parseDouble(row[7]) && Integer.parseInt(row[9]) <= 299, runs.out());
        assertEquals(List.of("", "", ""), List.of(row[10], row[11], row[12]), "no parent, fork epoch or sweep");
    }

    @Test
    void aDivergingRunStopsAtTheBadEpochAndEndsFailed() throws Exception {
        Cli cli = new Cli(dir);
        Path config = dir.resolve("diverge.json");
        Files.writeString(config, """
                {"layers": [1, 1], "activations": ["identity"], "weights": [1.0], "inputs": [[1000]], "targets": [[0]],
                 "learningRate": 10, "epochs": 100}""");
        Cli.Result r = cli.run("train", "--config", config.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("FAILED:"), r.out());
        Cli.Result runs = cli.run("sql", "SELECT status, epochs_recorded, reason FROM runs", "--format", "csv");
        String row = runs.lines().get(1);
        assertTrue(row.startsWith("failed,"), row);
        int recorded = Integer.parseInt(row.split(",")[1]);
        assertTrue(row.contains("at epoch " + recorded), row);
        Cli.Result last = cli.run("sql", "SELECT MAX(epoch) FROM epoch_losses", "--format", "csv");
        assertEquals(String.valueOf(recorded - 1), last.lines().get(1));
    }

    @Test
    void helpShowsExamples() {
        Cli cli = new Cli(dir);
        for (String command : List.of("train", "runs", "sql")) {
            Cli.Result r = cli.run(command, "--help");
            assertEquals(0, r.exitCode());
            assertTrue(r.out().contains("Examples:"), command);
        }
        assertTrue(cli.run("--help").out().contains("backprop train"));
    }

    @Test
    void badInputGetsOneLineAndExitCodeTwoAndWritesNothing() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--epochs", "1").exitCode());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"layers\": [2, 2, 2], \"activations\": [\"sigmoid\", \"softmax\"], \"seed\": 1,"
                + " \"inputs\": [[1, 2]], \"targets\": [[1, 0]], \"learningRate\": 0.1, \"epochs\": 5}");
        for (String[] args : List.of(
                new String[] {"train", "--lr", "0"},
                new String[] {"train", "--lr", "-1"},
                new String[] {"train", "--lr", "NaN"},
                new String[] {"train", "--lr", "Infinity"},
                new String[] {"train", "--epochs", "0"},
                new String[] {"train", "--epochs", "many"},
                new String[] {"train", "--config", bad.toString()},
                new String[] {"train", "--config", dir.resolve("missing.json").toString()},
                new String[] {"sql", "DELETE FROM run_started"},
                new String[] {"sql", "SELEC * FROM runs"},
                new String[] {"runs", "--format", "yaml"},
                new String[] {"frobnicate"})) {
            Cli.Result r = cli.run(args);
            String what = String.join(" ", args) + " -> " + r.err();
            assertEquals(2, r.exitCode(), what);
            assertEquals(1, r.err().lines().count(), what);
            assertTrue(r.err().startsWith("backprop: "), what);
            assertFalse(r.err().contains("\tat "), what);
        }
        assertTrue(cli.run("train", "--config", bad.toString()).err().contains("unknown activation 'softmax'"));
        Cli.Result runs = cli.run("runs", "--format", "csv");
        assertEquals(2, runs.lines().size(), "only the first run was recorded: " + runs.out());
    }

    @Test
    void debugShowsTheStackTrace() {
        Cli.Result r = new Cli(dir).run("train", "--lr", "0", "--debug");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("\tat "), r.err());
    }
}
