package org.backprop.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A long run's losses, once merged into buckets, still give each bucket's exact lowest and highest loss. */
class LossSeriesTest {
    @Test
    void mergedBucketsKeepTheirExactExtremesAndWhereTheyWere() {
        int epochs = 2 * LossSeries.MAX_BUCKETS + 12_345;
        double[] losses = new double[epochs];
        SplittableRandom random = new SplittableRandom(3);
        LossSeries s = new LossSeries();
        for (int e = 0; e < epochs; e++) {
            losses[e] = random.nextDouble();
            s.add(losses[e]);
        }
        assertEquals(4, s.bucket());
        assertEquals(epochs, s.count());
        assertTrue(s.size() <= LossSeries.MAX_BUCKETS);
        int from = 1000;
        int to = 1999;
        List<int[]> epochsSeen = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        s.forEachExtreme(from / 4, to / 4, (epoch, loss) -> {
            epochsSeen.add(new int[] {epoch});
            values.add(loss);
        });
        for (int b = from / 4; b <= to / 4; b++) {
            double low = Double.MAX_VALUE;
            double high = -Double.MAX_VALUE;
            for (int e = 4 * b; e < 4 * b + 4; e++) {
                low = Math.min(low, losses[e]);
                high = Math.max(high, losses[e]);
            }
            assertTrue(values.contains(low) && values.contains(high), "bucket " + b);
        }
        for (int i = 0; i < values.size(); i++) {
            assertEquals(losses[epochsSeen.get(i)[0]], values.get(i), "the point's epoch is where its loss was");
            assertTrue(i == 0 || epochsSeen.get(i)[0] > epochsSeen.get(i - 1)[0], "in epoch order");
        }
        double best = Double.MAX_VALUE;
        for (double l : losses) {
            best = Math.min(best, l);
        }
        assertEquals(best, s.best());
        assertEquals(losses[s.bestEpoch()], s.best());
        assertEquals(losses[epochs - 1], s.last());
    }

    @Test
    void aNotANumberLossIsNeverTheLowestAsInTheRunsTable() {
        LossSeries s = new LossSeries();
        assertEquals(-1, s.bestEpoch());
        assertTrue(Double.isNaN(s.best()) && Double.isNaN(s.last()));
        for (double loss : new double[] {Double.NaN, 0.5, 0.25, Double.NaN, 0.25}) {
            s.add(loss);
        }
        assertEquals(0.25, s.best());
        assertEquals(2, s.bestEpoch());
        assertEquals(0.25, s.last());
    }
}
