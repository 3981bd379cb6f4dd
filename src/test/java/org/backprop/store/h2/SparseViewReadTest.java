package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.InvalidQueryException;
import org.backprop.model.Activation;
import org.backprop.model.Dataset;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A view reads only the stored bytes that hold the values a query asks for: with a part of an epoch's stored row
 * gone, the values in the row's head still read, and a value in the missing part is named as missing.
 */
class SparseViewReadTest {
    @TempDir
    Path dir;

    @Test
    void aWeightInTheHeadOfAStoredRowReadsWithoutItsPartsAndOneInAMissingPartIsNamed() throws Exception {
        // 17,294 parameters: an epoch is 280 KB, so its stored row keeps 256 KiB in epoch_blocks and the rest in one part.
        Network network = new Network(new int[] {128, 130, 4}, List.of(Activation.SIGMOID, Activation.IDENTITY), true, true);
        double[] inputs = new double[128];
        Arrays.setAll(inputs, i -> (i % 10) / 10.0);
        RunConfig config = new RunConfig("parts", network, new Dataset(new double[][] {inputs}, new double[][] {{0.1, 0.2, 0.3, 0.4}}),
                Parameters.random(network, 2), 2L, 0.01, 2);
        try (H2EventStore store = H2EventStore.open(StoreLocation.of(dir.resolve("store").toString()))) {
            new Trainer(store).train(config, TrainingProgress.NONE);
            EpochRecorded epoch1 = store.epochs(1, 1, 1).get(0);
            try (Connection owner = StoreAccounts.owner(dir.resolve("store")); Statement s = owner.createStatement()) {
                s.execute("DROP TRIGGER epoch_parts_is_append_only");
                assertEquals(1, s.executeUpdate("DELETE FROM epoch_parts WHERE run_id = 1 AND epoch = 1"));
            }
            // The gradients start 17,696 doubles (141,568 bytes) into an epoch: w1's lies in the head, w17160's in part 1.
            assertEquals(List.of(List.of(epoch1.weightGradient(0))),
                    store.query("SELECT gradient FROM gradients WHERE run_id = 1 AND epoch = 1 AND weight = 'w1'").rows());
            InvalidQueryException e = assertThrows(InvalidQueryException.class,
                    () -> store.query("SELECT gradient FROM gradients WHERE run_id = 1 AND epoch = 1 AND weight = 'w17160'"));
            assertTrue(e.getMessage().contains("run 1 epoch 1 is missing stored bytes (part 1 of its row is not in epoch_parts): the store was"
                    + " changed behind the application's back ('backprop verify 1' says what differs)"), e.getMessage());
            assertEquals(17_294L, store.query("SELECT COUNT(*) FROM gradients WHERE run_id = 1 AND epoch = 0 AND gradient IS NOT NULL").rows().get(0).get(0),
                    "epoch 0 is whole");
            assertEquals(List.of(List.of(17_294L)), store.query("SELECT COUNT(*) FROM weight_updates WHERE run_id = 1 AND epoch = 1").rows(),
                    "counting rows reads no value at all");
        }
    }
}
