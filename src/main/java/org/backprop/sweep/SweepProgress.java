package org.backprop.sweep;

/**
 * Told after every epoch of every run of a sweep, so a terminal can show how far the sweep has got. Runs of an
 * independent sweep train at once, so implementations are called from several threads, and must be cheap.
 */
@FunctionalInterface
public interface SweepProgress {
    SweepProgress NONE = (run, epoch, total, loss) -> { };

    /** The sweep's run number {@code run} (0 for the first rate) is recorded and about to train. */
    default void runStarted(int run, org.backprop.events.RunStarted started) {
    }

    /** Epoch {@code epoch} (of {@code total}) of the sweep's run number {@code run} (0 for the first rate) is done. */
    void epochDone(int run, int epoch, int total, double loss);
}
