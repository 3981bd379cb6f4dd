package org.backprop.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.backprop.events.ResumeRefusedException;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.model.RunConfig;

/**
 * The database is the queue: a queued sweep is its start events and a row of {@code planned_runs} each, and a worker
 * claims the first run of them that has not ended and whose lease nobody holds, locking its row with
 * {@code FOR UPDATE SKIP LOCKED} so that workers claiming at once take different runs. The claim is the run's lease,
 * held for as long as the worker trains it: a run whose worker died shows as interrupted and is claimed again, and
 * continues from its last stored epoch.
 */
final class PostgresQueue {
    private static final String UNENDED = "NOT EXISTS (SELECT 1 FROM run_ended e WHERE e.run_id = q.run_id)";

    private final PostgresRecording recording;
    private final Connection connection;
    private final String where;

    PostgresQueue(PostgresRecording recording, Connection connection, String where) {
        this.recording = recording;
        this.connection = connection;
        this.where = where;
    }

    /** Records the sweep's runs' start events and their places in the queue, all in one transaction. */
    void queue(long sweepId, List<RunConfig> configs) {
        try (Connection writer = recording.writer()) {
            try {
                Instant now = Instant.now();
                try (PreparedStatement s = writer.prepareStatement("INSERT INTO planned_runs (run_id, sweep_id, position) VALUES (?, ?, ?)")) {
                    for (int i = 0; i < configs.size(); i++) {
                        RunStarted started = PostgresRecording.insertStart(writer, configs.get(i), null, sweepId, null, null, now).started();
                        s.setLong(1, started.runId());
                        s.setLong(2, sweepId);
                        s.setInt(3, i);
                        s.executeUpdate();
                    }
                }
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                writer.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "queueing a sweep", e);
        }
    }

    /** The next queued run nobody trains, with its lease taken, or empty when there is none to take now. */
    Optional<RunRecorder> claim(Long sweepId) {
        Connection writer = null;
        try {
            writer = recording.writer();
            String sql = "SELECT q.run_id FROM planned_runs q WHERE " + (sweepId == null ? "" : "q.sweep_id = ? AND ") + UNENDED
                    + " AND q.run_id NOT IN (SELECT bp_leased_runs()) ORDER BY q.sweep_id, q.position FOR UPDATE OF q SKIP LOCKED LIMIT 1";
            while (true) {
                long runId;
                try (PreparedStatement s = writer.prepareStatement(sql)) {
                    if (sweepId != null) {
                        s.setLong(1, sweepId);
                    }
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            writer.rollback();
                            PostgresOpening.closeQuietly(writer);
                            return Optional.empty();
                        }
                        runId = rs.getLong(1);
                    }
                }
                RunStarted started = PostgresReads.find(writer, runId, where).orElseThrow();
                try {
                    // Takes the lease, then lets go of the row (the claim commits): from here the lease keeps others off.
                    return Optional.of(recording.continuing(writer, started));
                } catch (ResumeRefusedException raced) {
                    // Another worker took it (or it ended) between the look and the lease: look again.
                    writer.rollback();
                }
            }
        } catch (SQLException e) {
            if (writer != null) {
                PostgresOpening.closeQuietly(writer);
            }
            throw PostgresErrors.unexpected(where, "claiming a queued run", e);
        } catch (RuntimeException e) {
            if (writer != null) {
                PostgresOpening.closeQuietly(writer);
            }
            throw e;
        }
    }

    /** How many queued runs (of the sweep, or of every sweep) have no terminal event yet: planned, training, or interrupted. */
    int unfinished(Long sweepId) {
        try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM planned_runs q WHERE "
                + (sweepId == null ? "" : "q.sweep_id = ? AND ") + UNENDED)) {
            if (sweepId != null) {
                s.setLong(1, sweepId);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "counting its queued runs", e);
        }
    }
}
