package org.backprop.events;

import java.time.OffsetDateTime;

/** One row of the {@code runs} view. */
public record RunSummary(long runId, String name, double learningRate, int epochs, String status, Long parentRunId,
                         Integer forkEpoch, OffsetDateTime createdAt, Long sweepId, String layers, int epochsRecorded,
                         String reason) {
}
