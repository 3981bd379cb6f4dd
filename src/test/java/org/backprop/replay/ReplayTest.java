package org.backprop.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.RunCompleted;
import org.backprop.events.UnknownRunException;
import org.backprop.model.RunConfig;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.TempStore;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReplayTest {
    @RegisterExtension
    final TempStore store = new TempStore();

    private H2EventStore open() {
        return store.open();
    }

    @Test
    void walkingARunAcrossSeveralStoredRowsGivesEveryEpochOnceInOrder() {
        try (H2EventStore store = open()) {
            long id = new Trainer(store).train(RunConfig.seed().withEpochs(1000), TrainingProgress.NONE).started().runId();
            assertTrue(store.query("SELECT COUNT(*) FROM epoch_blocks").rows().get(0).get(0) instanceof Long rows && rows > 2,
                    "the test needs a run spread over several rows");
            Replay replay = new Replay(store, id);
            List<EpochRecorded> walked = new ArrayList<>();
            replay.forEach(250, 900, walked::add);
            assertEquals(651, walked.size());
            assertEquals(store.epochs(id, 250, 900), walked);
            for (int i = 0; i < walked.size(); i++) {
                assertEquals(250 + i, walked.get(i).epoch());
            }
        }
    }

    @Test
    void stateAtAnEpochIsWhatThatEpochUsedAndTheFinalStateIsWhatTheRunEndedWith() {
        try (H2EventStore store = open()) {
            long id = new Trainer(store).train(RunConfig.seed().withEpochs(1000), TrainingProgress.NONE).started().runId();
            Replay replay = new Replay(store, id);
            List<EpochRecorded> epochs = store.epochs(id, 0, 999);
            for (int n : new int[] {0, 1, 281, 282, 283, 563, 564, 999}) {
                assertEquals(epochs.get(n).before(), replay.stateAt(n), "epoch " + n);
                if (n > 0) {
                    assertEquals(epochs.get(n - 1).after(0.1, false), replay.stateAt(n), "after epoch " + (n - 1));
                }
            }
            RunCompleted done = (RunCompleted) store.ended(id).orElseThrow();
            assertEquals(done.finalParameters(), replay.stateAt(1000));
        }
    }

    @Test
    void anEpochOutsideTheRunIsRefusedNamingTheRunsEpochs() {
        try (H2EventStore store = open()) {
            new Trainer(store).train(RunConfig.seed(), TrainingProgress.NONE);
            Replay replay = new Replay(store, 1);
            UnknownRunException e = assertThrows(UnknownRunException.class, () -> replay.epoch(250));
            assertEquals("run 1 has no epoch 250 (its epochs are 0 to 99)", e.getMessage());
            assertEquals("run 1 has no epoch -1 (its epochs are 0 to 99)",
                    assertThrows(UnknownRunException.class, () -> replay.stateAt(-1)).getMessage());
            assertEquals("run 1 has no epoch 101 (its epochs are 0 to 99)",
                    assertThrows(UnknownRunException.class, () -> replay.stateAt(101)).getMessage());
        }
    }

    @Test
    void theSeedSheetIsTheEpochSheetViewRowForRow() {
        try (H2EventStore store = open()) {
            new Trainer(store).train(RunConfig.seed(), TrainingProgress.NONE);
            Replay replay = new Replay(store, 1);
            EpochSheet sheet = new EpochSheet(replay.started(), false);
            var view = store.query("SELECT * FROM epoch_sheet WHERE run_id = 1 ORDER BY epoch");
            assertEquals(view.columns(), sheet.columns());
            List<List<Object>> rows = new ArrayList<>();
            replay.forEach(0, 99, e -> rows.add(sheet.row(e)));
            assertEquals(view.rows(), rows);
        }
    }

    @Test
    void theGenericSheetHoldsTheViewsValuesUnderTheViewsNames() {
        try (H2EventStore store = open()) {
            new Trainer(store).train(RecordedRuns.xor(30), TrainingProgress.NONE);
            Replay replay = new Replay(store, 1);
            EpochSheet sheet = new EpochSheet(replay.started(), true);
            List<String> columns = sheet.columns();
            List<Object> row = sheet.row(replay.epoch(17));
            assertEquals(columns.size(), row.size());
            for (List<Object> v : store.query("SELECT sample, layer, neuron, net_input, activation, delta FROM forward_values"
                    + " WHERE run_id = 1 AND epoch = 17 AND layer > 0").rows()) {
                String key = "_s" + v.get(0) + "_l" + v.get(1) + "_n" + v.get(2);
                assertEquals(v.get(3), row.get(columns.indexOf("net_input" + key)), key);
                assertEquals(v.get(4), row.get(columns.indexOf("activation" + key)), key);
                assertEquals(v.get(5), row.get(columns.indexOf("delta" + key)), key);
            }
            for (List<Object> v : store.query("SELECT sample, output, error FROM losses WHERE run_id = 1 AND epoch = 17").rows()) {
                assertEquals(v.get(2), row.get(columns.indexOf("error_s" + v.get(0) + "_o" + v.get(1))));
            }
            for (List<Object> v : store.query("SELECT g.weight, g.gradient, u.before, u.delta, u.after FROM gradients g"
                    + " JOIN weight_updates u ON u.run_id = g.run_id AND u.epoch = g.epoch AND u.weight = g.weight"
                    + " WHERE g.run_id = 1 AND g.epoch = 17").rows()) {
                String w = (String) v.get(0);
                assertEquals(v.get(1), row.get(columns.indexOf("gradient_" + w)), w);
                assertEquals(v.get(2), row.get(columns.indexOf(w)), w);
                assertEquals(v.get(3), row.get(columns.indexOf("delta_" + w)), w);
                assertEquals(v.get(4), row.get(columns.indexOf("after_" + w)), w);
            }
            assertEquals(store.query("SELECT total_error FROM epoch_losses WHERE run_id = 1 AND epoch = 17").rows().get(0).get(0),
                    row.get(columns.indexOf("total_error")));
            assertEquals(3 + 13 + 3 * 4 * 4 + 4 + 1 + 13 + 2 * 13, columns.size());
        }
    }
}
