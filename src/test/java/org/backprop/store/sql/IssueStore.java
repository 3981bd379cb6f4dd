package org.backprop.store.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.backprop.model.RunConfig;
import org.backprop.store.StoreLocation;
import org.backprop.store.h2.H2EventStore;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The store the SQL issue's wrong answers were seen on, as {@code backprop train} makes it: run 1 'seed', the
 * tutorial's run of 100 epochs, and run 2 'long', the same network trained for 20,000 epochs. One per test class:
 * {@code @RegisterExtension static final IssueStore issue = new IssueStore();} then {@code issue.store()}.
 */
final class IssueStore implements BeforeAllCallback, AfterAllCallback {
    private Path folder;
    private H2EventStore store;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("backprop-issue-store-");
        store = open(folder);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    H2EventStore store() {
        return store;
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
