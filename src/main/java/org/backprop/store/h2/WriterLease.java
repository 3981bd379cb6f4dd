package org.backprop.store.h2;

import java.time.OffsetDateTime;
import java.util.Optional;
import org.backprop.events.ResumeRefusedException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * A writer's claim on one run, tied to the H2 session it writes through: while that session is open the run shows as
 * {@code running}; once the session is gone (the process ended, was killed, or lost its connection) and no terminal
 * event was recorded, it shows as {@code interrupted} and may be resumed.
 */
final class WriterLease {
    private static final String OWN_SESSION = "SELECT SESSION_ID, SESSION_START FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()";

    private final long runId;

    WriterLease(long runId) {
        this.runId = runId;
    }

    /** Who holds a run: a process named for people and whether its session is still open. */
    record Holder(String process, OffsetDateTime since, boolean alive) {
    }

    /** The run's registered writer, if a row names one (alive or not). */
    static Optional<Holder> holder(Handle h, long runId) {
        return h.createQuery("""
                SELECT process, since, bp_session_alive(session_id, session_start) AS alive FROM run_writers WHERE run_id = :run""")
                .bind("run", runId)
                .map((rs, ctx) -> new Holder(rs.getString("process"), rs.getObject("since", OffsetDateTime.class), rs.getBoolean("alive")))
                .findOne();
    }

    /**
     * Registers the handle's session as the run's writer, replacing a row whose session is gone; refuses when a live
     * session already writes the run. Call it inside the transaction that starts or resumes the run.
     */
    void acquire(Handle h) {
        Optional<Holder> current = holder(h, runId);
        if (current.isPresent()) {
            if (current.get().alive()) {
                throw busy(current.get());
            }
            h.createUpdate("DELETE FROM run_writers WHERE run_id = :run").bind("run", runId).execute();
        }
        try {
            h.createUpdate("INSERT INTO run_writers (run_id, session_id, session_start, process, since) "
                            + "SELECT :run, SESSION_ID, SESSION_START, :process, CURRENT_TIMESTAMP FROM (" + OWN_SESSION + ")")
                    .bind("run", runId).bind("process", thisProcess()).execute();
        } catch (UnableToExecuteStatementException e) {
            if (H2Errors.isDuplicateKey(e)) {
                throw new ResumeRefusedException("another process took run " + runId + " over a moment ago: 'backprop runs' shows who writes it", e);
            }
            throw e;
        }
    }

    /**
     * Makes sure the run's writer row still names this handle's session. H2 reconnects a client on its own when the
     * process that served the store exits, and the new session must take the claim over; a live rival refuses it.
     */
    void confirm(Handle h) {
        int mine = h.createQuery("SELECT COUNT(*) FROM run_writers w JOIN (" + OWN_SESSION + ") s"
                        + " ON w.session_id = s.SESSION_ID AND w.session_start = s.SESSION_START WHERE w.run_id = :run")
                .bind("run", runId).mapTo(Integer.class).one();
        if (mine == 0) {
            acquire(h);
        }
    }

    /** Gives the claim up, so the run shows as interrupted (or as ended, when the same transaction records its end). */
    void release(Handle h) {
        h.createUpdate("DELETE FROM run_writers WHERE run_id = :run AND session_id = SESSION_ID()").bind("run", runId).execute();
    }

    ResumeRefusedException busy(Holder holder) {
        return new ResumeRefusedException("run " + runId + " is still being written by process " + holder.process() + " (since "
                + holder.since() + "): wait for it to finish, or stop that process and resume the run then");
    }

    /** This process as a person would look for it: pid@host. */
    static String thisProcess() {
        return org.backprop.store.ThisProcess.name(300);
    }
}
