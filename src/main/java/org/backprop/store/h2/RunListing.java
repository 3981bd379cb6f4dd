package org.backprop.store.h2;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.backprop.events.RunSummary;
import org.backprop.events.SweepRecord;
import org.jdbi.v3.core.Handle;

/** The store's runs and sweeps as lists: the {@code runs} view, run ids, a sweep's runs; and new sweeps. */
final class RunListing {
    private final Handle handle;

    RunListing(Handle handle) {
        this.handle = handle;
    }

    List<Long> runIds() {
        return handle.createQuery("SELECT run_id FROM run_started ORDER BY run_id").mapTo(Long.class).list();
    }

    List<RunSummary> runs(boolean withLosses) {
        // The loss columns are read only when named: they read every stored epoch of every run.
        String losses = withLosses ? "final_error, best_error, best_epoch" : "NULL AS final_error, NULL AS best_error, NULL AS best_epoch";
        return handle.createQuery("SELECT run_id, name, learning_rate, epochs, status, parent_run_id, fork_epoch, created_at, sweep_id, layers,"
                + " epochs_recorded, reason, " + losses + " FROM runs ORDER BY run_id").map((rs, ctx) -> {
            long parent = rs.getLong("parent_run_id");
            Long parentId = rs.wasNull() ? null : parent;
            int fork = rs.getInt("fork_epoch");
            Integer forkEpoch = rs.wasNull() ? null : fork;
            long sweep = rs.getLong("sweep_id");
            Long sweepId = rs.wasNull() ? null : sweep;
            return new RunSummary(rs.getLong("run_id"), rs.getString("name"), rs.getDouble("learning_rate"), rs.getInt("epochs"),
                    rs.getString("status"), parentId, forkEpoch, rs.getObject("created_at", OffsetDateTime.class), sweepId,
                    rs.getString("layers"), rs.getInt("epochs_recorded"), rs.getString("reason"), rs.getObject("final_error", Double.class),
                    rs.getObject("best_error", Double.class), rs.getObject("best_epoch", Integer.class));
        }).list();
    }

    long newSweep(boolean chained) {
        return newSweep(handle, chained);
    }

    /** Records a new sweep through {@code h}, in its transaction if it has one. */
    static long newSweep(Handle h, boolean chained) {
        return h.createUpdate("INSERT INTO sweeps (chained, created_at) VALUES (:chained, :at)")
                .bind("chained", chained)
                .bind("at", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS))
                .executeAndReturnGeneratedKeys("sweep_id").mapTo(Long.class).one();
    }

    Optional<SweepRecord> sweep(long sweepId) {
        return handle.createQuery("SELECT sweep_id, chained, created_at FROM sweeps WHERE sweep_id = :sweep").bind("sweep", sweepId)
                .map((rs, ctx) -> new SweepRecord(rs.getLong(1), rs.getBoolean(2), rs.getObject(3, OffsetDateTime.class).toInstant()))
                .findOne();
    }

    List<Long> sweepRuns(long sweepId) {
        return handle.createQuery("SELECT run_id FROM run_started WHERE sweep_id = :sweep ORDER BY run_id")
                .bind("sweep", sweepId).mapTo(Long.class).list();
    }
}
