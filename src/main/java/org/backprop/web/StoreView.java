package org.backprop.web;

import java.util.List;
import java.util.Optional;
import org.backprop.events.EventStore;
import org.backprop.events.RunSummary;
import org.backprop.events.SweepRecord;

/**
 * Everything the web page reads from the store, in one place: the event store port the commands' use cases read
 * through, opened to watch (reading only, seeing the writers' commits as they are made). The server is given one; it
 * does not close it, {@code Main} does.
 */
public final class StoreView {
    private final EventStore store;

    public StoreView(EventStore store) {
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

    /** The same without the final and lowest losses, which read every stored epoch: for a listing that reads them itself. */
    public List<RunSummary> runsWithoutLosses() {
        return store.runs(false);
    }

    /** Whether the sweep was chained; empty when the store has no such sweep. */
    public Optional<Boolean> sweepChained(long sweepId) {
        return store.sweep(sweepId).map(SweepRecord::chained);
    }

    /** The store, named for a person. */
    public String describe() {
        return store.describe();
    }
}
