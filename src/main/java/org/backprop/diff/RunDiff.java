package org.backprop.diff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.RunHistory;
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
    private final RunHistory.Shared shared;
    private final boolean startsEqual;
    private final boolean overlapping;
    // Where each run's epoch 0 stands on the rows: its history start when the runs are lined up, else 0.
    private final int startA;
    private final int startB;

    private RunDiff(RunStarted a, RunStarted b, int epochsA, int epochsB, double[] lossA, double[] lossB,
                    double[] maxWeightDifference, boolean[] weightsEqual, Parameters finalA, Parameters finalB,
                    RunHistory.Shared shared, int startA, int startB) {
        this.a = a;
        this.b = b;
        this.epochsA = epochsA;
        this.epochsB = epochsB;
        this.shared = shared;
        this.startA = startA;
        this.startB = startB;
        List<ConfigDifference> differences = configurationDifferences(a.config(), b.config());
        if (shared.epochs() > 0) {
            // Lined up, the runs start where their histories part, not at their own epoch 0: the weights there are judged.
            differences.removeIf(d -> STARTING_POINT.contains(d.field()));
        }
        this.configurationDifferences = List.copyOf(differences);
        this.comparableShapes = a.config().initial().sameShape(b.config().initial());
        this.lossA = lossA;
        this.lossB = lossB;
        this.maxWeightDifference = maxWeightDifference;
        this.weightsEqual = weightsEqual;
        this.finalA = finalA;
        this.finalB = finalB;
        Integer first = comparableShapes ? null : 0;
        for (int e = 0; first == null && e <= Math.min(startA + epochsA, startB + epochsB); e++) {
            if (!weightsEqual[e]) {
                first = e;
            }
        }
        this.firstDivergentEpoch = first;
        int from = shared.epochs();
        // Lined up, a run whose history ends where the other's goes on does not overlap it at all (a chained sweep's).
        this.overlapping = from == 0 || startA + epochsA > from && startB + epochsB > from;
        this.startsEqual = comparableShapes && overlapping && (from == 0 ? a.config().initial().equals(b.config().initial())
                : from < weightsEqual.length && weightsEqual[from]);
    }

    /** What a lined-up comparison does not count as a difference of configuration: where each run's own epochs start. */
    private static final List<String> STARTING_POINT = List.of("initial weights", "initial biases", "weight seed");

    /**
     * Compares run {@code runA} with run {@code runB}, lined up along their shared history when one descends from the
     * other or both from a common ancestor (a fork's epoch j is history epoch k + j), else epoch by epoch from their
     * own starts; reading both from the store a window of epochs at a time.
     */
    public static RunDiff of(EventStore store, long runA, long runB) {
        return of(store, runA, runB, true);
    }

    /** The same; with {@code align} false, epoch by epoch from each run's own epoch 0 whatever their lineage. */
    public static RunDiff of(EventStore store, long runA, long runB, boolean align) {
        RunStarted a = store.started(runA);
        RunStarted b = store.started(runB);
        RunHistory.Shared shared = align ? RunHistory.shared(store, runA, runB) : new RunHistory.Shared(0, null);
        boolean lined = shared.epochs() > 0;
        List<RunHistory.Segment> historyA = lined ? RunHistory.segments(store, runA) : List.of(new RunHistory.Segment(runA, 0, store.epochCount(runA) - 1, 0));
        List<RunHistory.Segment> historyB = lined ? RunHistory.segments(store, runB) : List.of(new RunHistory.Segment(runB, 0, store.epochCount(runB) - 1, 0));
        int startA = lined ? RunHistory.start(store, runA) : 0;
        int startB = lined ? RunHistory.start(store, runB) : 0;
        int ownA = store.epochCount(runA);
        int ownB = store.epochCount(runB);
        int na = startA + ownA;
        int nb = startB + ownB;
        int rows = Math.max(na, nb) + 1;
        double[] lossA = new double[rows];
        double[] lossB = new double[rows];
        double[] largest = new double[rows];
        boolean[] equal = new boolean[rows];
        Parameters finalA = store.parametersAt(runA, ownA);
        Parameters finalB = store.parametersAt(runB, ownB);
        boolean sameShape = finalA.sameShape(finalB);
        for (int from = 0; from < rows; from += WINDOW) {
            int to = Math.min(rows - 1, from + WINDOW - 1);
            List<EpochRecorded> windowA = RunHistory.epochs(historyA, store, from, to);
            List<EpochRecorded> windowB = RunHistory.epochs(historyB, store, from, to);
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
        return new RunDiff(a, b, ownA, ownB, lossA, lossB, largest, equal, finalA, finalB, shared, startA, startB);
    }

    /** What the runs' histories share, and how this diff lines them up (no statement when it compares own epochs). */
    public RunHistory.Shared shared() {
        return shared;
    }

    /** The row of run a's own epoch 0: its history start when lined up, else 0. */
    public int startA() {
        return startA;
    }

    public int startB() {
        return startB;
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

    /**
     * Whether both runs started from bit-identical weights and biases (lined up: where their histories part); when not,
     * a learning-rate comparison is confounded.
     */
    public boolean initialWeightsEqual() {
        return startsEqual;
    }

    /** The plain statement of whether the runs started alike; a learning-rate comparison needs them to. */
    public String startStatement() {
        if (shared.epochs() > 0) {
            int at = shared.epochs();
            if (!overlapping) {
                boolean aEnds = startA + epochsA <= at;
                return "the runs do not overlap: run " + (aEnds ? a : b).runId() + "'s history ends at history epoch " + at + ", where run "
                        + (aEnds ? b : a).runId() + " goes on from it, so comparing their learning rates is confounded: the later run"
                        + " continues the earlier, it does not repeat it from the same start (--no-align compares their own epochs from 0)";
            }
            return startsEqual
                    ? "weights where the histories part (history epoch " + at + "): equal, bit for bit: both runs go on from the same point"
                    : "weights where the histories part (history epoch " + at + "): NOT equal, so comparing their learning rates is confounded:"
                    + " part of any difference in loss comes from where each went on from, not from the rate.";
        }
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
        return WeightDifference.between(parametersAt(store, a.runId(), startA, startA + epochsA, finalA, epoch),
                parametersAt(store, b.runId(), startB, startB + epochsB, finalB, epoch));
    }

    /** A run's weights in force at row {@code epoch}: from the run that recorded that history epoch; null past its end. */
    private static Parameters parametersAt(EventStore store, long runId, int start, int rows, Parameters last, int epoch) {
        if (epoch > rows) {
            return null;
        }
        if (epoch == rows) {
            return last;
        }
        if (epoch >= start) {
            return store.parametersAt(runId, epoch - start);
        }
        for (RunHistory.Segment s : RunHistory.segments(store, runId)) {
            if (epoch < s.historyStart() + s.length()) {
                return store.parametersAt(s.runId(), epoch - s.historyStart() + s.firstEpoch());
            }
        }
        return null;
    }

    /** The first epoch whose weights in force differ (one past the last epoch for the weights after it), or null when none does. */
    public Integer firstDivergentEpoch() {
        return firstDivergentEpoch;
    }

    /** The loss of run a's last recorded epoch (its forward pass), or null when it recorded none. */
    public Double finalLossA() {
        return epochsA == 0 ? null : lossA[startA + epochsA - 1];
    }

    public Double finalLossB() {
        return epochsB == 0 ? null : lossB[startB + epochsB - 1];
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
        if (!configurationDifferences.isEmpty() || firstDivergentEpoch != null || epochsA != epochsB || startA != startB
                || !initialWeightsEqual()) {
            return false;
        }
        for (int e = 0; e < startA + epochsA; e++) {
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
