package org.backprop.sweep;

import java.util.ArrayList;
import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.Lineage;

/**
 * The whole history of a run that may be a fork: its ancestors' epochs up to each fork point, then its own. A fork
 * copies no epochs, so its history is assembled from the runs that recorded them.
 */
public final class RunHistory {
    private RunHistory() {
    }

    /**
     * Epochs {@code firstEpoch..lastEpoch} of run {@code runId}, which are epochs {@code historyStart..} of the history.
     */
    public record Segment(long runId, int firstEpoch, int lastEpoch, int historyStart) {
        public int length() {
            return lastEpoch - firstEpoch + 1;
        }
    }

    /** The run's history as stretches of recorded runs, oldest first; stretches without epochs are left out. */
    public static List<Segment> segments(EventStore store, long runId) {
        List<long[]> reversed = new ArrayList<>();
        long run = runId;
        int ownEpochs = store.epochCount(runId);
        while (true) {
            reversed.add(new long[] {run, ownEpochs});
            Lineage lineage = store.started(run).lineage();
            if (lineage == null) {
                break;
            }
            run = lineage.parentRunId();
            ownEpochs = lineage.forkEpoch();
        }
        List<Segment> segments = new ArrayList<>();
        int start = 0;
        for (int i = reversed.size() - 1; i >= 0; i--) {
            int count = (int) reversed.get(i)[1];
            if (count > 0) {
                segments.add(new Segment(reversed.get(i)[0], 0, count - 1, start));
                start += count;
            }
        }
        return List.copyOf(segments);
    }

    /** Every epoch of the history in order; each keeps the run id and epoch number it was recorded under. */
    public static List<EpochRecorded> epochs(EventStore store, long runId) {
        List<EpochRecorded> out = new ArrayList<>();
        for (Segment s : segments(store, runId)) {
            out.addAll(store.epochs(s.runId(), s.firstEpoch(), s.lastEpoch()));
        }
        return out;
    }
}
