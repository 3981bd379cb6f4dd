package org.backprop.events;

import java.time.Instant;

/** A learning-rate sweep as the store records it: its id, whether each run continued from the previous one, and when. */
public record SweepRecord(long sweepId, boolean chained, Instant createdAt) {
}
