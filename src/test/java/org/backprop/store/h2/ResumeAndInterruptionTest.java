package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import org.backprop.events.ConcurrentAppendException;
import org.backprop.events.PackedRecorder;
import org.backprop.events.ResumeRefusedException;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunFailed;
import org.backprop.events.RunRecorder;
import org.backprop.model.Activation;
import org.backprop.model.Dataset;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.store.TempStore;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResumeAndInterruptionTest {
    @RegisterExtension
    final TempStore store = new TempStore();

    private H2EventStore open() {
        return store.open();
    }

    private static String status(H2EventStore store, long runId) {
        return store.runs().stream().filter(r -> r.runId() == runId).findFirst().orElseThrow().status();
    }

    @Test
    void aStoppedRunIsInterruptedOnceItsWriterIsGoneAndResumesBitIdentically() {
        RunConfig config = RunConfig.seed().withEpochs(1000).withLearningRate(0.7);
        try (H2EventStore store = open()) {
            RunRecorder recorder = store.start(config, null, null);
            long id = recorder.started().runId();
            TrainingOutcome stopped = Trainer.run(recorder, config.initial(), TrainingProgress.NONE, () -> recorder.nextEpoch() == 337);
            assertTrue(stopped.interrupted());
            assertEquals(337, stopped.epochsRecorded());
            assertEquals(337, store.epochCount(id), "stopping commits every epoch trained");
            assertEquals("running", status(store, id), "the writer is still there");
            assertEquals(java.util.Optional.of(WriterLease.thisProcess()), store.liveWriter(id));
            recorder.close();
            assertEquals("interrupted", status(store, id));
            assertEquals(java.util.Optional.empty(), store.liveWriter(id));

            try (RunRecorder resumed = store.resume(id)) {
                assertEquals(337, resumed.nextEpoch());
                assertEquals("running", status(store, id));
                TrainingOutcome done = Trainer.run(resumed, store.parametersAt(id, 337), TrainingProgress.NONE);
                assertInstanceOf(RunCompleted.class, done.end());
            }
            long uninterrupted = new Trainer(store).train(config, TrainingProgress.NONE).started().runId();
            StoreChecks.assertSameEpochs(store, uninterrupted, id);
            assertEquals(1000, StoreChecks.assertChainIntact(store, id));
            assertEquals("completed", status(store, id));
        }
    }

    @Test
    void aRunIsNotResumedWhileItsWriterLives() {
        try (H2EventStore store = open(); RunRecorder recorder = store.start(RunConfig.seed(), null, null)) {
            long id = recorder.started().runId();
            ResumeRefusedException e = assertThrows(ResumeRefusedException.class, () -> store.resume(id));
            assertTrue(e.getMessage().startsWith("run 1 is still being written by process " + WriterLease.thisProcess() + " (since "), e.getMessage());
            assertEquals("running", status(store, id));
        }
    }

    @Test
    void runsThatEndedAreNotResumed() {
        try (H2EventStore store = open()) {
            new Trainer(store).train(RunConfig.seed().withEpochs(5), TrainingProgress.NONE);
            Network line = new Network(new int[] {1, 1}, List.of(Activation.IDENTITY), false, false);
            RunConfig diverging = new RunConfig("diverges", line, new Dataset(new double[][] {{1000}}, new double[][] {{0}}),
                    new Parameters(new double[] {1.0}, new double[0]), null, 10, 100);
            new Trainer(store).train(diverging, TrainingProgress.NONE);
            assertEquals("run 1 has already completed (all 5 epochs are recorded): there is nothing to resume; 'backprop runs' shows"
                    + " the runs that are interrupted", assertThrows(ResumeRefusedException.class, () -> store.resume(1)).getMessage());
            assertEquals("run 2 failed at epoch 22 (the loss became Infinity at epoch 22; the run stopped there (try a smaller learning"
                    + " rate)): resuming would fail the same way; train it again with another learning rate",
                    assertThrows(ResumeRefusedException.class, () -> store.resume(2)).getMessage());
            assertEquals(List.of(List.of(0L)), store.query("SELECT COUNT(*) FROM run_writers").rows(), "a refusal claims nothing");
        }
    }

    @Test
    void aWriterWhoseConnectionBreaksReconnectsAndLeavesTheRunWhole() throws SQLException {
        RunConfig config = RunConfig.seed().withEpochs(300);
        try (H2EventStore store = open()) {
            PackedRecorder recorder = (PackedRecorder) store.start(config, null, null);
            long id = recorder.started().runId();
            TrainingOutcome half = Trainer.run(recorder, config.initial(), TrainingProgress.NONE, () -> recorder.nextEpoch() == 120);
            assertEquals(120, half.epochsRecorded());
            // What the process serving the store does to its clients when it exits: their connection goes.
            ((BlockWriter) recorder.sink()).handle().getConnection().close();
            TrainingOutcome rest = Trainer.run(recorder, store.parametersAt(id, 120), TrainingProgress.NONE);
            assertInstanceOf(RunCompleted.class, rest.end());
            recorder.close();
            assertEquals(300, StoreChecks.assertChainIntact(store, id));
            assertEquals(300, StoreChecks.assertRecordedValuesRecompute(store, id));
            assertEquals("completed", status(store, id));
        }
    }

    @Test
    void aWriterWhoseRunWasTakenOverStopsAtItsNextCommit() throws SQLException {
        RunConfig config = RunConfig.seed().withEpochs(300);
        try (H2EventStore store = open()) {
            RunRecorder recorder = store.start(config, null, null);
            long id = recorder.started().runId();
            Trainer.run(recorder, config.initial(), TrainingProgress.NONE, () -> recorder.nextEpoch() == 50);
            // The writer's connection breaks and, before it is back, another session resumes the run: a live lease
            // cannot be taken, but one whose session has gone can.
            ((BlockWriter) ((PackedRecorder) recorder).sink()).handle().getConnection().close();
            try (Handle rival = store.writerHandle()) {
                rival.useTransaction(h -> new WriterLease(id).acquire(h));
                ConcurrentAppendException e = assertThrows(ConcurrentAppendException.class,
                        () -> Trainer.run(recorder, store.parametersAt(id, 50), TrainingProgress.NONE));
                assertTrue(e.getMessage().startsWith("run 1 was taken over by another writer: run 1 is still being written by process"), e.getMessage());
                recorder.close();
                assertEquals(50, store.epochCount(id));
                assertEquals("running", status(store, id), "the rival's session holds it");
            }
            assertEquals("interrupted", status(store, id));
        }
    }
    @Test
    void aTakeOverFoundByTheCommitThreadStopsTheTrainerAtALaterAppend() {
        int planned = 5_000_000;
        RunConfig config = RunConfig.seed().withEpochs(planned);
        try (H2EventStore store = open(); Handle rival = store.writerHandle()) {
            RunRecorder recorder = store.start(config, null, null);
            long id = recorder.started().runId();
            boolean[] takenOver = {false};
            // The trainer never stops on its own; at epoch 50 a live rival claims the run, and only the commit
            // thread's next commit (within about a second) can notice.
            ConcurrentAppendException e = assertThrows(ConcurrentAppendException.class,
                    () -> Trainer.run(recorder, config.initial(), TrainingProgress.NONE, () -> {
                        if (recorder.nextEpoch() == 50 && !takenOver[0]) {
                            // The writer's session ends under it, and the rival takes the lease its session left.
                            try {
                                ((BlockWriter) ((PackedRecorder) recorder).sink()).handle().getConnection().close();
                            } catch (java.sql.SQLException closing) {
                                throw new IllegalStateException(closing);
                            }
                            rival.useTransaction(h -> new WriterLease(id).acquire(h));
                            takenOver[0] = true;
                        }
                        return false;
                    }));
            assertTrue(e.getMessage().startsWith("run 1 was taken over by another writer"), e.getMessage());
            assertTrue(recorder.nextEpoch() > 50 && recorder.nextEpoch() < planned, "stopped at epoch " + recorder.nextEpoch());
            assertThrows(ConcurrentAppendException.class, recorder::flush, "the recorder stays stopped");
            recorder.close();
            int stored = store.epochCount(id);
            assertTrue(stored <= 50, "nothing was committed after the take-over: " + stored + " epochs");
            assertEquals(stored, StoreChecks.assertChainIntact(store, id));
        }
    }
}
