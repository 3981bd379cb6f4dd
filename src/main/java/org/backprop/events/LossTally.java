package org.backprop.events;

/**
 * A run's final loss, its lowest loss and the first epoch with it, tallied epoch by epoch in order: the
 * {@code final_error}, {@code best_error} and {@code best_epoch} of the {@code runs} view. A NaN loss is never the
 * lowest; a run whose every loss is NaN has no lowest.
 */
public final class LossTally {
    private double last = Double.NaN;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private int epochs;

    /** Counts the loss of the next epoch recorded. */
    public void add(int epoch, double loss) {
        if (loss < best || (bestEpoch < 0 && !Double.isNaN(loss))) {
            best = loss;
            bestEpoch = epoch;
        }
        last = loss;
        epochs++;
    }

    /** The last epoch's loss, null before the first. */
    public Double finalError() {
        return epochs == 0 ? null : last;
    }

    /** The lowest loss, null when no loss was a number. */
    public Double bestError() {
        return bestEpoch < 0 ? null : best;
    }

    /** The first epoch with the lowest loss, null when no loss was a number. */
    public Integer bestEpoch() {
        return bestEpoch < 0 ? null : bestEpoch;
    }
}
