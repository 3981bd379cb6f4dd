package org.backprop.replay;

import java.nio.ByteBuffer;
import org.backprop.model.Backprop;
import org.backprop.model.EpochValues;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/**
 * Re-executes a run epoch by epoch from its configuration, alongside its recorded epochs, and names the first value
 * whose bits differ: the check that catches a change whose author recomputed every hash. Fed by {@link Verifier}
 * from a store and by {@code import} from a file.
 */
public final class Reexecution {
    private final RunConfig config;
    private final ValueNames names;
    private final EpochValues values;
    private final double[] w;
    private final double[] b;
    private final String where;

    /** @param where where the recorded values are, as the messages say it: "in the store", "in the file" */
    public Reexecution(RunConfig config, String where) {
        this.config = config;
        this.where = where;
        this.names = new ValueNames(config);
        this.values = new EpochValues(config.network(), config.data().sampleCount());
        this.w = config.initial().weights();
        this.b = config.initial().biases();
    }

    /**
     * Re-executes {@code epoch} and compares it with its canonical bytes at {@code offset} of {@code payload} (little-endian);
     * returns what differs first, or null when every double is bit-identical (the state then moves on past the epoch).
     */
    public String epoch(int epoch, ByteBuffer payload, int offset) {
        Backprop.compute(config.network(), config.data(), w, b, values);
        int bad = firstDifference(payload, offset);
        if (bad >= 0) {
            return "epoch " + epoch + ": " + names.describe(bad) + " is " + payload.getDouble(offset + bad * Double.BYTES)
                    + " " + where + " but re-executes to " + recomputed(bad);
        }
        // Compared with the stored epoch already: update them in place with the sums training does.
        Backprop.descend(w, b, values, config.learningRate(), config.network().trainBiases());
        return null;
    }

    /** The loss of the epoch re-executed last. */
    public double loss() {
        return values.loss;
    }

    /** Index in the canonical epoch layout of the first stored double whose bits differ from re-execution, or -1. */
    private int firstDifference(ByteBuffer payload, int offset) {
        int base = 0;
        for (double[] segment : segments()) {
            for (int i = 0; i < segment.length; i++) {
                long storedBits = payload.getLong(offset + (base + i) * Double.BYTES);
                if (storedBits != Double.doubleToRawLongBits(segment[i])) {
                    return base + i;
                }
            }
            base += segment.length;
        }
        return -1;
    }

    private double[][] segments() {
        return new double[][] {w, b, values.netInputs, values.activations, values.deltas, values.weightGradients,
            values.biasGradients, {values.loss}};
    }

    private double recomputed(int index) {
        int i = index;
        for (double[] segment : segments()) {
            if (i < segment.length) {
                return segment[i];
            }
            i -= segment.length;
        }
        throw new IndexOutOfBoundsException(index);
    }

    /** Compares a completed run's recorded final parameters with the re-executed ones; null when they are the same bits. */
    public String finalParameters(Parameters recorded) {
        double[][] stored = {recorded.weights(), recorded.biases()};
        double[][] mine = {w, b};
        for (int s = 0; s < 2; s++) {
            if (stored[s].length != mine[s].length) {
                return "the end event holds " + stored[s].length + (s == 0 ? " weights" : " biases") + ", not " + mine[s].length;
            }
            for (int i = 0; i < mine[s].length; i++) {
                if (Double.doubleToRawLongBits(stored[s][i]) != Double.doubleToRawLongBits(mine[s][i])) {
                    int k = s == 0 ? i : w.length + i;
                    return "the end event: final " + names.parameter(k) + " is " + stored[s][i] + " " + where + " but re-executes to " + mine[s][i];
                }
            }
        }
        return null;
    }

    /** A run recorded as failed at {@code epoch} must really produce a value that is not finite there; null when it does. */
    public String failure(int epoch) {
        Backprop.compute(config.network(), config.data(), w, b, values);
        Backprop.descend(w, b, values, config.learningRate(), config.network().trainBiases());
        if (values.firstNonFinite(w, b) != null) {
            return null;
        }
        return "the run is recorded as failed at epoch " + epoch + ", but that epoch re-executes to finite values";
    }
}
