package org.backprop.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * A run's start and terminal events as stored, with the hashes stored beside them and the start event's configuration
 * text as stored; its epochs come separately, as {@link EpochBlock}s.
 *
 * @param endHash the terminal event's stored hash, or null when the run has not ended
 */
public record StoredRun(RunStarted started, String config, byte[] startHash, Optional<RunEvent> end, byte[] endHash) {

    public StoredRun {
        startHash = startHash.clone();
        endHash = endHash == null ? null : endHash.clone();
    }

    @Override
    public byte[] startHash() {
        return startHash.clone();
    }

    @Override
    public byte[] endHash() {
        return endHash == null ? null : endHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredRun s && started.equals(s.started) && config.equals(s.config)
                && Arrays.equals(startHash, s.startHash) && end.equals(s.end) && Arrays.equals(endHash, s.endHash);
    }

    @Override
    public int hashCode() {
        return started.hashCode();
    }
}
