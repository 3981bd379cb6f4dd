package org.backprop.events;

import java.time.Instant;
import org.backprop.model.Parameters;

/** A run trained all its planned epochs; {@code finalParameters} are the weights after the last update. */
public record RunCompleted(long runId, int epochs, Parameters finalParameters, Instant endedAt) implements RunEvent {
}
