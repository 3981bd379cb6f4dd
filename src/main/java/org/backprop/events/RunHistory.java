package org.backprop.events;

import java.util.ArrayList;
import java.util.List;

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
        List<long[]> chain = new ArrayList<>();
        long run = runId;
        int ownEpochs = store.epochCount(runId);
        while (true) {
            chain.add(new long[] {run, ownEpochs});
            Lineage lineage = store.started(run).lineage();
            if (lineage == null) {
                break;
            }
            run = lineage.parentRunId();
            ownEpochs = lineage.forkEpoch();
        }
        return segments(chain);
    }

    /**
     * The stretches of a history given its chain, the run itself first and its root last: each run and how many of its
     * epochs the history takes from it (its own recorded epochs, then each parent's epochs before the fork).
     */
    public static List<Segment> segments(List<long[]> chain) {
        List<Segment> segments = new ArrayList<>();
        int start = 0;
        for (int i = chain.size() - 1; i >= 0; i--) {
            int count = (int) chain.get(i)[1];
            if (count > 0) {
                segments.add(new Segment(chain.get(i)[0], 0, count - 1, start));
                start += count;
            }
        }
        return List.copyOf(segments);
    }

    /** How many history epochs two histories read from the same recorded epochs, from the start. */
    public static int sharedEpochs(List<Segment> sa, List<Segment> sb) {
        int shared = 0;
        for (int i = 0; i < Math.min(sa.size(), sb.size()); i++) {
            Segment x = sa.get(i);
            Segment y = sb.get(i);
            if (x.runId() != y.runId() || x.historyStart() != y.historyStart()) {
                break;
            }
            shared = x.historyStart() + Math.min(x.length(), y.length());
            if (x.length() != y.length()) {
                break;
            }
        }
        return shared;
    }

    /** Every epoch of the history in order; each keeps the run id and epoch number it was recorded under. */
    public static List<EpochRecorded> epochs(EventStore store, long runId) {
        List<EpochRecorded> out = new ArrayList<>();
        for (Segment s : segments(store, runId)) {
            out.addAll(store.epochs(s.runId(), s.firstEpoch(), s.lastEpoch()));
        }
        return out;
    }

    /** History epochs {@code from..to} of the run's history (as far as it goes), from the runs that recorded them. */
    public static List<EpochRecorded> epochs(List<Segment> segments, EventStore store, int from, int to) {
        List<EpochRecorded> out = new ArrayList<>();
        for (Segment s : segments) {
            int first = Math.max(from, s.historyStart());
            int last = Math.min(to, s.historyStart() + s.length() - 1);
            if (first <= last) {
                out.addAll(store.epochs(s.runId(), first - s.historyStart() + s.firstEpoch(), last - s.historyStart() + s.firstEpoch()));
            }
        }
        return out;
    }

    /** The history epoch of the run's own epoch 0: the epochs its ancestors recorded before each fork point. */
    public static int start(EventStore store, long runId) {
        int start = 0;
        for (Lineage l = store.started(runId).lineage(); l != null; l = store.started(l.parentRunId()).lineage()) {
            start += l.forkEpoch();
        }
        return start;
    }

    /**
     * What two runs' histories have in common: the history epochs both read from the same recorded epochs (0 when the
     * runs share no ancestry, or the one they share recorded nothing before they parted), and a sentence saying so.
     */
    public record Shared(int epochs, String statement) {
    }

    public static Shared shared(EventStore store, long a, long b) {
        List<Long> ancestorsOfA = lineage(store, a);
        List<Long> ancestorsOfB = lineage(store, b);
        int shared = sharedEpochs(segments(store, a), segments(store, b));
        if (shared == 0) {
            return new Shared(0, null);
        }
        String epochs = shared == 1 ? "history epoch 0 is shared" : "history epochs 0-" + (shared - 1) + " are shared";
        String statement;
        if (ancestorsOfB.contains(a) || ancestorsOfA.contains(b)) {
            long descendant = ancestorsOfB.contains(a) ? b : a;
            long ancestor = descendant == b ? a : b;
            Lineage direct = store.started(descendant).lineage();
            statement = direct.parentRunId() == ancestor
                    ? "run " + descendant + " is a fork of run " + ancestor + " at epoch " + direct.forkEpoch() + "; " + epochs
                    : "run " + descendant + " descends from run " + ancestor + " (through run " + direct.parentRunId() + "); " + epochs;
        } else {
            long common = ancestorsOfA.stream().filter(ancestorsOfB::contains).findFirst().orElseThrow();
            statement = "runs " + a + " and " + b + " both descend from run " + common + "; " + epochs;
        }
        return new Shared(shared, statement);
    }

    /** The run's ancestors, nearest first. */
    private static List<Long> lineage(EventStore store, long runId) {
        List<Long> out = new ArrayList<>();
        for (Lineage l = store.started(runId).lineage(); l != null; l = store.started(l.parentRunId()).lineage()) {
            out.add(l.parentRunId());
        }
        return out;
    }
}
