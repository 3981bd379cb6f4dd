package org.backprop.web;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backprop.events.DamagedRunException;
import org.backprop.events.EpochCodec;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.plot.Decimator;
import org.backprop.plot.Series;

/**
 * The loss curves of the store's runs, read once and kept up to date as epochs are committed, thinned for drawing by
 * the PNG plots' {@link Decimator}: about two points per pixel column, each bucket's lowest and highest loss kept.
 */
final class LossCurves {
    /** Buckets held over all runs; past it the least recently drawn runs are read again when next asked for. */
    private static final long BUDGET = 24L << 20;
    /** Epochs read at a time when catching up with a run that grew. */
    private static final int WINDOW = 4096;

    private final EventStore store;
    private final Map<Long, LossSeries> series = new LinkedHashMap<>(16, 0.75f, true);
    // The whole curve last drawn of each run, which every visit of its page asks for first.
    private final Map<Long, Whole> wholes = new java.util.concurrent.ConcurrentHashMap<>();

    private record Whole(int maxPoints, Curve curve) {
    }

    LossCurves(EventStore store) {
        this.store = store;
    }

    /** A curve of epochs {@code from..to} of a run, with at most about {@code maxPoints} points. */
    record Curve(long runId, int epochs, int from, int to, Series points, boolean everyEpoch) {
    }

    /** The run's losses, read up to its last committed epoch. */
    LossSeries upToDate(long runId) {
        LossSeries s;
        synchronized (this) {
            s = series.computeIfAbsent(runId, id -> new LossSeries());
        }
        catchUp(runId, s);
        evictOver(runId);
        return s;
    }

    private void catchUp(long runId, LossSeries s) {
        synchronized (s) {
            int stored = store.epochCount(runId);
            if (s.count() >= stored) {
                return;
            }
            if (s.count() == 0 && stored > WINDOW) {
                readBlocks(runId, s);
            }
            for (int from = s.count(); from < stored; from = s.count()) {
                List<EpochRecorded> epochs = store.epochs(runId, from, Math.min(stored, from + WINDOW) - 1);
                if (epochs.isEmpty()) {
                    break;
                }
                epochs.forEach(e -> s.add(e.loss()));
            }
        }
    }

    /** The whole run, straight from its stored rows: only each epoch's loss is read out of them. */
    private void readBlocks(long runId, LossSeries s) {
        EpochCodec codec = EpochCodec.of(store.started(runId).config());
        int epochBytes = codec.epochBytes();
        int lossAt = codec.lossAt() * Double.BYTES;
        store.forEachBlock(runId, block -> {
            if (block.firstEpoch() > s.count()) {
                throw DamagedRunException.missingEpoch(runId, s.count(), store.epochCount(runId));
            }
            ByteBuffer payload = ByteBuffer.wrap(block.payload()).order(ByteOrder.LITTLE_ENDIAN);
            for (int e = s.count(); e <= block.lastEpoch(); e++) {
                s.add(payload.getDouble((e - block.firstEpoch()) * epochBytes + lossAt));
            }
        });
    }

    private synchronized void evictOver(long keep) {
        long held = 0;
        for (LossSeries s : series.values()) {
            held += s.size();
        }
        for (Iterator<Map.Entry<Long, LossSeries>> it = series.entrySet().iterator(); it.hasNext() && held > BUDGET; ) {
            Map.Entry<Long, LossSeries> oldest = it.next();
            if (oldest.getKey() != keep) {
                held -= oldest.getValue().size();
                it.remove();
            }
        }
    }

    /** Epochs {@code from..to} (clipped to the run's) thinned to about {@code maxPoints} points. */
    Curve curve(long runId, int from, int to, int maxPoints) {
        LossSeries s = upToDate(runId);
        synchronized (s) {
            int count = s.count();
            int first = Math.max(0, from);
            int last = Math.min(count - 1, to);
            Whole whole = wholes.get(runId);
            boolean all = first == 0 && last == count - 1;
            if (all && whole != null && whole.maxPoints() == maxPoints && whole.curve().epochs() == count) {
                return whole.curve();
            }
            Curve drawn = thinned(runId, s, count, first, last, maxPoints);
            if (all) {
                wholes.put(runId, new Whole(maxPoints, drawn));
            }
            return drawn;
        }
    }

    private Curve thinned(long runId, LossSeries s, int count, int first, int last, int maxPoints) {
        if (count == 0 || first > last) {
            return new Curve(runId, count, first, last, new Series("loss", new double[0], new double[0]), true);
        }
        int n = last - first + 1;
        int bucket = s.bucket();
        Series points;
        if (bucket == 1) {
            Decimator d = new Decimator("loss", n, maxPoints);
            for (int e = first; e <= last; e++) {
                d.add(e, s.loss(e));
            }
            points = d.series();
        } else {
            points = thinnedFromBuckets(runId, s, first, last, maxPoints);
        }
        return new Curve(runId, count, first, last, points, bucket == 1 && n <= maxPoints);
    }

    /**
     * A long run's range from its merged buckets, where they are fine enough for the points asked for, and the
     * partial buckets at either end (or a range too short for the buckets) read from the store.
     */
    private Series thinnedFromBuckets(long runId, LossSeries s, int first, int last, int maxPoints) {
        int bucket = s.bucket();
        int firstWhole = (first + bucket - 1) / bucket;
        int lastWhole = (last + 1) / bucket - 1;
        int wholeBuckets = lastWhole - firstWhole + 1;
        if (wholeBuckets < maxPoints / 2) {
            Decimator d = new Decimator("loss", last - first + 1, maxPoints);
            readLosses(runId, first, last, d);
            return d.series();
        }
        int headEnd = firstWhole * bucket - 1;
        int tailStart = (lastWhole + 1) * bucket;
        long total = (headEnd - first + 1) + 2L * wholeBuckets + (last - tailStart + 1);
        Decimator d = new Decimator("loss", total, maxPoints);
        if (headEnd >= first) {
            readLosses(runId, first, headEnd, d);
        }
        s.forEachExtreme(firstWhole, lastWhole, d::add);
        if (last >= tailStart) {
            readLosses(runId, tailStart, last, d);
        }
        return d.series();
    }

    private void readLosses(long runId, int from, int to, Decimator d) {
        for (int a = from; a <= to; a += WINDOW) {
            for (EpochRecorded e : store.epochs(runId, a, Math.min(to, a + WINDOW - 1))) {
                d.add(e.epoch(), e.loss());
            }
        }
    }
}
