package org.backprop.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.backprop.model.RunConfig;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.StoreLocation;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartWriterTest {
    @TempDir
    Path dir;

    @Test
    void errorChartOfTwoRunsIsAPngOfTheRequestedSize() throws IOException {
        try (H2EventStore store = H2EventStore.open(StoreLocation.of(dir.resolve("store").toString()))) {
            Trainer trainer = new Trainer(store);
            long a = trainer.train(RunConfig.seed().withEpochs(50), TrainingProgress.NONE).started().runId();
            long b = trainer.train(RunConfig.seed().withEpochs(50).withLearningRate(1.0), TrainingProgress.NONE).started().runId();
            Chart chart = RunCharts.error(store, List.of(a, b), "Total error per epoch", true, 640, 480);
            assertEquals(List.of("run 1 'seed' (lr 0.1)", "run 2 'seed' (lr 1.0)"), chart.series().stream().map(Series::label).toList());
            assertEquals(50, chart.series().get(0).size());
            assertEquals(store.epochs(a, 49, 49).get(0).loss(), chart.series().get(0).y(49));
            Path out = dir.resolve("errors.png");
            ChartWriter.writePng(chart, out);
            PngCheck.assertPngWithLines(out, 640, 480);
            try (Stream<Path> files = Files.list(dir)) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no temporary file is left behind");
            }
        }
    }

    @Test
    void aForkIsDrawnWhereItsHistoryPutsItUnlessAskedNotTo() {
        try (H2EventStore store = H2EventStore.open(StoreLocation.of(dir.resolve("store").toString()))) {
            long parent = new Trainer(store).train(RunConfig.seed().withEpochs(40), TrainingProgress.NONE).started().runId();
            long fork = new org.backprop.sweep.Fork(store).run(new org.backprop.sweep.ForkRequest(parent, 25, 0.5, 10, null), null,
                    TrainingProgress.NONE).started().runId();
            Chart lined = RunCharts.error(store, List.of(parent, fork), "t", false, 640, 480);
            assertEquals(25.0, lined.series().get(1).x(0), "the fork's epoch 0 is history epoch 25");
            assertEquals(34.0, lined.series().get(1).x(9));
            assertEquals(store.epochs(fork, 0, 0).get(0).loss(), lined.series().get(1).y(0));
            assertTrue(lined.xLabel().startsWith("history epoch"), lined.xLabel());
            Chart own = RunCharts.error(store, List.of(parent, fork), "t", false, 640, 480, false);
            assertEquals(0.0, own.series().get(1).x(0));
            assertEquals("epoch", own.xLabel());
            Chart weights = RunCharts.values(store, List.of(fork), RunCharts.Values.WEIGHTS, 640, 480);
            assertEquals(25.0, weights.series().get(0).x(0));
            assertEquals(35.0, weights.series().get(0).x(10), "the weights after the fork's last update");
        }
    }

    @Test
    void weightsChartHasALinePerWeightEndingWithTheFinalWeights() throws IOException {
        try (H2EventStore store = H2EventStore.open(StoreLocation.of(dir.resolve("store").toString()))) {
            long a = new Trainer(store).train(RunConfig.seed().withEpochs(30), TrainingProgress.NONE).started().runId();
            Chart chart = RunCharts.values(store, List.of(a), RunCharts.Values.WEIGHTS, 800, 500);
            assertEquals(8, chart.series().size());
            Series w5 = chart.series().get(4);
            assertEquals("w5", w5.label());
            assertEquals(31, w5.size());
            assertEquals(0.4, w5.y(0));
            assertEquals(store.parametersAt(a, 30).weight(4), w5.y(30));
            Chart gradients = RunCharts.values(store, List.of(a), RunCharts.Values.GRADIENTS, 800, 500);
            assertEquals("∂E/∂w1", gradients.series().get(0).label());
            assertEquals(store.epochs(a, 7, 7).get(0).weightGradient(0), gradients.series().get(0).y(7));
            Path out = dir.resolve("weights.png");
            ChartWriter.writePng(chart, out);
            PngCheck.assertPngWithLines(out, 800, 500);
        }
    }

    @Test
    void aLongLineIsThinnedButKeepsItsSpikeAndItsEnds() {
        Decimator d = new Decimator("long", 100_000, 1000);
        for (int i = 0; i < 100_000; i++) {
            d.add(i, i == 54_321 ? 50.0 : i == 77_777 ? -9.0 : 1.0 / (i + 1));
        }
        Series s = d.series();
        assertTrue(s.size() <= 1002, "about the maximum number of points, not " + s.size());
        assertEquals(0.0, s.x(0));
        assertEquals(1.0, s.y(0));
        assertEquals(99_999.0, s.x(s.size() - 1));
        boolean spike = false;
        boolean dip = false;
        for (int i = 0; i < s.size(); i++) {
            spike |= s.x(i) == 54_321 && s.y(i) == 50.0;
            dip |= s.x(i) == 77_777 && s.y(i) == -9.0;
            assertTrue(i == 0 || s.x(i) > s.x(i - 1), "x ascending");
        }
        assertTrue(spike && dip, "the highest and lowest points survive the thinning");
    }

    @Test
    void aShortLineKeepsEveryPoint() {
        Decimator d = new Decimator("short", 5, 1000);
        for (int i = 0; i < 5; i++) {
            d.add(i, i * i);
        }
        assertEquals(new Series("short", new double[] {0, 1, 2, 3, 4}, new double[] {0, 1, 4, 9, 16}), d.series());
    }
}
