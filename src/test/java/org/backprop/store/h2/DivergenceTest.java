package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.backprop.events.RunFailed;
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

class DivergenceTest {
    @TempDir
    Path dir;

    @Test
    void identityOutputsWithTooLargeALearningRateStopAtTheFirstNonFiniteEpochAndEndFailed() {
        // Identity outputs do not saturate, so each step overshoots further than the last, until the doubles overflow.
        Network network = new Network(new int[] {2, 3, 2}, List.of(Activation.TANH, Activation.IDENTITY), true, true);
        Dataset data = new Dataset(new double[][] {{0.5, -1}, {2, 1}, {-1.5, 0.25}}, new double[][] {{1, 0}, {0, 1}, {3, -2}});
        RunConfig config = new RunConfig("too-fast", network, data, Parameters.random(network, 11), 11L, 4.0, 5000);
        try (H2EventStore store = H2EventStore.open(StoreLocation.of(dir.resolve("store").toString()))) {
            TrainingOutcome outcome = new Trainer(store).train(config, TrainingProgress.NONE);
            RunFailed failed = assertInstanceOf(RunFailed.class, outcome.end());
            long id = failed.runId();
            int epoch = failed.epoch();
            assertTrue(epoch > 10 && epoch < config.epochs(), "diverged after a while, at epoch " + epoch);
            assertTrue(failed.reason().endsWith(" at epoch " + epoch + "; the run stopped there (try a smaller learning rate)"), failed.reason());
            assertTrue(failed.reason().matches("(the loss|a net input|an activation|a delta .*|[wb][0-9]+.*) became .*"), failed.reason());

            // The epochs before it stay recorded, each as computed; the failing epoch recomputes to a value that is not finite.
            assertEquals(epoch, store.epochCount(id));
            assertEquals(epoch, StoreChecks.assertRecordedValuesRecompute(store, id));
            assertEquals(epoch, StoreChecks.assertChainIntact(store, id), "the terminal event is chained too");
            assertEquals(failed, store.ended(id).orElseThrow());
            assertEquals(List.of(List.of("failed", epoch, epoch, failed.reason())),
                    store.query("SELECT status, epochs_recorded, failed_epoch, reason FROM runs WHERE run_id = " + id).rows());
            assertEquals(List.of(List.of(epoch - 1)), store.query("SELECT MAX(epoch) FROM epoch_losses WHERE run_id = " + id).rows());
        }
    }
}
