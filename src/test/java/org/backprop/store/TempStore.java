package org.backprop.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.backprop.store.h2.H2EventStore;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test an H2 store of its own, migrated by the real Flyway scripts, in a temporary folder that is removed
 * afterwards: {@code @RegisterExtension final TempStore store = new TempStore();} then {@code store.open()}, as often
 * as the test likes (every call opens the same store).
 */
public final class TempStore implements BeforeEachCallback, AfterEachCallback {
    private Path folder;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("backprop-test-");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Opens the test's store, creating it the first time. */
    public H2EventStore open() {
        return H2EventStore.open(location());
    }

    public StoreLocation location() {
        return StoreLocation.of(path().toString());
    }

    /** The store's path as {@code --db} names it ({@code path().mv.db} on disk). */
    public Path path() {
        return folder.resolve("store");
    }

    /** The test's folder, for other files it needs. */
    public Path folder() {
        return folder;
    }
}
