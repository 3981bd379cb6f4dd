package org.backprop.web;

import java.util.Arrays;
import org.backprop.events.LossTally;

/**
 * The loss of every recorded epoch of one run, held in memory so that a curve over any range is thinned without
 * reading the store again. Bounded: once a run has more than {@link #MAX_BUCKETS} epochs, neighbouring buckets merge
 * (a bucket of 2, then 4, ... epochs), each keeping its lowest and highest loss and the epochs they came from, which is
 * all a thinned curve draws.
 */
final class LossSeries {
    static final int MAX_BUCKETS = 1 << 21;

    // Volatile so the memory budget can count a series without waiting for one being read.
    private volatile int count;
    private volatile int bucket = 1;
    private double[] low = new double[256];
    // Null while a bucket is one epoch: its lowest and highest loss are the same.
    private double[] high;
    private int[] lowAt;
    private int[] highAt;
    // The runs table's final and lowest loss, tallied the same way (a NaN loss is never the lowest).
    private final LossTally tally = new LossTally();

    /** Epochs held: 0 to {@code count() - 1}. */
    synchronized int count() {
        return count;
    }

    /** Epochs per bucket: 1 while every loss is held. */
    synchronized int bucket() {
        return bucket;
    }

    /** The lowest loss of any epoch, NaN before the first (or when no loss was a number). */
    synchronized double best() {
        Double best = tally.bestError();
        return best == null ? Double.NaN : best;
    }

    /** The first epoch with the lowest loss, -1 when there is none. */
    synchronized int bestEpoch() {
        Integer epoch = tally.bestEpoch();
        return epoch == null ? -1 : epoch;
    }

    /** The loss of the last epoch held, NaN before the first. */
    synchronized double last() {
        Double last = tally.finalError();
        return last == null ? Double.NaN : last;
    }

    /** Buckets held, for the memory budget of all series. */
    int size() {
        int n = count;
        return n == 0 ? 0 : (n - 1) / bucket + 1;
    }

    /** Appends the loss of epoch {@code count()}. */
    synchronized void add(double loss) {
        int epoch = count;
        int b = epoch / bucket;
        if (b == low.length) {
            grow();
        }
        if (bucket == 1) {
            low[b] = loss;
        } else if (epoch % bucket == 0) {
            low[b] = loss;
            high[b] = loss;
            lowAt[b] = epoch;
            highAt[b] = epoch;
        } else {
            if (loss < low[b]) {
                low[b] = loss;
                lowAt[b] = epoch;
            }
            if (loss > high[b]) {
                high[b] = loss;
                highAt[b] = epoch;
            }
        }
        tally.add(epoch, loss);
        count++;
        if (count % bucket == 0 && count / bucket == MAX_BUCKETS) {
            merge();
        }
    }

    private void grow() {
        int size = Math.min(MAX_BUCKETS, low.length * 2);
        low = Arrays.copyOf(low, size);
        if (high != null) {
            high = Arrays.copyOf(high, size);
            lowAt = Arrays.copyOf(lowAt, size);
            highAt = Arrays.copyOf(highAt, size);
        }
    }

    /** Halves the buckets held by merging each pair. */
    private void merge() {
        int buckets = count / bucket;
        int half = buckets / 2;
        double[] l = new double[MAX_BUCKETS];
        double[] h = new double[MAX_BUCKETS];
        int[] la = new int[MAX_BUCKETS];
        int[] ha = new int[MAX_BUCKETS];
        for (int i = 0; i < half; i++) {
            int a = 2 * i;
            int b = a + 1;
            boolean lowFromA = lowOf(a) <= lowOf(b);
            l[i] = lowFromA ? lowOf(a) : lowOf(b);
            la[i] = lowFromA ? lowEpoch(a) : lowEpoch(b);
            boolean highFromA = highOf(a) >= highOf(b);
            h[i] = highFromA ? highOf(a) : highOf(b);
            ha[i] = highFromA ? highEpoch(a) : highEpoch(b);
        }
        low = l;
        high = h;
        lowAt = la;
        highAt = ha;
        bucket *= 2;
    }

    private double lowOf(int b) {
        return low[b];
    }

    private double highOf(int b) {
        return high == null ? low[b] : high[b];
    }

    private int lowEpoch(int b) {
        return lowAt == null ? b : lowAt[b];
    }

    private int highEpoch(int b) {
        return highAt == null ? b : highAt[b];
    }

    /** The loss of epoch {@code epoch}, which must be held whole ({@code bucket() == 1}). */
    synchronized double loss(int epoch) {
        if (bucket != 1 || epoch < 0 || epoch >= count) {
            throw new IllegalStateException("epoch " + epoch + " is not held alone (bucket " + bucket + ", " + count + " epochs)");
        }
        return low[epoch];
    }

    /** What {@link #forEachExtreme} hands out. */
    interface Points {
        void point(int epoch, double loss);
    }

    /**
     * Hands out, in epoch order, the lowest and highest loss of every whole bucket within {@code fromBucket..toBucket}
     * (one point for a one-epoch bucket, and one where both are the same epoch).
     */
    synchronized void forEachExtreme(int fromBucket, int toBucket, Points points) {
        for (int b = fromBucket; b <= toBucket; b++) {
            int la = lowEpoch(b);
            int ha = highEpoch(b);
            if (la == ha) {
                points.point(la, low[b]);
            } else if (la < ha) {
                points.point(la, low[b]);
                points.point(ha, highOf(b));
            } else {
                points.point(ha, highOf(b));
                points.point(la, low[b]);
            }
        }
    }
}
