package org.backprop.training;

import org.backprop.events.RunStarted;

/** Told when a run starts and after every epoch, so a terminal can show how far a run has got; implementations must be cheap. */
@FunctionalInterface
public interface TrainingProgress {
    TrainingProgress NONE = (epoch, total, loss) -> { };

    /** The run is recorded and about to train from epoch {@code from} (0, or where a resumed run goes on). */
    default void runStarted(RunStarted started, int from) {
    }

    void epochDone(int epoch, int total, double loss);
}
