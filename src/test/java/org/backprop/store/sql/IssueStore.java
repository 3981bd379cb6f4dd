package org.backprop.store.sql;

import java.nio.file.Path;
import org.backprop.model.RunConfig;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.StoreLocation;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;

/**
 * The store the SQL issue's wrong answers were seen on, as {@code backprop train} makes it: run 1 'seed', the
 * tutorial's run of 100 epochs, and run 2 'long', the same network trained for 20,000 epochs.
 */
final class IssueStore {
    private IssueStore() {
    }

    static H2EventStore open(Path dir) {
        H2EventStore store = H2EventStore.open(StoreLocation.of(dir.resolve("issue").toString()));
        if (store.runIds().isEmpty()) {
            Trainer trainer = new Trainer(store);
            trainer.train(RunConfig.seed(), TrainingProgress.NONE);
            trainer.train(RunConfig.seed().withName("long").withEpochs(20_000), TrainingProgress.NONE);
        }
        return store;
    }
}
