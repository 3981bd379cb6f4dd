package org.backprop.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.backprop.events.EventStore;
import org.backprop.events.SweepRecord;

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

    /** Whether every run has ended, completed or failed (a queued sweep's runs end as workers train them). */
    public boolean allEnded() {
        return runs.stream().allMatch(SweepRun::ended);
    }

    /**
     * The sweep as the store holds it now, its runs in the order they were started; empty when the store has no such
     * sweep. (The rates a chained sweep did not reach were never recorded, so none are listed.)
     */
    public static Optional<SweepResult> recorded(EventStore store, long sweepId) {
        Optional<SweepRecord> sweep = store.sweep(sweepId);
        if (sweep.isEmpty()) {
            return Optional.empty();
        }
        List<SweepRun> runs = new ArrayList<>();
        for (long id : store.sweepRuns(sweepId)) {
            runs.add(SweepRun.load(store, id));
        }
        return Optional.of(new SweepResult(sweepId, sweep.get().chained(), runs, List.of()));
    }
}
