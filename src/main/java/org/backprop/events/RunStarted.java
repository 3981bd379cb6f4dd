package org.backprop.events;

import java.time.Instant;
import org.backprop.model.RunConfig;

/**
 * A run began: its complete configuration, initial parameters included, and where it came from: a parent run it was
 * forked from, a sweep, (with a {@code source}) a spreadsheet whose values it records as they stand, and (with
 * {@code importedFrom}) the store and file it was imported from.
 */
public record RunStarted(long runId, RunConfig config, Lineage lineage, Long sweepId, Instant createdAt, SheetSource source,
                         ImportOrigin importedFrom) implements RunEvent {
    public RunStarted {
        if (runId < 1) {
            throw new IllegalArgumentException("run ids are positive, not " + runId);
        }
    }

    /** A run trained by this program (no sheet source). */
    public RunStarted(long runId, RunConfig config, Lineage lineage, Long sweepId, Instant createdAt) {
        this(runId, config, lineage, sweepId, createdAt, null, null);
    }

    /** A run recorded here, trained or from a sheet (not imported). */
    public RunStarted(long runId, RunConfig config, Lineage lineage, Long sweepId, Instant createdAt, SheetSource source) {
        this(runId, config, lineage, sweepId, createdAt, source, null);
    }

    /** Whether the run's values were recorded from a spreadsheet rather than computed here, so they cannot be re-executed. */
    public boolean recordedFromSheet() {
        return source != null;
    }
}
