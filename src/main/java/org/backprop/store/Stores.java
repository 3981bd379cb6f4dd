package org.backprop.store;

import java.util.function.Consumer;
import org.backprop.events.EventStore;
import org.backprop.store.h2.H2EventStore;
import org.backprop.store.postgres.PostgresEventStore;

/**
 * Opens the store a location names with the adapter its kind needs, chosen by its URL (a {@code jdbc:postgresql:} URL
 * is a PostgreSQL team store, anything else H2): the one place that knows every adapter.
 */
public final class Stores {
    private Stores() {
    }

    public static EventStore open(StoreLocation location, StoreAccess access) {
        return open(location, access, notice -> { });
    }

    /** Opens the store, telling {@code notices} what the person running the command should know about it (one line each). */
    public static EventStore open(StoreLocation location, StoreAccess access, Consumer<String> notices) {
        return location.isPostgres() ? PostgresEventStore.open(location, access, notices) : H2EventStore.open(location, access, notices);
    }
}
