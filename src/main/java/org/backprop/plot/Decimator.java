package org.backprop.plot;

import java.util.Arrays;

/**
 * Thins a long line to about {@code maxPoints} points without hiding its spikes: of every bucket of consecutive
 * points it keeps the lowest and the highest, in order, and it always keeps the first and the last point.
 */
public final class Decimator {
    private final String label;
    private final long bucket;
    private double[] xs = new double[64];
    private double[] ys = new double[64];
    private int size;
    private long seen;
    private long inBucket;
    private double minX;
    private double minY;
    private double maxX;
    private double maxY;
    private double lastX;
    private double lastY;

    /** For a line of {@code total} points drawn with at most about {@code maxPoints} of them. */
    public Decimator(String label, long total, int maxPoints) {
        this.label = label;
        this.bucket = total <= maxPoints ? 1 : (2 * total + maxPoints - 1) / maxPoints;
    }

    /** The next point of the line (x ascending). */
    public void add(double x, double y) {
        lastX = x;
        lastY = y;
        if (seen++ == 0 || bucket == 1) {
            keep(x, y);
            return;
        }
        if (inBucket == 0 || y < minY) {
            minX = x;
            minY = y;
        }
        if (inBucket == 0 || y > maxY) {
            maxX = x;
            maxY = y;
        }
        if (++inBucket == bucket) {
            flush();
        }
    }

    private void flush() {
        if (inBucket == 0) {
            return;
        }
        if (minX <= maxX) {
            keep(minX, minY);
            if (maxX != minX) {
                keep(maxX, maxY);
            }
        } else {
            keep(maxX, maxY);
            keep(minX, minY);
        }
        inBucket = 0;
    }

    private void keep(double x, double y) {
        if (size == xs.length) {
            xs = Arrays.copyOf(xs, size * 2);
            ys = Arrays.copyOf(ys, size * 2);
        }
        xs[size] = x;
        ys[size] = y;
        size++;
    }

    /** The points kept, the last one included. */
    public Series series() {
        flush();
        if (seen > 0 && xs[size - 1] != lastX) {
            keep(lastX, lastY);
        }
        return new Series(label, Arrays.copyOf(xs, size), Arrays.copyOf(ys, size));
    }
}
