package org.backprop.training;

import org.backprop.events.RunEvent;
import org.backprop.events.RunStarted;

/**
 * How a training run ended: its start event, its terminal event (completed or failed; null when it was stopped
 * before its end), the number of epochs it has recorded, and the loss of the first and last epochs trained here
 * (NaN when there were none).
 */
public record TrainingOutcome(RunStarted started, RunEvent end, int epochsRecorded, double firstLoss, double lastLoss) {

    /** True when training stopped on request before the run's end: the run has no terminal event and can be resumed. */
    public boolean interrupted() {
        return end == null;
    }
}
