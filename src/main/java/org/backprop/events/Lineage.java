package org.backprop.events;

/** Where a forked run came from: its parent run and the epoch of the parent whose starting weights it took. */
public record Lineage(long parentRunId, int forkEpoch) {
}
