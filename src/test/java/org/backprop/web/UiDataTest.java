package org.backprop.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.backprop.cli.Cli;
import org.backprop.model.RunConfig;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.store.Stores;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the pages are sent is what the command line prints: the same values, the same divergence, the same tables. */
class UiDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static UiStore ui;
    static String sweepCsv;

    @BeforeAll
    static void start() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "-q").exitCode());
        Cli.Result sweep = cli.run("sweep", "--lr", "0.1,0.2,0.5", "--format", "csv", "-q");
        assertEquals(0, sweep.exitCode(), sweep.err());
        sweepCsv = sweep.out();
        assertEquals(0, cli.run("sweep", "--lr", "0.1,0.2", "--chained", "-q").exitCode());
        assertEquals(0, cli.run("fork", "2", "--at", "40", "--lr", "0.5").exitCode());
        assertEquals(0, cli.run("train", "--epochs", "5000", "--lr", "2.5", "--name", "long", "-q").exitCode());
        assertEquals(0, cli.run("train", "--config", "scripts/examples/xor.json", "--epochs", "30", "-q").exitCode());
        ui = UiStore.start(cli).indexed();
    }

    @AfterAll
    static void stop() {
        ui.close();
    }

    static JsonNode json(String path) throws Exception {
        HttpResponse<String> r = ui.client.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    /** The rows of a CSV the command line printed, each cell as text. */
    static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : text.strip().split("\n")) {
            rows.add(List.of(line.split(",", -1)));
        }
        return rows;
    }

    @Test
    void anEpochsValuesAreTheTextTheSqlCommandPrintsForIt() throws Exception {
        List<List<String>> sql = csv(ui.cli.run("sql", "SELECT * FROM epoch_sheet WHERE run_id = 1 AND epoch = 50", "--format", "csv").out());
        JsonNode sheet = json("/api/runs/1/epochs/50").get("sheet");
        List<String> columns = new ArrayList<>();
        sheet.get("columns").forEach(c -> columns.add(c.asText()));
        List<String> values = new ArrayList<>();
        sheet.get("values").forEach(v -> values.add(v.asText()));
        assertEquals(sql.get(0), columns);
        assertEquals(sql.get(1), values);
        assertEquals("0.14861839134677562", values.get(columns.indexOf("w1")));
    }

    @Test
    void anEpochsUpdatesAreTheWeightUpdatesView() throws Exception {
        List<List<String>> sql = csv(ui.cli.run("sql", "SELECT weight, before, delta, after FROM weight_updates WHERE run_id = 9 AND epoch = 7",
                "--format", "csv").out());
        JsonNode rows = json("/api/runs/9/epochs/7").get("parameters").get("rows");
        assertEquals(sql.size() - 1, rows.size());
        for (int k = 0; k < rows.size(); k++) {
            JsonNode r = rows.get(k);
            assertEquals(sql.get(k + 1), List.of(r.get("name").asText(), r.get("before").asText(), r.get("delta").asText(), r.get("after").asText()));
        }
    }

    @Test
    void aLongRunsCurveKeepsAboutTwoPointsAPixelAndEveryBucketsExtremes() throws Exception {
        JsonNode curve = json("/api/runs/8/curve?points=200");
        assertEquals(5000, curve.get("epochs").asInt());
        assertFalse(curve.get("everyEpoch").asBoolean());
        // 200 points for 5,000 epochs: buckets of 50, each keeping its lowest and highest (one where the loss stays put).
        int points = curve.get("x").size();
        assertTrue(points <= 204 && points >= 100, points + " points");
        List<List<String>> all = csv(ui.cli.run("sql", "SELECT epoch, total_error FROM epoch_losses WHERE run_id = 8 ORDER BY epoch",
                "--format", "csv").out());
        double lowest = Double.MAX_VALUE;
        double highest = -Double.MAX_VALUE;
        for (List<String> row : all.subList(1, all.size())) {
            lowest = Math.min(lowest, Double.parseDouble(row.get(1)));
            highest = Math.max(highest, Double.parseDouble(row.get(1)));
        }
        List<String> ys = new ArrayList<>();
        curve.get("y").forEach(y -> ys.add(y.asText()));
        assertTrue(ys.contains(Double.toString(lowest)), "the lowest loss " + lowest + " is kept");
        assertTrue(ys.contains(Double.toString(highest)), "the highest loss " + highest + " is kept");
        assertEquals(0, curve.get("x").get(0).asInt());
        assertEquals(4999, curve.get("x").get(points - 1).asInt());
        // Every kept point is the stored loss of its epoch.
        for (int i = 0; i < points; i += 17) {
            int epoch = curve.get("x").get(i).asInt();
            assertEquals(all.get(epoch + 1).get(1), curve.get("y").get(i).asText());
        }
        JsonNode zoomed = json("/api/runs/8/curve?points=200&from=1000&to=1099");
        assertTrue(zoomed.get("everyEpoch").asBoolean());
        assertEquals(100, zoomed.get("x").size());
        assertEquals(all.get(1001).get(1), zoomed.get("y").get(0).asText());
    }

    @Test
    void theCompareDataStatesTheFirstDivergentEpochDiffGives() throws Exception {
        for (int[] pair : new int[][] {{2, 3}, {5, 6}, {1, 2}, {6, 7}, {2, 9}}) {
            JsonNode diff = JSON.readTree(ui.cli.run("diff", Integer.toString(pair[0]), Integer.toString(pair[1]), "--format", "json").out());
            JsonNode page = json("/api/compare?runs=" + pair[0] + "," + pair[1]);
            assertEquals(diff.get("firstDivergentEpoch"), page.get("diff").get("firstDivergentEpoch"), pair[0] + " vs " + pair[1]);
            assertEquals(diff.get("initialWeightsEqual").asBoolean(), page.get("initialWeightsEqual").asBoolean());
            assertEquals(diff.get("initialWeights").asText(), page.get("startStatement").asText());
            assertEquals(diff.get("configurationDifferences").size(), page.get("differences").size());
        }
        assertTrue(json("/api/compare?runs=1,2").get("diff").get("firstDivergentEpoch").isNull());
        assertEquals(1, json("/api/compare?runs=2,3").get("diff").get("firstDivergentEpoch").asInt());
    }

    @Test
    void aForkIsPlacedAtItsHistoryEpoch() throws Exception {
        // Run 6 is the chained sweep's second run (from run 5 at 100); run 7 forks run 2 at 40.
        assertEquals(100, json("/api/runs/6").get("historyStart").asInt());
        assertEquals(40, json("/api/runs/7").get("historyStart").asInt());
        JsonNode curve = json("/api/runs/6/curve?history=1&points=1000");
        assertEquals(100, curve.get("x").get(0).asInt());
        assertEquals(199, curve.get("x").get(curve.get("x").size() - 1).asInt());
    }

    @Test
    void theWeightsAtAnEpochAreThoseDiffComparesThere() throws Exception {
        JsonNode w = json("/api/compare/weights?a=2&b=3&epoch=1");
        JsonNode diff = JSON.readTree(ui.cli.run("diff", "2", "3", "--format", "json").out());
        assertEquals(diff.get("epochs").get(1).get("maxWeightDifference").asText(), w.get("maxWeightDifference").asText());
        List<List<String>> a = csv(ui.cli.run("state", "2", "--epoch", "1", "--format", "csv").out());
        List<List<String>> b = csv(ui.cli.run("state", "3", "--epoch", "1", "--format", "csv").out());
        for (int k = 0; k < 8; k++) {
            JsonNode row = w.get("weights").get(k);
            assertEquals(a.get(k + 1).get(1), row.get("a").asText());
            assertEquals(b.get(k + 1).get(1), row.get("b").asText());
            assertEquals(Double.toString(Double.parseDouble(b.get(k + 1).get(1)) - Double.parseDouble(a.get(k + 1).get(1))), row.get("difference").asText());
        }
        JsonNode last = json("/api/compare/weights?a=2&b=3&epoch=100");
        assertEquals(diff.get("finalWeights").get(0).get("a").asText(), last.get("weights").get(0).get("a").asText());
    }

    @Test
    void theSweepPageHasTheTableSweepPrints() throws Exception {
        JsonNode sweep = json("/api/sweeps/1");
        List<List<String>> printed = csv(sweepCsv);
        List<String> columns = new ArrayList<>();
        sweep.get("columns").forEach(c -> columns.add(c.asText()));
        assertEquals(printed.get(0), columns);
        for (int i = 0; i < sweep.get("rows").size(); i++) {
            List<String> row = new ArrayList<>();
            sweep.get("rows").get(i).forEach(v -> row.add(v.asText()));
            assertEquals(printed.get(i + 1), row);
        }
        assertEquals(4, sweep.get("bestRun").asInt());
        assertTrue(sweep.get("warning").isNull());
        assertTrue(json("/api/sweeps/2").get("warning").asText().contains("do not share a start"));
        assertTrue(sweep.get("heading").asText().startsWith("sweep 1: 3 runs of 'seed' (2-2-2), 100 epochs each, independent"));
    }

    @Test
    void downloadsAreTheTablesTheCommandLinePrints() {
        assertEquals(ui.cli.run("export", "1", "--format", "csv").out(), ui.client.get("/download/runs/1/epochs.csv").body());
        assertEquals(ui.cli.run("sql", "SELECT * FROM epoch_sheet WHERE run_id = 1 ORDER BY epoch", "--format", "json").out(),
                ui.client.get("/download/runs/1/epochs.json").body());
        assertEquals(ui.cli.run("runs", "--format", "csv").out(), ui.client.get("/download/runs.csv").body());
        assertEquals(ui.cli.run("sql", "SELECT run_id, epoch, total_error FROM epoch_losses WHERE run_id = 8 ORDER BY epoch", "--format", "csv").out(),
                ui.client.get("/download/runs/8/losses.csv").body());
        assertEquals(sweepCsv, ui.client.get("/download/sweeps/1.csv").body());
        assertEquals(ui.cli.run("sql", "SELECT run_id, epoch, sample, layer, neuron, net_input, activation, delta FROM forward_values"
                + " WHERE run_id = 9 AND epoch = 3 ORDER BY sample, layer, neuron", "--format", "csv").out(),
                ui.client.get("/download/runs/9/epochs/3/neurons.csv").body());
        assertEquals(ui.cli.run("sql", "SELECT epoch, loss_a, loss_b, loss_difference, max_weight_difference, weights_equal FROM run_diff(2, 3)",
                "--format", "csv").out(), ui.client.get("/download/compare/diff.csv?a=2&b=3").body());
        HttpResponse<String> file = ui.client.get("/download/runs/1/epochs.csv");
        assertEquals("attachment; filename=\"runs-1-epochs.csv\"", file.headers().firstValue("Content-Disposition").orElseThrow());
    }

    @Test
    void theRunsListHasEveryRunWithItsFinalAndBestError() throws Exception {
        JsonNode runs = json("/api/runs");
        assertEquals(9, runs.get("runs").size());
        JsonNode seed = runs.get("runs").get(0);
        assertEquals("seed", seed.get("name").asText());
        assertEquals("0.00789511004702777", seed.get("finalError").asText());
        assertEquals("sigmoid,sigmoid", seed.get("activations").asText());
        assertEquals("0.1", seed.get("learningRate").asText());
        assertEquals(2, runs.get("sweeps").size());
        assertTrue(runs.get("sweeps").get(1).get("chained").asBoolean());
        String best = ui.cli.run("sql", "SELECT MIN(total_error) FROM epoch_losses WHERE run_id = 8", "--format", "csv").out().lines().toList().get(1);
        assertEquals(best, runs.get("runs").get(7).get("bestError").asText());
    }

    @Test
    void theStoreIsOpenedForReadingOnly() {
        try (EventStore readOnly = Stores.open(StoreLocation.of(ui.cli.store().toString()), StoreAccess.WATCH)) {
            assertThrows(RuntimeException.class, () -> readOnly.start(RunConfig.seed(), null, null));
            assertThrows(RuntimeException.class, () -> readOnly.newSweep(false));
        }
        assertEquals(9, ui.cli.run("runs", "--format", "csv").out().strip().lines().count() - 1);
    }
}
