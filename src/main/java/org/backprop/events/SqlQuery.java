package org.backprop.events;

import java.time.Duration;

/**
 * One read-only query for a store's SQL console: its text, how long it may run, and a way to cancel it from another
 * thread (Ctrl-C), which the store passes on to wherever the query runs, a process serving the store included.
 */
public final class SqlQuery {
    private final String sql;
    private final Duration timeout;
    private Runnable canceller;
    private volatile boolean cancelled;

    public SqlQuery(String sql, Duration timeout) {
        this.sql = sql;
        this.timeout = timeout;
    }

    public String sql() {
        return sql;
    }

    /** How long the query may run before the store stops it. */
    public Duration timeout() {
        return timeout;
    }

    /** Asks the store to stop the query now. */
    public void cancel() {
        Runnable c;
        synchronized (this) {
            cancelled = true;
            c = canceller;
        }
        if (c != null) {
            c.run();
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Called by the store once the query runs: how to stop it. Runs at once when the query was cancelled already. */
    public void whenCancelled(Runnable c) {
        boolean now;
        synchronized (this) {
            canceller = c;
            now = cancelled;
        }
        if (now) {
            c.run();
        }
    }
}
