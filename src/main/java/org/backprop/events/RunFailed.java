package org.backprop.events;

import java.time.Instant;

/** A run stopped because epoch {@code epoch} could not be trained (a value became NaN or infinite); earlier epochs stay recorded. */
public record RunFailed(long runId, int epoch, String reason, Instant endedAt) implements RunEvent {
}
