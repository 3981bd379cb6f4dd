package org.backprop.events;

/** Something that happened to a training run; a run is the ordered stream of its events, appended and never changed. */
public sealed interface RunEvent permits RunStarted, EpochRecorded, RunCompleted, RunFailed {
    long runId();
}
