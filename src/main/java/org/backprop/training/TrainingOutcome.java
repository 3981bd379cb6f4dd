package org.backprop.training;

import org.backprop.events.RunEvent;
import org.backprop.events.RunStarted;

/**
 * How a training run ended: its start event, its terminal event (completed or failed), and the loss of its first and
 * last recorded epochs (NaN when it recorded none).
 */
public record TrainingOutcome(RunStarted started, RunEvent end, int epochsRecorded, double firstLoss, double lastLoss) {
}
