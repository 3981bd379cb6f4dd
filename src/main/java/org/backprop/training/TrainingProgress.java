package org.backprop.training;

/** Told after every epoch, so a terminal can show how far a run has got; implementations must be cheap. */
@FunctionalInterface
public interface TrainingProgress {
    TrainingProgress NONE = (epoch, total, loss) -> { };

    void epochDone(int epoch, int total, double loss);
}
