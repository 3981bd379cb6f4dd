package org.backprop.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventHashes;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunStarted;
import org.backprop.events.StoredRun;
import org.backprop.model.Activation;
import org.backprop.model.Dataset;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.TempStore;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VerifierTest {
    @RegisterExtension
    final TempStore store = new TempStore();

    private H2EventStore open() {
        return store.open();
    }

    @Test
    void untouchedRunsOfEveryKindVerify() {
        try (H2EventStore store = open()) {
            Trainer trainer = new Trainer(store);
            trainer.train(RunConfig.seed().withEpochs(700), TrainingProgress.NONE);
            trainer.train(RecordedRuns.xor(60), TrainingProgress.NONE);
            Network relu = new Network(new int[] {3, 4, 2}, List.of(Activation.RELU, Activation.IDENTITY), true, false);
            Dataset data = new Dataset(new double[][] {{0.1, 0.2, 0.3}, {1, -1, 0.5}}, new double[][] {{0, 1}, {1, 0}});
            trainer.train(new RunConfig("fixed-biases", relu, data, Parameters.random(relu, 7), 7L, 0.05, 40), TrainingProgress.NONE);
            Network line = new Network(new int[] {1, 1}, List.of(Activation.IDENTITY), false, false);
            Dataset big = new Dataset(new double[][] {{1000}}, new double[][] {{0}});
            trainer.train(new RunConfig("diverges", line, big, new Parameters(new double[] {1.0}, null), null, 10, 100), TrainingProgress.NONE);
            RunConfig fork = RunConfig.seed().withName("fork").withLearningRate(0.5).withEpochs(30).withInitial(store.parametersAt(1, 50), null);
            trainer.train(fork, new org.backprop.events.Lineage(1, 50), null, TrainingProgress.NONE);
            RecordedRuns.cutShort(store, 12);

            Verifier verifier = new Verifier(store);
            List<String> lines = store.runIds().stream().map(id -> verifier.verify(id).line()).toList();
            assertEquals(List.of(
                    "run 1 'seed': ok: 700 epochs re-executed bit for bit, hash chain intact, completed",
                    "run 2 'xor': ok: 60 epochs re-executed bit for bit, hash chain intact, completed",
                    "run 3 'fixed-biases': ok: 40 epochs re-executed bit for bit, hash chain intact, completed",
                    "run 4 'diverges': ok: " + store.epochCount(4) + " epochs re-executed bit for bit, hash chain intact, failed at epoch "
                            + store.epochCount(4),
                    "run 5 'fork': ok: 30 epochs re-executed bit for bit, hash chain intact, completed",
                    "run 6 'cut-short': ok: 12 epochs re-executed bit for bit, hash chain intact, no end event (running or interrupted)"), lines);
        }
    }

    @Test
    void theChainCheckAcceptsARunAsStoredAndNamesTheFirstChangedEvent() {
        try (H2EventStore store = open()) {
            new Trainer(store).train(RunConfig.seed().withEpochs(20), TrainingProgress.NONE);
            StoredRun stored = store.stored(1);
            List<EpochRecorded> epochs = store.epochs(1, 0, 19);
            List<byte[]> hashes = new java.util.ArrayList<>();
            store.forEachBlock(1, b -> {
                for (int i = 0; i < b.epochCount(); i++) {
                    hashes.add(java.util.Arrays.copyOfRange(b.hashes(), i * EventHashes.LENGTH, (i + 1) * EventHashes.LENGTH));
                }
            });

            ChainCheck intact = new ChainCheck(stored.started());
            assertNull(intact.start(stored.startHash()));
            for (int i = 0; i < 20; i++) {
                assertNull(intact.epoch(epochs.get(i), hashes.get(i)), "epoch " + i);
            }
            assertNull(intact.end(stored.end().orElseThrow(), stored.endHash()));

            ChainCheck changed = new ChainCheck(stored.started());
            assertNull(changed.start(stored.startHash()));
            for (int i = 0; i < 7; i++) {
                assertNull(changed.epoch(epochs.get(i), hashes.get(i)));
            }
            EpochRecorded e7 = epochs.get(7);
            EpochRecorded nudged = new EpochRecorded(1, 7, e7.before(), e7.netInputs(), e7.activations(), e7.deltas(),
                    e7.weightGradients(), e7.biasGradients(), Math.nextUp(e7.loss()));
            assertEquals("the hash of epoch 7 does not match its values", changed.epoch(nudged, hashes.get(7)));

            ChainCheck gap = new ChainCheck(stored.started());
            gap.start(stored.startHash());
            gap.epoch(epochs.get(0), hashes.get(0));
            assertEquals("epochs 1 to 2 are missing before epoch 3", gap.epoch(epochs.get(3), hashes.get(3)));

            RunStarted other = new RunStarted(1, stored.started().config().withLearningRate(0.2), null, null, stored.started().createdAt());
            assertEquals("the hash of run 1's start event does not match its configuration", new ChainCheck(other).start(stored.startHash()));

            ChainCheck early = new ChainCheck(stored.started());
            early.start(stored.startHash());
            RunCompleted done = (RunCompleted) stored.end().orElseThrow();
            assertTrue(early.end(done, stored.endHash()).startsWith("the end event names epoch 20 but 0 epochs came before it"));
        }
    }
}
