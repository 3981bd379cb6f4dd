package org.backprop.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.RunHistory;
import org.backprop.events.Lineage;
import org.backprop.events.RunCompleted;
import org.backprop.events.UnknownRunException;
import org.backprop.model.RunConfig;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.TempStore;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ForkTest {
    @RegisterExtension
    final TempStore store = new TempStore();

    private H2EventStore open() {
        return store.open();
    }

    /** The epoch as if it had been recorded under another run id and number, so that equals compares only its values. */
    private static EpochRecorded renumbered(EpochRecorded e, long runId, int epoch) {
        return new EpochRecorded(runId, epoch, e.before(), e.netInputs(), e.activations(), e.deltas(), e.weightGradients(),
                e.biasGradients(), e.loss());
    }

    @Test
    void forkAtEpochContinuesBitIdenticallyToItsParent() {
        int k = 13;
        try (H2EventStore store = open()) {
            long parent = new Trainer(store).train(SweepTest.biasedConfig(40), TrainingProgress.NONE).started().runId();
            TrainingOutcome fork = new Fork(store).run(new ForkRequest(parent, k, null, null, null), null, TrainingProgress.NONE);
            long forkId = fork.started().runId();
            assertEquals(27, fork.epochsRecorded(), "by default a fork runs the parent's remaining planned epochs");
            assertEquals(store.started(parent).config().learningRate(), fork.started().config().learningRate());
            List<EpochRecorded> parentEpochs = store.epochs(parent, 0, 39);
            List<EpochRecorded> forkEpochs = store.epochs(forkId, 0, 26);
            for (int j = 0; j < 27; j++) {
                EpochRecorded expected = parentEpochs.get(k + j);
                assertEquals(expected, renumbered(forkEpochs.get(j), parent, k + j), "fork epoch " + j + " vs parent epoch " + (k + j));
                assertEquals(j, forkEpochs.get(j).epoch());
            }
            RunCompleted parentEnd = (RunCompleted) store.ended(parent).orElseThrow();
            RunCompleted forkEnd = (RunCompleted) store.ended(forkId).orElseThrow();
            assertEquals(parentEnd.finalParameters(), forkEnd.finalParameters());
        }
    }

    @Test
    void forkRecordsItsParentAndForkEpochAndCopiesNoEpochs() {
        try (H2EventStore store = open()) {
            long parent = new Trainer(store).train(RunConfig.seed().withEpochs(20), TrainingProgress.NONE).started().runId();
            long fork = new Fork(store).run(new ForkRequest(parent, 8, 0.5, 5, null), null, TrainingProgress.NONE).started().runId();
            assertEquals(new Lineage(parent, 8), store.started(fork).lineage());
            assertEquals(store.parametersAt(parent, 8), store.started(fork).config().initial());
            assertNull(store.started(fork).config().weightSeed(), "the fork's weights come from its parent, not from a seed");
            assertEquals(5, store.epochCount(fork));
            assertEquals("seed-at8", store.started(fork).config().name());
            var row = store.query("SELECT parent_run_id, fork_epoch, learning_rate, epochs_recorded FROM runs WHERE run_id = " + fork).rows().get(0);
            assertEquals(List.of(parent, 8, 0.5, 5), row);
        }
    }

    @Test
    void forkAtItsParentsEndContinuesFromItsFinalWeights() {
        try (H2EventStore store = open()) {
            TrainingOutcome parent = new Trainer(store).train(RunConfig.seed().withEpochs(20), TrainingProgress.NONE);
            long id = parent.started().runId();
            TrainingOutcome fork = new Fork(store).run(new ForkRequest(id, 20, null, null, null), null, TrainingProgress.NONE);
            assertEquals(20, fork.epochsRecorded(), "forking at the end, the default length is the parent's planned length");
            assertEquals(((RunCompleted) parent.end()).finalParameters(), fork.started().config().initial());
        }
    }

    @Test
    void forkAtAnEpochTheParentDoesNotHaveIsRefusedAndRecordsNothing() {
        try (H2EventStore store = open()) {
            long parent = new Trainer(store).train(RunConfig.seed().withEpochs(20), TrainingProgress.NONE).started().runId();
            for (int at : new int[] {21, -1}) {
                UnknownRunException e = assertThrows(UnknownRunException.class,
                        () -> new Fork(store).run(new ForkRequest(parent, at, null, null, null), null, TrainingProgress.NONE));
                assertEquals("run " + parent + " has no epoch " + at + " to fork at: give --at from 0 to 20 (20 means its weights"
                        + " after the last recorded update)", e.getMessage());
            }
            assertEquals(1, store.runs().size());
        }
    }

    @Test
    void historyOfAForkIsItsParentsEpochsUpToTheForkThenItsOwn() {
        try (H2EventStore store = open()) {
            long root = new Trainer(store).train(RunConfig.seed().withEpochs(30), TrainingProgress.NONE).started().runId();
            Fork fork = new Fork(store);
            long child = fork.run(new ForkRequest(root, 10, null, null, null), null, TrainingProgress.NONE).started().runId();
            long grandchild = fork.run(new ForkRequest(child, 5, null, null, null), null, TrainingProgress.NONE).started().runId();

            assertEquals(List.of(new RunHistory.Segment(root, 0, 9, 0), new RunHistory.Segment(child, 0, 4, 10),
                    new RunHistory.Segment(grandchild, 0, 14, 15)), RunHistory.segments(store, grandchild));
            assertEquals(List.of(new RunHistory.Segment(root, 0, 29, 0)), RunHistory.segments(store, root));

            // Every fork kept the rate, so the assembled history is the root's own 30 epochs, value for value.
            List<EpochRecorded> history = RunHistory.epochs(store, grandchild);
            List<EpochRecorded> rootEpochs = store.epochs(root, 0, 29);
            assertEquals(30, history.size());
            for (int e = 0; e < 30; e++) {
                assertEquals(rootEpochs.get(e), renumbered(history.get(e), root, e), "history epoch " + e);
            }
            assertEquals(grandchild, history.get(29).runId());
            assertEquals(14, history.get(29).epoch());
        }
    }

    @Test
    void historyLeavesOutAParentThatContributesNoEpochs() {
        try (H2EventStore store = open()) {
            long root = new Trainer(store).train(RunConfig.seed().withEpochs(10), TrainingProgress.NONE).started().runId();
            Fork fork = new Fork(store);
            long atStart = fork.run(new ForkRequest(root, 0, 0.3, 4, null), null, TrainingProgress.NONE).started().runId();
            assertEquals(List.of(new RunHistory.Segment(atStart, 0, 3, 0)), RunHistory.segments(store, atStart));
            assertTrue(RunHistory.epochs(store, atStart).stream().allMatch(e -> e.runId() == atStart));
        }
    }
}
