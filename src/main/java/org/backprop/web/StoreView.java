package org.backprop.web;

import java.util.List;
import java.util.Optional;
import org.backprop.events.EventStore;
import org.backprop.store.RunStore;
import org.backprop.store.RunSummary;

/**
 * Everything the web page reads from the store, in one place: the event store port that the commands' use cases read
 * through, and the run listing and sweep kinds only the H2 store offers so far. The server is given one, open for
 * reading only; it closes the store with itself.
 */
public final class StoreView implements AutoCloseable {
    private final RunStore store;

    public StoreView(RunStore store) {
        this.store = store;
    }

    /** The port that replay, diff, sweep and plot read through. */
    public EventStore events() {
        return store;
    }

    /** Every run, oldest first, as the {@code runs} view shows them (status {@code interrupted} included). */
    public List<RunSummary> runs() {
        return store.runs();
    }

    /** Whether the sweep was chained; empty when the store has no such sweep. */
    public Optional<Boolean> sweepChained(long sweepId) {
        return store.sweepChained(sweepId);
    }

    /** The store, named for a person. */
    public String describe() {
        return store.location().describe();
    }

    @Override
    public void close() {
        store.close();
    }
}
