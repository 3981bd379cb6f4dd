package org.backprop.events;

import java.time.Instant;
import org.backprop.model.RunConfig;

/** A run began: its complete configuration, initial parameters included, and where it came from. */
public record RunStarted(long runId, RunConfig config, Lineage lineage, Long sweepId, Instant createdAt) implements RunEvent {
    public RunStarted {
        if (runId < 1) {
            throw new IllegalArgumentException("run ids are positive, not " + runId);
        }
    }
}
