package org.backprop.sweep;

import java.util.List;

/**
 * A recorded learning-rate sweep: its id, whether it was chained (each rate from the previous run's final weights)
 * or independent (every rate from the same initial weights), its runs in the order of the rates, and the rates a
 * chained sweep did not reach because a run before them failed.
 */
public record SweepResult(long sweepId, boolean chained, List<SweepRun> runs, List<Double> notRun) {
    public SweepResult {
        runs = List.copyOf(runs);
        notRun = List.copyOf(notRun);
    }

    public boolean allCompleted() {
        return notRun.isEmpty() && runs.stream().allMatch(SweepRun::completed);
    }
}
