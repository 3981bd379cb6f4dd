package org.backprop.events;

import java.time.Instant;

/**
 * A run's terminal event as a store writes it: its status ({@link EventHashes#COMPLETED} or {@link EventHashes#FAILED}),
 * epoch, reason (failed runs), packed final parameters (completed runs), chain hash and time.
 */
public record RunEnding(String status, int epoch, String reason, byte[] finalParameters, byte[] hash, Instant at) {
    public RunEnding {
        finalParameters = finalParameters == null ? null : finalParameters.clone();
        hash = hash.clone();
    }

    @Override
    public byte[] finalParameters() {
        return finalParameters == null ? null : finalParameters.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunEnding e && status.equals(e.status) && epoch == e.epoch && java.util.Objects.equals(reason, e.reason)
                && java.util.Arrays.equals(finalParameters, e.finalParameters) && java.util.Arrays.equals(hash, e.hash) && at.equals(e.at);
    }

    @Override
    public int hashCode() {
        return status.hashCode() * 31 + epoch;
    }
}
