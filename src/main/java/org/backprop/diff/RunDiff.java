package org.backprop.diff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.RunStarted;
import org.backprop.model.Activation;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/**
 * A comparison of two recorded runs, a and b: how their configurations differ, whether they started from the same
 * weights, the first epoch whose weights differ, and epoch by epoch their losses and largest weight difference.
 */
public final class RunDiff {
    /** Epochs read from the store at a time, so a long run is compared without holding all of it. */
    private static final int WINDOW = 512;

    private final RunStarted a;
    private final RunStarted b;
    private final int epochsA;
    private final int epochsB;
    private final List<ConfigDifference> configurationDifferences;
    private final boolean comparableShapes;
    private final Integer firstDivergentEpoch;
    // Per row 0..max(epochsA, epochsB); NaN marks a loss the run does not have (a recorded loss is never NaN).
    private final double[] lossA;
    private final double[] lossB;
    private final double[] maxWeightDifference;
    private final boolean[] weightsEqual;
    private final Parameters finalA;
    private final Parameters finalB;

    private RunDiff(RunStarted a, RunStarted b, int epochsA, int epochsB, double[] lossA, double[] lossB,
                    double[] maxWeightDifference, boolean[] weightsEqual, Parameters finalA, Parameters finalB) {
        this.a = a;
        this.b = b;
        this.epochsA = epochsA;
        this.epochsB = epochsB;
        this.configurationDifferences = List.copyOf(configurationDifferences(a.config(), b.config()));
        this.comparableShapes = a.config().initial().sameShape(b.config().initial());
        this.lossA = lossA;
        this.lossB = lossB;
        this.maxWeightDifference = maxWeightDifference;
        this.weightsEqual = weightsEqual;
        this.finalA = finalA;
        this.finalB = finalB;
        Integer first = comparableShapes ? null : 0;
        for (int e = 0; first == null && e <= Math.min(epochsA, epochsB); e++) {
            if (!weightsEqual[e]) {
                first = e;
            }
        }
        this.firstDivergentEpoch = first;
    }

    /** Compares run {@code runA} with run {@code runB}, reading both from the store a window of epochs at a time. */
    public static RunDiff of(EventStore store, long runA, long runB) {
        RunStarted a = store.started(runA);
        RunStarted b = store.started(runB);
        int na = store.epochCount(runA);
        int nb = store.epochCount(runB);
        int rows = Math.max(na, nb) + 1;
        double[] lossA = new double[rows];
        double[] lossB = new double[rows];
        double[] largest = new double[rows];
        boolean[] equal = new boolean[rows];
        Parameters finalA = store.parametersAt(runA, na);
        Parameters finalB = store.parametersAt(runB, nb);
        boolean sameShape = finalA.sameShape(finalB);
        for (int from = 0; from < rows; from += WINDOW) {
            int to = Math.min(rows - 1, from + WINDOW - 1);
            List<EpochRecorded> windowA = store.epochs(runA, from, to);
            List<EpochRecorded> windowB = store.epochs(runB, from, to);
            for (int e = from; e <= to; e++) {
                Parameters pa = e < na ? windowA.get(e - from).before() : e == na ? finalA : null;
                Parameters pb = e < nb ? windowB.get(e - from).before() : e == nb ? finalB : null;
                lossA[e] = e < na ? windowA.get(e - from).loss() : Double.NaN;
                lossB[e] = e < nb ? windowB.get(e - from).loss() : Double.NaN;
                boolean both = pa != null && pb != null && sameShape;
                largest[e] = both ? pa.largestDifference(pb) : Double.NaN;
                equal[e] = both && pa.equals(pb);
            }
        }
        return new RunDiff(a, b, na, nb, lossA, lossB, largest, equal, finalA, finalB);
    }

    public RunStarted a() {
        return a;
    }

    public RunStarted b() {
        return b;
    }

    public int epochsA() {
        return epochsA;
    }

    public int epochsB() {
        return epochsB;
    }

    /** How the configurations differ (names, lineage and sweeps aside); empty when they are the same. */
    public List<ConfigDifference> configurationDifferences() {
        return configurationDifferences;
    }

    /** Whether both runs started from bit-identical weights and biases; when not, a learning-rate comparison is confounded. */
    public boolean initialWeightsEqual() {
        return comparableShapes && a.config().initial().equals(b.config().initial());
    }

    /** The plain statement of whether the runs started alike; a learning-rate comparison needs them to. */
    public String startStatement() {
        return startStatement(initialWeightsEqual());
    }

    /** The statement for runs that did, or did not, start from bit-identical weights. */
    public static String startStatement(boolean initialWeightsEqual) {
        return initialWeightsEqual
                ? "initial weights: equal, bit for bit: both runs started from the same point"
                : "initial weights: NOT equal. The runs did not start from the same weights, so comparing their learning rates is"
                + " confounded: part of any difference in loss comes from where they started, not from the rate.";
    }

