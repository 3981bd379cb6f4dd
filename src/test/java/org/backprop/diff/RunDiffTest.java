package org.backprop.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.backprop.model.Activation;
import org.backprop.model.Dataset;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.events.QueryResult;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.TempStore;
import org.backprop.sweep.SweepResult;
import org.backprop.sweep.Sweeper;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RunDiffTest {
    @RegisterExtension
    final TempStore store = new TempStore();

    private H2EventStore open() {
        return store.open();
    }

    private static long train(H2EventStore store, RunConfig config) {
        return new Trainer(store).train(config, TrainingProgress.NONE).started().runId();
    }

    @Test
    void diffOfTwoRunsOfTheSameConfigurationReportsNoDifferenceAtAll() {
        try (H2EventStore store = open()) {
            long a = train(store, RunConfig.seed().withEpochs(30));
            long b = train(store, RunConfig.seed().withEpochs(30));
            RunDiff diff = RunDiff.of(store, a, b);
            assertTrue(diff.identical());
            assertEquals(List.of(), diff.configurationDifferences());
            assertTrue(diff.initialWeightsEqual());
            assertNull(diff.firstDivergentEpoch());
            assertEquals(diff.finalLossA(), diff.finalLossB());
            assertEquals(diff.finalA(), diff.finalB());
            assertEquals(31, diff.rowCount());
            for (int e = 0; e < 31; e++) {
                EpochDiff row = diff.row(e);
                assertEquals(0.0, row.maxWeightDifference(), "epoch " + e);
                assertEquals(Boolean.TRUE, row.weightsEqual(), "epoch " + e);
                if (e < 30) {
                    assertEquals(0.0, row.lossDifference(), "epoch " + e);
                }
            }
            assertNull(diff.row(30).lossA(), "the last row holds the weights after the final update and no loss");
        }
    }

    @Test
    void diffFindsTheFirstEpochWhoseWeightsDifferForTwoRatesFromTheSameStart() {
        try (H2EventStore store = open()) {
            long a = train(store, RunConfig.seed().withEpochs(10));
            long b = train(store, RunConfig.seed().withEpochs(10).withLearningRate(0.5));
            RunDiff diff = RunDiff.of(store, a, b);
            assertFalse(diff.identical());
            assertTrue(diff.initialWeightsEqual());
            assertEquals(1, diff.firstDivergentEpoch(), "epoch 0 runs on the same weights; its update differs");
            assertEquals(List.of(new ConfigDifference("learning rate", "0.1", "0.5", null)), diff.configurationDifferences());
            assertEquals(0.0, diff.row(0).lossDifference());
            // Epoch 0's gradients are the same, so epoch 1's weights differ by (0.5 − 0.1) times the largest of them.
            double[] g = store.epochs(a, 0, 0).get(0).weightGradients();
            double largest = Arrays.stream(g).map(Math::abs).max().orElseThrow();
            assertEquals(store.parametersAt(a, 1).largestDifference(store.parametersAt(b, 1)), diff.row(1).maxWeightDifference());
            assertEquals(0.4 * largest, diff.row(1).maxWeightDifference(), 1e-15);
            assertEquals(store.epochs(b, 9, 9).get(0).loss() - store.epochs(a, 9, 9).get(0).loss(), diff.row(9).lossDifference());
        }
    }

    @Test
    void diffOfARunAndItsLongerTwinHasNoDivergentEpochButNamesTheEpochCount() {
        try (H2EventStore store = open()) {
            long a = train(store, RunConfig.seed().withEpochs(10));
            long b = train(store, RunConfig.seed().withEpochs(15));
            RunDiff diff = RunDiff.of(store, a, b);
            assertNull(diff.firstDivergentEpoch());
            assertFalse(diff.identical());
            assertEquals(List.of(new ConfigDifference("epochs", "10", "15", null)), diff.configurationDifferences());
            assertEquals(16, diff.rowCount());
            assertEquals(Boolean.TRUE, diff.row(10).weightsEqual(), "a's final weights are b's weights at the start of epoch 10");
            assertNull(diff.row(11).weightsEqual());
            assertNull(diff.row(12).lossA());
            assertEquals(store.epochs(b, 12, 12).get(0).loss(), diff.row(12).lossB());
        }
    }

    @Test
    void diffStatesTheInitialWeightsConfoundOfAChainedSweep() {
        try (H2EventStore store = open()) {
            SweepResult chained = new Sweeper(store, 1).run(RunConfig.seed().withEpochs(20), List.of(0.1, 0.2), true);
            RunDiff lined = RunDiff.of(store, chained.runs().get(0).runId(), chained.runs().get(1).runId());
            assertFalse(lined.initialWeightsEqual(), "the second run continues the first: no like-for-like start");
            assertTrue(lined.startStatement().startsWith("the runs do not overlap"), lined.startStatement());
            RunDiff diff = RunDiff.of(store, chained.runs().get(0).runId(), chained.runs().get(1).runId(), false);
            assertFalse(diff.initialWeightsEqual());
            assertEquals(0, diff.firstDivergentEpoch());
            ConfigDifference initial = diff.configurationDifferences().stream().filter(d -> d.field().equals("initial weights")).findFirst().orElseThrow();
            assertEquals("0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55", initial.a());
            assertTrue(initial.note().startsWith("8 of 8 differ"), initial.note());
        }
    }

    @Test
    void diffOfDifferentNetworksComparesLossesButNoWeights() {
        Network other = new Network(new int[] {2, 3, 2}, List.of(Activation.SIGMOID, Activation.SIGMOID), false, false);
        RunConfig wide = new RunConfig("wide", other, Dataset.seed(), Parameters.random(other, 5), 5L, 0.1, 5);
        try (H2EventStore store = open()) {
            long a = train(store, RunConfig.seed().withEpochs(5));
            long b = train(store, wide);
            RunDiff diff = RunDiff.of(store, a, b);
            assertFalse(diff.initialWeightsEqual());
            assertEquals(0, diff.firstDivergentEpoch());
            assertNull(diff.row(0).maxWeightDifference());
            assertEquals(store.epochs(b, 0, 0).get(0).loss() - store.epochs(a, 0, 0).get(0).loss(), diff.row(0).lossDifference());
            assertEquals("2-2-2", diff.configurationDifferences().get(0).a());
        }
    }

    @Test
    void runDiffInSqlGivesTheSamePerEpochComparisonAsTheDiff() {
        try (H2EventStore store = open()) {
            long a = train(store, RunConfig.seed().withEpochs(12));
            long b = train(store, RunConfig.seed().withEpochs(9).withLearningRate(0.7));
            RunDiff diff = RunDiff.of(store, a, b);
            QueryResult sql = store.query("SELECT * FROM run_diff(" + a + ", " + b + ") ORDER BY epoch");
            assertEquals(List.of("epoch", "loss_a", "loss_b", "loss_difference", "max_weight_difference", "weights_equal"), sql.columns());
            List<List<Object>> expected = new ArrayList<>();
            for (int e = 0; e < diff.rowCount(); e++) {
                EpochDiff d = diff.row(e);
                expected.add(Arrays.asList(d.epoch(), d.lossA(), d.lossB(), d.lossDifference(), d.maxWeightDifference(), d.weightsEqual()));
            }
            assertEquals(13, expected.size());
            assertEquals(expected, sql.rows());
            assertEquals(List.of(List.of(1)), store.query("SELECT MIN(epoch) FROM run_diff(" + a + ", " + b + ") WHERE NOT weights_equal").rows());
        }
    }
}
