package org.backprop.events;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * One row of the {@code runs} view. Its status is {@code completed} or {@code failed} once the run has ended; before
 * that {@code running} while a live process writes it, {@code planned} when it is a queued sweep's run that no
 * worker has begun, else {@code interrupted}. {@code finalError}, {@code bestError} and {@code bestEpoch} are its
 * final loss, lowest loss and the first epoch with it (see {@link LossTally}), null for a run with no epoch recorded.
 */
public record RunSummary(long runId, String name, double learningRate, int epochs, String status, Long parentRunId,
                         Integer forkEpoch, OffsetDateTime createdAt, Long sweepId, String layers, int epochsRecorded,
                         String reason, Double finalError, Double bestError, Integer bestEpoch) {

    /** The columns of {@link #row()}, as {@code backprop runs} prints them. */
    public static final List<String> COLUMNS = List.of("run_id", "name", "layers", "learning_rate", "epochs", "epochs_recorded",
            "status", "final_error", "best_error", "best_epoch", "parent_run_id", "fork_epoch", "sweep_id", "created_at", "reason");

    /** The run as one row of {@link #COLUMNS}. */
    public List<Object> row() {
        return Arrays.asList(runId, name, layers, learningRate, epochs, epochsRecorded, status, finalError, bestError, bestEpoch, parentRunId,
                forkEpoch, sweepId, createdAt == null ? null : createdAt.toString(), reason);
    }
}