    /**
     * The weights and biases that row {@code epoch} compares, side by side: each run's in force at the start of that
     * epoch (after its last update for one past its last epoch), read from {@code store}; a run without that epoch has nulls.
     */
    public List<WeightDifference> weightsAt(EventStore store, int epoch) {
        if (epoch < 0 || epoch >= rowCount()) {
            throw new IllegalArgumentException("the diff of runs " + a.runId() + " and " + b.runId() + " has rows 0 to "
                    + (rowCount() - 1) + ", not " + epoch);
        }
        Parameters pa = epoch < epochsA ? store.parametersAt(a.runId(), epoch) : epoch == epochsA ? finalA : null;
        Parameters pb = epoch < epochsB ? store.parametersAt(b.runId(), epoch) : epoch == epochsB ? finalB : null;
        return WeightDifference.between(pa, pb);
    }

    /** The first epoch whose weights in force differ (one past the last epoch for the weights after it), or null when none does. */
    public Integer firstDivergentEpoch() {
        return firstDivergentEpoch;
    }

    /** The loss of run a's last recorded epoch (its forward pass), or null when it recorded none. */
    public Double finalLossA() {
        return epochsA == 0 ? null : lossA[epochsA - 1];
    }

    public Double finalLossB() {
        return epochsB == 0 ? null : lossB[epochsB - 1];
    }

    /** Weights and biases of run a after its last update (its initial ones when it recorded no epoch). */
    public Parameters finalA() {
        return finalA;
    }

    public Parameters finalB() {
        return finalB;
    }

    /** Rows 0 to max(epochs of a, epochs of b): one per recorded epoch, and the last for the weights after the final update. */
    public int rowCount() {
        return lossA.length;
    }

    public EpochDiff row(int epoch) {
        Double la = value(lossA[epoch]);
        Double lb = value(lossB[epoch]);
        Double largest = value(maxWeightDifference[epoch]);
        return new EpochDiff(epoch, la, lb, la != null && lb != null ? lb - la : null, largest,
                largest == null ? null : weightsEqual[epoch]);
    }

    /** True when the runs are the same in every respect this diff compares: configuration, every weight and every loss. */
    public boolean identical() {
        if (!configurationDifferences.isEmpty() || firstDivergentEpoch != null || epochsA != epochsB || !initialWeightsEqual()) {
            return false;
        }
        for (int e = 0; e < epochsA; e++) {
            if (Double.doubleToLongBits(lossA[e]) != Double.doubleToLongBits(lossB[e])) {
                return false;
            }
        }
        return true;
    }

    private static Double value(double d) {
        return Double.isNaN(d) ? null : d;
    }

    /** How configuration {@code b} differs from {@code a} (names aside), field by field. */
    public static List<ConfigDifference> configurationDifferences(RunConfig a, RunConfig b) {
        List<ConfigDifference> out = new ArrayList<>();
        Network na = a.network();
        Network nb = b.network();
        add(out, "layers", na.shape(), nb.shape());
        add(out, "activations", activations(na), activations(nb));
        add(out, "biases", biases(na), biases(nb));
        addValues(out, "inputs", "value ", flat(a.data().inputs()), flat(b.data().inputs()));
        addValues(out, "targets", "value ", flat(a.data().targets()), flat(b.data().targets()));
        if (Double.doubleToLongBits(a.learningRate()) != Double.doubleToLongBits(b.learningRate())) {
            out.add(new ConfigDifference("learning rate", Double.toString(a.learningRate()), Double.toString(b.learningRate()), null));
        }
        add(out, "epochs", Integer.toString(a.epochs()), Integer.toString(b.epochs()));
        addValues(out, "initial weights", "w", a.initial().weights(), b.initial().weights());
        addValues(out, "initial biases", "b", a.initial().biases(), b.initial().biases());
        add(out, "weight seed", String.valueOf(a.weightSeed()), String.valueOf(b.weightSeed()));
        return out;
    }

    private static void add(List<ConfigDifference> out, String field, String a, String b) {
        if (!Objects.equals(a, b)) {
            out.add(new ConfigDifference(field, a, b, null));
        }
    }

    private static void addValues(List<ConfigDifference> out, String field, String name, double[] a, double[] b) {
        if (Arrays.equals(a, b)) {
            return;
        }
        String note = null;
        if (a.length == b.length) {
            int where = 0;
            int differing = 0;
            for (int i = 0; i < a.length; i++) {
                if (Double.doubleToLongBits(a[i]) != Double.doubleToLongBits(b[i])) {
                    differing++;
                    if (Math.abs(a[i] - b[i]) > Math.abs(a[where] - b[where]) || differing == 1) {
                        where = i;
                    }
                }
            }
            note = differing + " of " + a.length + " differ, most " + name + (where + 1) + " by " + Math.abs(a[where] - b[where]);
        }
        out.add(new ConfigDifference(field, describe(a), describe(b), note));
    }

    /** Up to eight values in full, then how many more there are. */
    static String describe(double[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(values.length, 8); i++) {
            s.append(i == 0 ? "" : ", ").append(values[i]);
        }
        if (values.length > 8) {
            s.append(", … (").append(values.length).append(" values)");
        }
        return values.length == 0 ? "none" : s.toString();
    }

    private static String activations(Network n) {
        return String.join(",", n.activations().stream().map(Activation::label).toList());
    }

    private static String biases(Network n) {
        return !n.biased() ? "none" : n.trainBiases() ? "trained" : "fixed";
    }

    private static double[] flat(double[][] rows) {
        return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
    }
}
