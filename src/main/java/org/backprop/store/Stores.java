package org.backprop.store;

import org.backprop.events.EventStore;
import org.backprop.store.h2.H2EventStore;

/** Opens the store a location names with the adapter its kind needs: the one place that knows every adapter. */
public final class Stores {
    private Stores() {
    }

    public static EventStore open(StoreLocation location, StoreAccess access) {
        return H2EventStore.open(location, access);
    }
}
