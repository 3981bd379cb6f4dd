package org.backprop.store.sql;

import java.util.Arrays;

/**
 * Which rows of each epoch of a run a query reads: the positions {@code k} (the view's row number within the epoch),
 * as ascending, disjoint runs {@code [start, end)}. Rows outside it are neither made nor read from the store.
 */
final class KeySelection {
    static final KeySelection NONE = new KeySelection(new int[0], new int[0], 0);

    private final int[] starts;
    private final int[] ends;
    private final int count;

    private KeySelection(int[] starts, int[] ends, int count) {
        this.starts = starts;
        this.ends = ends;
        this.count = count;
    }

    /** Every row of an epoch of {@code rows} rows. */
    static KeySelection all(int rows) {
        return rows == 0 ? NONE : new KeySelection(new int[] {0}, new int[] {rows}, 1);
    }

    int runs() {
        return count;
    }

    int start(int run) {
        return starts[run];
    }

    int end(int run) {
        return ends[run];
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Collects runs in ascending order, joining runs that touch. */
    static final class Builder {
        private int[] starts = new int[4];
        private int[] ends = new int[4];
        private int count;

        /** Adds rows {@code [start, end)}, which must not start before the last run added ends. */
        Builder add(int start, int end) {
            if (start >= end) {
                return this;
            }
            if (count > 0 && ends[count - 1] == start) {
                ends[count - 1] = end;
                return this;
            }
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count] = end;
            count++;
            return this;
        }

        KeySelection build() {
            return count == 0 ? NONE : new KeySelection(starts, ends, count);
        }
    }
}
