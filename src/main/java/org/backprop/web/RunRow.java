package org.backprop.web;

import org.backprop.events.RunSummary;

/**
 * One run as the runs page lists it: its row of the {@code runs} view, its activations, and the last and lowest loss
 * it recorded (null until its losses have been read, or when it has no epochs).
 */
record RunRow(RunSummary summary, String activations, Double finalError, Double bestError, Integer bestEpoch) {

    long runId() {
        return summary.runId();
    }
}
