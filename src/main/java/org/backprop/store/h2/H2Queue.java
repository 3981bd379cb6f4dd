package org.backprop.store.h2;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import org.backprop.events.ResumeRefusedException;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.model.RunConfig;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The H2 store's queue of sweeps for workers, as the PostgreSQL store keeps it: a queued sweep is its start events and
 * a row of {@code planned_runs} each. H2 has no {@code SKIP LOCKED} over sessions of other processes that a claim could
 * rely on, so a claim is the run's writer lease itself: {@code run_writers}' primary key lets one session take it, and
 * a worker that loses the race for a run goes on to the next one. A run whose worker died shows as interrupted (its
 * lease's session is gone) and is claimed again, continuing from its last stored epoch.
 */
final class H2Queue {
    /** The sweep asked for, or every sweep when :sweep is null. */
    private static final String OF_SWEEP = "q.sweep_id = COALESCE(CAST(:sweep AS BIGINT), q.sweep_id) AND ";
    private static final String UNENDED = "NOT EXISTS (SELECT 1 FROM run_ended e WHERE e.run_id = q.run_id)";
    private static final String UNLEASED = "NOT EXISTS (SELECT 1 FROM run_writers w WHERE w.run_id = q.run_id"
            + " AND bp_session_alive(w.session_id, w.session_start))";

    private final Jdbi jdbi;
    private final RunRecording recording;

    H2Queue(Jdbi jdbi, RunRecording recording) {
        this.jdbi = jdbi;
        this.recording = recording;
    }

    /** Records the sweep's runs' start events and their places in the queue, all in one transaction. */
    void queue(long sweepId, List<RunConfig> configs) {
        try (Handle writer = jdbi.open()) {
            writer.useTransaction(h -> {
                Instant now = Instant.now();
                for (int i = 0; i < configs.size(); i++) {
                    RunStarted started = RunRecording.insertStart(h, configs.get(i), null, sweepId, null, now);
                    h.createUpdate("INSERT INTO planned_runs (run_id, sweep_id, position) VALUES (:run, :sweep, :position)")
                            .bind("run", started.runId()).bind("sweep", sweepId).bind("position", i).execute();
                }
            });
        }
    }

    /** The queued runs nobody trains now (of the sweep, or of every sweep), in queue order. */
    List<Long> candidates(Handle h, Long sweepId) {
        return h.createQuery("SELECT q.run_id FROM planned_runs q WHERE " + OF_SWEEP + UNENDED + " AND " + UNLEASED
                + " ORDER BY q.sweep_id, q.position").bind("sweep", sweepId).mapTo(Long.class).list();
    }

    /**
     * The first of the {@code candidates} whose lease this process takes, or empty when another took each; {@code
     * started} reads a run's start event.
     */
    Optional<RunRecorder> claim(List<Long> candidates, LongFunction<RunStarted> started) {
        for (long runId : candidates) {
            try {
                return Optional.of(recording.resume(started.apply(runId)));
            } catch (ResumeRefusedException taken) {
                // Another worker took it (or ended it) between the look and the lease: try the next.
            } catch (RuntimeException e) {
                if (!lostTheRace(e)) {
                    throw e;
                }
            }
        }
        return Optional.empty();
    }

    /** How many queued runs (of the sweep, or of every sweep) have no terminal event yet: planned, training, or interrupted. */
    int unfinished(Handle h, Long sweepId) {
        return h.createQuery("SELECT COUNT(*) FROM planned_runs q WHERE " + OF_SWEEP + UNENDED)
                .bind("sweep", sweepId).mapTo(Integer.class).one();
    }

    /**
     * Two workers replacing the same dead lease at once: the second finds the row it deletes changed (H2's concurrent
     * update), the row it inserts there already (duplicate key), or waits on the first one's lock past the timeout.
     */
    private static boolean lostTheRace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == org.h2.api.ErrorCode.CONCURRENT_UPDATE_1
                    || sql.getErrorCode() == org.h2.api.ErrorCode.LOCK_TIMEOUT_1 || "23505".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
