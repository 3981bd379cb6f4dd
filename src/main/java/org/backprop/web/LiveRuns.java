package org.backprop.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backprop.model.Activation;
import org.backprop.events.RunSummary;

/**
 * Watches the store for new runs, new epochs and ended runs, a few times a second, and keeps the runs page's rows up
 * to date; whoever waits for a change (an event stream) is woken when one is seen. Every change has a version, so a
 * stream that reconnects is sent what changed since the last version it saw.
 */
final class LiveRuns implements AutoCloseable {
    static final long POLL_MILLIS = 250;

    private final StoreView view;
    private final LossCurves losses;
    private final Thread poller;
    private volatile boolean closed;
    private final Object changes = new Object();
    private long version;
    private boolean indexed;
    private Map<Long, RunRow> rows = new LinkedHashMap<>();
    private final Map<Long, Long> changedAt = new HashMap<>();
    private volatile String lastError;
    private long lastFullLook;

    LiveRuns(StoreView view, LossCurves losses) {
        this.view = view;
        this.losses = losses;
        this.poller = Thread.ofPlatform().daemon().name("backprop-ui-watch").unstarted(this::watch);
    }

    void start() {
        poller.start();
    }

    /** The rows at one version: every run, oldest first, and whether every run's losses have been read yet. */
    record Snapshot(long version, List<RunRow> rows, boolean indexed) {
    }

    Snapshot snapshot() {
        synchronized (changes) {
            return new Snapshot(version, List.copyOf(rows.values()), indexed);
        }
    }

    /** The row of one run as last seen, or null when the store had no such run then. */
    RunRow row(long runId) {
        synchronized (changes) {
            return rows.get(runId);
        }
    }

    /** The rows that changed after {@code seen}, oldest run first. */
    List<RunRow> changedSince(long seen) {
        synchronized (changes) {
            List<RunRow> out = new ArrayList<>();
            for (RunRow r : rows.values()) {
                if (changedAt.getOrDefault(r.runId(), 0L) > seen) {
                    out.add(r);
                }
            }
            return out;
        }
    }

    /** Waits until the version passes {@code seen}, or at most {@code millis}; returns the version then. */
    long awaitChange(long seen, long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        synchronized (changes) {
            while (version <= seen && !closed) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                changes.wait(left);
            }
            return version;
        }
    }

    long version() {
        synchronized (changes) {
            return version;
        }
    }

    boolean closed() {
        return closed;
    }

    /** Why the last look at the store failed, or null when it worked. */
    String lastError() {
        return lastError;
    }

    /**
     * Looks at the store now, so that a stream that just opened starts from what is committed now, not from what the
     * last look saw (up to a poll ago, longer on a busy machine).
     */
    void lookNow() {
        // A look under way gives as fresh a state: wait for it instead of making another.
        if (!looking.tryLock()) {
            looking.lock();
            looking.unlock();
            return;
        }
        try {
            look(false);
        } catch (RuntimeException e) {
            lastError = e.getMessage();
        } finally {
            looking.unlock();
        }
    }

    /** One look at a time: the watcher's and a new stream's. */
    private final java.util.concurrent.locks.ReentrantLock looking = new java.util.concurrent.locks.ReentrantLock();

    private void watch() {
        boolean first = true;
        while (!closed) {
            try {
                looking.lock();
                try {
                    look(first);
                } finally {
                    looking.unlock();
                }
                first = false;
                lastError = null;
            } catch (RuntimeException e) {
                // The store passing from one process to another, say: try again at the next look.
                lastError = e.getMessage();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Whether the store may have changed since the last full look: a run was added, or one that has not ended has more
     * epochs or an end; and every two seconds while runs have not ended, whose writers may since have gone (interrupted).
     * Asking costs a list of run ids and an index lookup or two per unfinished run, where the full look costs a query of
     * the {@code runs} view (15 ms for 1,000 runs).
     */
    private boolean mayHaveChanged(Map<Long, RunRow> previous) {
        List<Long> ids = view.events().runIds();
        if (ids.size() != previous.size() || !previous.keySet().containsAll(ids)) {
            return true;
        }
        boolean unfinished = false;
        for (RunRow r : previous.values()) {
            String status = r.summary().status();
            if (status.equals("running") || status.equals("interrupted")) {
                unfinished = true;
                long id = r.runId();
                if (view.events().epochCount(id) != r.summary().epochsRecorded() || view.events().ended(id).isPresent()) {
                    return true;
                }
            }
        }
        return unfinished && System.currentTimeMillis() - lastFullLook > 2000;
    }

    private void look(boolean first) {
        Map<Long, RunRow> previous;
        synchronized (changes) {
            previous = rows;
        }
        if (!first && !mayHaveChanged(previous)) {
            return;
        }
        lastFullLook = System.currentTimeMillis();
        List<RunSummary> listed = view.runsWithoutLosses();
        Map<Long, RunRow> next = new LinkedHashMap<>();
        List<RunSummary> toRead = new ArrayList<>();
        for (RunSummary s : listed) {
            RunRow old = previous.get(s.runId());
            if (old != null && old.summary().epochsRecorded() == s.epochsRecorded() && old.summary().status().equals(s.status())) {
                next.put(s.runId(), old);
            } else {
                // Shown at once with the losses known so far; read up to date below.
                next.put(s.runId(), old == null ? new RunRow(s, activations(s.runId()), null, null, null)
                        : new RunRow(s, old.activations(), old.finalError(), old.bestError(), old.bestEpoch()));
                toRead.add(s);
            }
        }
        publish(next);
        // The losses of short runs first, so most of the page is complete at once; a long run's take a moment.
        toRead.sort(Comparator.comparingInt(RunSummary::epochsRecorded));
        for (RunSummary s : toRead) {
            if (closed) {
                return;
            }
            LossSeries series = losses.upToDate(s.runId());
            RunRow shown = next.get(s.runId());
            boolean any = series.count() > 0;
            next = new LinkedHashMap<>(next);
            next.put(s.runId(), new RunRow(shown.summary(), shown.activations(), any ? series.last() : null,
                    any ? series.best() : null, any ? series.bestEpoch() : null));
            publish(next);
        }
        if (first) {
            synchronized (changes) {
                indexed = true;
                version++;
                changes.notifyAll();
            }
        }
    }

    /** Makes {@code next} the rows; every row that is not the very one shown before counts as changed. */
    private void publish(Map<Long, RunRow> next) {
        synchronized (changes) {
            long v = version + 1;
            boolean changed = false;
            for (RunRow r : next.values()) {
                if (rows.get(r.runId()) != r) {
                    changedAt.put(r.runId(), v);
                    changed = true;
                }
            }
            rows = next;
            if (changed) {
                version = v;
                changes.notifyAll();
            }
        }
    }

    private String activations(long runId) {
        return String.join(",", view.events().started(runId).config().network().activations().stream().map(Activation::label).toList());
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
        synchronized (changes) {
            changes.notifyAll();
        }
    }
}
