package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunSummary;
import org.backprop.model.RunConfig;
import org.backprop.store.StoreLocation;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written by the first released schema (fixtures/v1-store.mv.db, see MakeV1Store.java) still holds every value. */
class OldStoreTest {
    @TempDir
    Path dir;

    private H2EventStore openCopyOfTheFixture() throws IOException {
        try (InputStream fixture = OldStoreTest.class.getResourceAsStream("/fixtures/v1-store.mv.db")) {
            Files.copy(fixture, dir.resolve("old.mv.db"));
        }
        return H2EventStore.open(StoreLocation.of(dir.resolve("old").toString()));
    }

    @Test
    void aSchema1StoreMigratesForwardWithEveryValueIntact() throws IOException {
        try (H2EventStore store = openCopyOfTheFixture()) {
            assertEquals(List.of(List.of(Schema.CURRENT_VERSION)),
                    store.query("SELECT MAX(CAST(\"version\" AS INTEGER)) FROM \"flyway_schema_history\" WHERE \"success\"").rows());
            Map<Long, Integer> epochs = new TreeMap<>();
            for (RunSummary run : store.runs()) {
                int chained = StoreChecks.assertChainIntact(store, run.runId(), false);
                int recomputed = StoreChecks.assertRecordedValuesRecompute(store, run.runId());
                assertEquals(chained, recomputed);
                assertEquals(run.epochsRecorded(), recomputed);
                epochs.put(run.runId(), recomputed);
            }
            assertEquals(Map.of(1L, 100, 2L, 300, 3L, 60, 4L, 80, 5L, 22, 6L, 40), epochs);

            assertEquals(List.of(
                    List.of(1L, "seed", "completed"), List.of(2L, "xor", "completed"), List.of(3L, "fixed-biases", "completed"),
                    List.of(4L, "seed-fork", "completed"), List.of(5L, "diverges", "failed"), List.of(6L, "cut-short", "interrupted")),
                    store.query("SELECT run_id, name, status FROM runs ORDER BY run_id").rows());
            List<Object> failed = store.query("SELECT failed_epoch, reason FROM runs WHERE run_id = 5").rows().get(0);
            assertEquals(22, failed.get(0));
            assertTrue(((String) failed.get(1)).startsWith("the loss became Infinity at epoch 22"), (String) failed.get(1));
            assertEquals(List.of(1L, 50), store.query("SELECT parent_run_id, fork_epoch FROM runs WHERE run_id = 4").rows().get(0));
        }
    }

    @Test
    void theViewsReadTheMigratedStore() throws IOException {
        try (H2EventStore store = openCopyOfTheFixture()) {
            // Rows per epoch: forward values per sample (inputs + neurons), losses per sample and output, one per weight and bias.
            assertEquals(List.of(List.of(100L * (2 + 4), 300L * 4 * (2 + 4), 60L * 2 * (3 + 6), 22L * (1 + 1))),
                    store.query("SELECT (SELECT COUNT(*) FROM forward_values WHERE run_id = 1), (SELECT COUNT(*) FROM forward_values WHERE run_id = 2),"
                            + " (SELECT COUNT(*) FROM forward_values WHERE run_id = 3), (SELECT COUNT(*) FROM forward_values WHERE run_id = 5)").rows());
            assertEquals(List.of(List.of(300L * 4, 60L * 2 * 2)), store.query(
                    "SELECT (SELECT COUNT(*) FROM losses WHERE run_id = 2), (SELECT COUNT(*) FROM losses WHERE run_id = 3)").rows());
            assertEquals(List.of(List.of(300L * (9 + 4), 60L * (20 + 6))), store.query(
                    "SELECT (SELECT COUNT(*) FROM gradients WHERE run_id = 2), (SELECT COUNT(*) FROM weight_updates WHERE run_id = 3)").rows());
            assertEquals(List.of(List.of(100L + 80 + 40)), store.query("SELECT COUNT(*) FROM epoch_sheet").rows(),
                    "the seed-shaped runs 1, 4 and 6 have spreadsheet rows");
            assertEquals(602L, store.query("SELECT COUNT(*) FROM epoch_losses").rows().get(0).get(0));
            double loss = store.epochs(2, 150, 150).get(0).loss();
            assertEquals(List.of(List.of(loss)), store.query("SELECT total_error FROM epoch_losses WHERE run_id = 2 AND epoch = 150").rows());
            // Fixed biases: their update is 0, and after = before.
            assertEquals(List.of(List.of(0.0, true)), store.query("SELECT DISTINCT delta, before = after FROM weight_updates"
                    + " WHERE run_id = 3 AND weight LIKE 'b%'").rows());
        }
    }

    @Test
    void theCutShortRunOfTheOldStoreResumesBitIdenticallyToAnUninterruptedRun() throws IOException {
        try (H2EventStore store = openCopyOfTheFixture()) {
            TrainingOutcome resumed;
            try (RunRecorder recorder = store.resume(6)) {
                assertEquals(40, recorder.nextEpoch());
                resumed = Trainer.run(recorder, store.parametersAt(6, 40), TrainingProgress.NONE);
            }
            assertEquals(500, resumed.epochsRecorded());
            RunConfig config = store.started(6).config();
            long fresh = new Trainer(store).train(config, TrainingProgress.NONE).started().runId();
            StoreChecks.assertSameEpochs(store, fresh, 6);
            assertEquals(500, StoreChecks.assertChainIntact(store, 6));
            assertEquals("completed", store.runs().get(5).status());
        }
    }
}
