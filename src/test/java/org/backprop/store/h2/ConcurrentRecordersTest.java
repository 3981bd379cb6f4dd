package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.backprop.events.EpochRecorded;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunFailed;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.events.RunSummary;
import org.backprop.model.Activation;
import org.backprop.model.Dataset;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.store.StoreLocation;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many recorders writing one store at once, as a sweep's parallel runs do, neither interleave nor lose events. */
class ConcurrentRecordersTest {
    private static final int RUNS = 16;
    private static final int EPOCHS = 400;

    @TempDir
    Path dir;

    /** Commits every few epochs, so that the writers' transactions really interleave. */
    private record OftenFlushing(RunRecorder recorder, int every) implements RunRecorder {
        @Override public RunStarted started() { return recorder.started(); }
        @Override public int nextEpoch() { return recorder.nextEpoch(); }
        @Override public void append(EpochRecorded epoch) {
            recorder.append(epoch);
            if (epoch.epoch() % every == every - 1) {
                recorder.flush();
            }
        }
        @Override public void flush() { recorder.flush(); }
        @Override public RunCompleted complete(Parameters finalParameters, String reason) { return recorder.complete(finalParameters, reason); }
        @Override public RunFailed fail(int epoch, String reason) { return recorder.fail(epoch, reason); }
        @Override public void close() { recorder.close(); }
    }

    private static RunConfig config(int k) {
        double rate = 0.05 * (k + 1);
        if (k % 2 == 0) {
            return RunConfig.seed().withName("lr-" + rate).withLearningRate(rate).withEpochs(EPOCHS);
        }
        Network network = new Network(new int[] {3, 5, 2}, List.of(Activation.TANH, Activation.SIGMOID), true, true);
        Dataset data = new Dataset(new double[][] {{0.1, 0.2, 0.3}, {1, -1, 0.5}, {0, 0.5, -0.5}}, new double[][] {{0, 1}, {1, 0}, {1, 1}});
        return new RunConfig("biased-lr-" + rate, network, data, Parameters.random(network, k), (long) k, rate, EPOCHS);
    }

    @Test
    void sixteenRunsRecordedAtOnceAreEachWholeAndBitIdenticalToTheirRecomputation() throws Exception {
        StoreLocation location = StoreLocation.of(dir.resolve("store").toString());
        H2EventStore.open(location).close();
        ExecutorService pool = Executors.newFixedThreadPool(RUNS);
        AtomicBoolean writing = new AtomicBoolean(true);
        Map<Long, Integer> seen = new ConcurrentHashMap<>();
        try (H2EventStore store = H2EventStore.open(location)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<TrainingOutcome>> outcomes = new ArrayList<>();
            for (int k = 0; k < RUNS; k++) {
                RunConfig config = config(k);
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try (RunRecorder recorder = new OftenFlushing(store.start(config, null, null), 25)) {
                        return Trainer.run(recorder, config.initial(), TrainingProgress.NONE);
                    }
                }));
            }
            // A reader, meanwhile, sees every run only as whole epochs that chain to its start, never fewer than before.
            Future<Integer> reader = pool.submit(() -> {
                int reads = 0;
                while (writing.get()) {
                    try (H2EventStore other = H2EventStore.openExisting(location)) {
                        for (RunSummary run : other.runs()) {
                            int chained = StoreChecks.assertChainIntact(other, run.runId());
                            assertTrue(chained >= run.epochsRecorded(), "a reader sees the epochs the runs view counts");
                            int before = seen.getOrDefault(run.runId(), 0);
                            assertTrue(chained >= before, "run " + run.runId() + " went back from " + before + " to " + chained + " epochs");
                            seen.put(run.runId(), chained);
                            reads++;
                        }
                    }
                }
                return reads;
            });
            start.countDown();
            Map<Long, RunConfig> configs = new TreeMap<>();
            for (Future<TrainingOutcome> f : outcomes) {
                TrainingOutcome o = f.get();
                assertTrue(o.end() instanceof RunCompleted, o.toString());
                configs.put(o.started().runId(), o.started().config());
            }
            writing.set(false);
            assertTrue(reader.get() > 0);

            assertEquals(RUNS, configs.size(), "every run got its own id");
            assertEquals(RUNS, store.runs().size());
            for (Map.Entry<Long, RunConfig> run : configs.entrySet()) {
                long id = run.getKey();
                assertEquals(run.getValue(), store.started(id).config());
                assertEquals(EPOCHS, StoreChecks.assertChainIntact(store, id));
                assertEquals(EPOCHS, StoreChecks.assertRecordedValuesRecompute(store, id));
            }
            assertEquals(List.of(List.of((long) RUNS)), store.query("SELECT COUNT(*) FROM runs WHERE status = 'completed'").rows());
            assertEquals(List.of(List.of(0L)), store.query("SELECT COUNT(*) FROM run_writers").rows(), "every writer gave its claim up");
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
    }
}
