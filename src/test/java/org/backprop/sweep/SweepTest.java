package org.backprop.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.backprop.events.EpochRecorded;
import org.backprop.events.Lineage;
import org.backprop.events.RunFailed;
import org.backprop.model.Activation;
import org.backprop.model.Backprop;
import org.backprop.model.Dataset;
import org.backprop.model.EpochResult;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.model.SeedTable;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.TempStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SweepTest {
    private static final List<Double> SEED_RATES = List.of(0.1, 0.2, 0.5, 0.8, 1.0, 2.0);

    @RegisterExtension
    final TempStore store = new TempStore();

    private H2EventStore open() {
        return store.open();
    }

    static RunConfig biasedConfig(int epochs) {
        Network network = new Network(new int[] {3, 4, 2}, List.of(Activation.TANH, Activation.SIGMOID), true, true);
        Dataset data = new Dataset(new double[][] {{0.1, 0.2, 0.3}, {1, -1, 0.5}}, new double[][] {{0, 1}, {1, 0}});
        return new RunConfig("biased", network, data, Parameters.random(network, 3), 3L, 0.7, epochs);
    }

    @Test
    void chainedSweepReproducesTheSeedTableWithinOnePartInATrillion() {
        SeedTable table = SeedTable.load();
        try (H2EventStore store = open()) {
            SweepResult sweep = new Sweeper(store, 2).run(RunConfig.seed(), SEED_RATES, true);
            assertTrue(sweep.chained());
            assertEquals(6, sweep.runs().size());
            for (int i = 0; i < 6; i++) {
                SeedTable.Row expected = table.rows().get(i);
                SweepRun run = sweep.runs().get(i);
                String what = "learning rate " + expected.learningRate();
                assertEquals(expected.learningRate(), run.learningRate());
                for (int w = 0; w < 8; w++) {
                    SeedTable.assertClose(expected.finalWeights()[w], run.finalParameters().weight(w), 1e-12, what + " w" + (w + 1));
                }
                SeedTable.assertClose(expected.finalError(), run.finalError(), 1e-12, what + " final error");
                SeedTable.assertClose(expected.finalOutputs()[0], run.finalOutput(0, 0), 1e-12, what + " a_o1");
                SeedTable.assertClose(expected.finalOutputs()[1], run.finalOutput(0, 1), 1e-12, what + " a_o2");
                assertEquals(99, run.lastEpoch().epoch(), "final error and outputs come from the last epoch's forward pass");
            }
        }
    }

    @Test
    void chainedSweepIsAChainOfForksEachFromThePreviousRunsEnd() {
        try (H2EventStore store = open()) {
            SweepResult sweep = new Sweeper(store, 2).run(RunConfig.seed().withEpochs(10), List.of(0.1, 0.5, 2.0), true);
            List<SweepRun> runs = sweep.runs();
            assertNull(runs.get(0).started().lineage());
            assertEquals(Parameters.seed(), runs.get(0).started().config().initial());
            assertEquals("initial weights", runs.get(0).startedFrom());
            for (int i = 1; i < runs.size(); i++) {
                SweepRun previous = runs.get(i - 1);
                SweepRun run = runs.get(i);
                assertEquals(new Lineage(previous.runId(), 10), run.started().lineage());
                assertEquals(previous.finalParameters(), run.started().config().initial());
                assertEquals("final weights of run " + previous.runId(), run.startedFrom());
                assertEquals(sweep.sweepId(), run.started().sweepId());
            }
            assertEquals(List.of(runs.get(0).runId(), runs.get(1).runId(), runs.get(2).runId()), store.sweepRuns(sweep.sweepId()));
        }
    }

    @Test
    void independentSweepStartsEveryRateFromTheSameInitialWeights() {
        try (H2EventStore store = open()) {
            SweepResult sweep = new Sweeper(store, 2).run(RunConfig.seed(), SEED_RATES, false);
            assertEquals(6, sweep.runs().size());
            for (int i = 0; i < 6; i++) {
                SweepRun run = sweep.runs().get(i);
                assertEquals(SEED_RATES.get(i), run.learningRate());
                assertEquals(Parameters.seed(), store.started(run.runId()).config().initial());
                assertNull(run.started().lineage());
                assertEquals("initial weights", run.startedFrom());
                assertEquals(sweep.sweepId(), store.started(run.runId()).sweepId());
            }
            // lr 0.2 from the tutorial's weights, computed here without the store: about 0.00428, not the table's 0.00228.
            Parameters p = Parameters.seed();
            EpochResult last = null;
            for (int e = 0; e < 100; e++) {
                last = Backprop.epoch(Network.seed(), Dataset.seed(), p, 0.2);
                p = last.after();
            }
            assertEquals(last.loss(), sweep.runs().get(1).finalError());
            assertEquals(0.0042821994792134575, sweep.runs().get(1).finalError());
            assertEquals(p, sweep.runs().get(1).finalParameters());
        }
    }

    @Test
    void independentSweepGivesTheSameRunsInTheSameOrderWithOneThreadOrMany() {
        List<Double> rates = List.of(2.0, 0.1, 0.9, 0.3, 1.5);
        try (H2EventStore store = open()) {
            SweepResult one = new Sweeper(store, 1).run(biasedConfig(60), rates, false);
            SweepResult many = new Sweeper(store, 5).run(biasedConfig(60), rates, false);
            assertTrue(one.sweepId() != many.sweepId());
            for (int i = 0; i < rates.size(); i++) {
                SweepRun a = one.runs().get(i);
                SweepRun b = many.runs().get(i);
                assertEquals(rates.get(i), a.learningRate());
                assertEquals(rates.get(i), b.learningRate());
                assertEquals(a.finalParameters(), b.finalParameters());
                assertEquals(Double.doubleToLongBits(a.finalError()), Double.doubleToLongBits(b.finalError()));
                List<EpochRecorded> ea = store.epochs(a.runId(), 0, 59);
                List<EpochRecorded> eb = store.epochs(b.runId(), 0, 59);
                for (int e = 0; e < 60; e++) {
                    assertEquals(ea.get(e).before(), eb.get(e).before());
                    assertEquals(ea.get(e).loss(), eb.get(e).loss());
                }
            }
            List<Long> ids = many.runs().stream().map(SweepRun::runId).toList();
            assertEquals(ids.stream().sorted().toList(), ids, "run ids follow the order of the rates");
        }
    }

    @Test
    void progressHearsEveryEpochOfEveryRunInOrderUnderItsRunsNumber() {
        for (boolean chained : List.of(false, true)) {
            try (H2EventStore store = open()) {
                // One list a run, written by that run's thread only; the lists themselves exist before the sweep.
                List<List<Integer>> heard = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                SweepProgress progress = (run, epoch, total, loss) -> {
                    assertEquals(25, total);
                    heard.get(run).add(epoch);
                };
                new Sweeper(store, 3).run(RunConfig.seed().withEpochs(25), List.of(0.1, 0.5, 2.0), chained, progress);
                List<Integer> everyEpoch = java.util.stream.IntStream.range(0, 25).boxed().toList();
                assertEquals(List.of(everyEpoch, everyEpoch, everyEpoch), heard, chained ? "chained" : "independent");
            }
        }
    }

    @Test
    void sweepIdsAreUniqueWhenTwoStoresAllocateThemAtOnce() throws Exception {
        try (H2EventStore first = open(); H2EventStore second = open()) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<Long>>> futures = new ArrayList<>();
                for (H2EventStore store : List.of(first, second)) {
                    futures.add(pool.submit(() -> {
                        List<Long> ids = new ArrayList<>();
                        for (int i = 0; i < 25; i++) {
                            ids.add(store.newSweep(i % 2 == 0));
                        }
                        return ids;
                    }));
                }
                Set<Long> all = new HashSet<>();
                for (Future<List<Long>> f : futures) {
                    all.addAll(f.get());
                }
                assertEquals(50, all.size());
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void chainedSweepStopsWhereARunFailsAndNamesTheRatesItDidNotRun() {
        Network network = new Network(new int[] {1, 1}, List.of(Activation.IDENTITY), false, false);
        RunConfig diverging = new RunConfig("diverging", network, new Dataset(new double[][] {{1000}}, new double[][] {{0}}),
                new Parameters(new double[] {1.0}, null), null, 1e-7, 100);
        try (H2EventStore store = open()) {
            SweepResult sweep = new Sweeper(store, 1).run(diverging, List.of(1e-7, 10.0, 0.1), true);
            assertEquals(2, sweep.runs().size());
            assertTrue(sweep.runs().get(0).completed());
            assertTrue(sweep.runs().get(1).end() instanceof RunFailed, sweep.runs().get(1).status());
            assertEquals(List.of(0.1), sweep.notRun());
            assertTrue(!sweep.allCompleted());
            assertNotNull(sweep.runs().get(1).started().lineage());
        }
    }
}
