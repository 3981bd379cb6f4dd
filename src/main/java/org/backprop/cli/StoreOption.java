package org.backprop.cli;

import org.backprop.store.RunStore;
import org.backprop.store.StoreLocation;
import picocli.CommandLine.Option;

/** The {@code --db} option every command shares. */
final class StoreOption {
    @Option(names = "--db", paramLabel = "PATH|URL",
            description = "The store: an H2 file path (PATH.mv.db on disk) or a jdbc:h2: URL. Default: $BACKPROP_DB, else ./backprop-store.")
    String db;

    StoreLocation location() {
        return StoreLocation.resolve(db, System.getenv(StoreLocation.ENVIRONMENT_VARIABLE));
    }

    RunStore open() {
        return RunStore.open(location());
    }

    /** The store, which must exist already, for reading only: the web page. */
    RunStore openReadOnly() {
        return RunStore.openReadOnly(location());
    }

    /** The store, which must exist already: commands that only read or continue runs never create one. */
    RunStore openExisting() {
        return RunStore.openExisting(location());
    }
}
