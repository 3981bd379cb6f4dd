package org.backprop.events;

import java.time.Instant;
import org.backprop.model.Parameters;

/**
 * A run trained all its planned epochs, or stopped early as its configuration asked ({@code reason} then says why:
 * its loss fell below the target); {@code finalParameters} are the weights after the last update.
 */
public record RunCompleted(long runId, int epochs, Parameters finalParameters, Instant endedAt, String reason) implements RunEvent {

    /** A run that trained every planned epoch. */
    public RunCompleted(long runId, int epochs, Parameters finalParameters, Instant endedAt) {
        this(runId, epochs, finalParameters, endedAt, null);
    }
}
