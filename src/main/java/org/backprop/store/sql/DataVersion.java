package org.backprop.store.sql;

import java.util.Arrays;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.table.Table;

/**
 * The data version of a derived table, which decides when H2 may reuse a result it computed from it: the last change
 * to the event tables the rows are derived from, as H2 counts changes ({@link Table#getMaxDataModificationId}).
 *
 * <p>Why it matters: H2 evaluates a subquery that does not refer to the outer query once per outer row unless its
 * tables say their rows have not changed since the statement began; {@code WHERE run_id = (SELECT run_id FROM runs
 * WHERE name = 'wide')} over a view of three million rows ran the subquery three million times (35 s instead of 3 s).
 * Two refinements keep that reuse right while another process records epochs:
 * <ul>
 * <li>a change made after the running statement began does not count against it: the event tables only grow
 * (whole epochs, whole runs), so what the statement computed once is what it saw at some moment of its own, and
 * the next statement, which begins after the change, does not reuse it;</li>
 * <li>a change the tables do not record can be added as a {@linkplain #changed() bump}: the runs table bumps the
 * version when a writer's session it reported alive has closed.</li>
 * </ul>
 */
final class DataVersion {
    /** A session and the thread it was last seen executing a statement on. */
    private record Executing(Thread thread, SessionLocal session) {
    }

    private final Database database;
    private final String[] sourceNames;
    private volatile Table[] sources;
    private volatile long bumped;
    private volatile SessionLocal[] watched = new SessionLocal[0];
    // A field rather than a thread-local: H2 asks for the version once per row of a query with a subquery, and a
    // thread-local lookup was a tenth of such a query. Sessions on other threads overwrite it; then current() sees a
    // thread that is not its own and answers as if it knew of no statement, which is never wrong, only less reused.
    private volatile Executing executing;

    DataVersion(Database database, String... sourceNames) {
        this.database = database;
        this.sourceNames = sourceNames.clone();
    }

    /** Notes that {@code session} is executing a statement on this thread (called as the statement reads the table). */
    void executing(SessionLocal session) {
        Executing seen = executing;
        Thread thread = Thread.currentThread();
        if (seen == null || seen.session != session || seen.thread != thread) {
            executing = new Executing(thread, session);
        }
    }

    /** The event tables the rows come from (those the store has; all of them once it is migrated). */
    Table[] sources() {
        Table[] s = sources;
        if (s == null || isStale(s)) {
            s = Arrays.stream(sourceNames).map(n -> database.getMainSchema().findTableOrView(null, n))
                    .filter(t -> t != null).toArray(Table[]::new);
            sources = s;
        }
        return s;
    }

    private boolean isStale(Table[] s) {
        if (s.length < sourceNames.length) {
            return true;
        }
        for (Table t : s) {
            if (!t.isValid()) {
                return true;
            }
        }
        return false;
    }

    /** Records a change the event tables do not show; every result computed before it is stale from now on. */
    void changed() {
        bumped = database.getNextModificationDataId();
    }

    /** Notes that rows were derived from {@code session} being open: its closing is a {@linkplain #changed() change}. */
    void dependsOnOpen(SessionLocal session) {
        synchronized (this) {
            for (SessionLocal s : watched) {
                if (s == session) {
                    return;
                }
            }
            SessionLocal[] more = Arrays.copyOf(watched, watched.length + 1);
            more[watched.length] = session;
            watched = more;
        }
    }

    private void noticeClosedSessions() {
        for (SessionLocal s : watched) {
            if (s.isClosed()) {
                synchronized (this) {
                    watched = Arrays.stream(watched).filter(w -> !w.isClosed()).toArray(SessionLocal[]::new);
                }
                changed();
                return;
            }
        }
    }

    /** The last change to the event tables (or bump), as any statement sees it. */
    long unadjusted() {
        noticeClosedSessions();
        long last = 0;
        for (Table t : sources()) {
            last = Math.max(last, t.getMaxDataModificationId());
        }
        return Math.max(last, bumped);
    }

    /** The version H2 compares with the start of a statement that reused a result (see above). */
    long current() {
        noticeClosedSessions();
        long last = 0;
        for (Table t : sources()) {
            last = Math.max(last, t.getMaxDataModificationId());
        }
        Executing seen = executing;
        SessionLocal session = seen == null || seen.thread != Thread.currentThread() ? null : seen.session;
        if (session != null && !session.isClosed() && session.isLockedByCurrentThread()) {
            // Changes committed since this statement began are not visible to it (see above).
            last = Math.min(last, session.getStatementModificationDataId());
        }
        return Math.max(last, bumped);
    }
}
