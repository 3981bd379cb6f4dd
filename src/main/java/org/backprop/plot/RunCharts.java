package org.backprop.plot;

import java.util.ArrayList;
import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.RunHistory;
import org.backprop.events.RunStarted;
import org.backprop.model.Parameters;

/**
 * Builds charts of recorded runs from the event store: the error per epoch of several runs, or every weight's value or
 * gradient per epoch. A run longer than twice the chart's width is thinned (see {@link Decimator}).
 */
public final class RunCharts {
    private static final int WINDOW = 1024;

    private RunCharts() {
    }

    /** What a values chart draws for every weight and bias. */
    public enum Values {
        /** The value in force at the start of each epoch, and after the last update. */
        WEIGHTS,
        /** ∂E/∂w of each epoch, averaged over the samples. */
        GRADIENTS
    }

    /** The legend label of a run: its id, name and learning rate. */
    public static String label(RunStarted run) {
        return "run " + run.runId() + " '" + run.config().name() + "' (lr " + run.config().learningRate() + ")";
    }

    /** The error of every epoch's forward pass, one line per run, a fork's epochs placed at their history epochs. */
    public static Chart error(EventStore store, List<Long> runIds, String title, boolean logScale, int width, int height) {
        return error(store, runIds, title, logScale, width, height, true);
    }

    /** The same; with {@code alongHistory} false, every run's epochs from 0 at the left, forks too. */
    public static Chart error(EventStore store, List<Long> runIds, String title, boolean logScale, int width, int height,
                              boolean alongHistory) {
        List<Series> series = new ArrayList<>();
        boolean anyFork = false;
        for (long id : runIds) {
            int count = store.epochCount(id);
            int start = alongHistory ? RunHistory.start(store, id) : 0;
            anyFork |= start > 0;
            Decimator line = new Decimator(label(store.started(id)), count, 2 * width);
            for (int from = 0; from < count; from += WINDOW) {
                for (EpochRecorded e : store.epochs(id, from, Math.min(count, from + WINDOW) - 1)) {
                    line.add(start + e.epoch(), e.loss());
                }
            }
            series.add(line.series());
        }
        return new Chart(title, axis(anyFork), "total error E (mean over samples)" + (logScale ? ", log scale" : ""), series,
                logScale, width, height);
    }

    /** The x axis: plain epochs, or history epochs when a fork is drawn where its history puts it. */
    private static String axis(boolean anyFork) {
        return anyFork ? "history epoch (a fork's epoch j is drawn at its fork epoch + j)" : "epoch";
    }

    /** The number of lines a values chart of these runs draws: one per weight and bias of each run. */
    public static int lineCount(EventStore store, List<Long> runIds) {
        int lines = 0;
        for (long id : runIds) {
            Parameters initial = store.started(id).config().initial();
            lines += initial.weightCount() + initial.biasCount();
        }
        return lines;
    }

    /** Every weight's and bias's value or gradient per epoch, one line each (prefixed by the run when there are several). */
    public static Chart values(EventStore store, List<Long> runIds, Values what, int width, int height) {
        return values(store, runIds, what, width, height, true);
    }

    /** The same; with {@code alongHistory} false, every run's epochs from 0 at the left, forks too. */
    public static Chart values(EventStore store, List<Long> runIds, Values what, int width, int height, boolean alongHistory) {
        List<Series> series = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        boolean anyFork = false;
        for (long id : runIds) {
            RunStarted run = store.started(id);
            runs.add(label(run));
            int start = alongHistory ? RunHistory.start(store, id) : 0;
            anyFork |= start > 0;
            series.addAll(valueLines(store, run, what, runIds.size() > 1 ? "run " + id + " " : "", 2 * width, start));
        }
        String title = (what == Values.WEIGHTS ? "Weights per epoch: " : "Gradients ∂E/∂w per epoch: ") + String.join(", ", runs);
        String yLabel = what == Values.WEIGHTS ? "value in force at the start of the epoch" : "∂E/∂w (mean over samples)";
        return new Chart(title, axis(anyFork), yLabel, series, false, width, height);
    }

    private static List<Series> valueLines(EventStore store, RunStarted run, Values what, String prefix, int maxPoints, int start) {
        long id = run.runId();
        int count = store.epochCount(id);
        Parameters initial = run.config().initial();
        int weights = initial.weightCount();
        int lines = weights + initial.biasCount();
        // The weights line has one more point: the weights after the last update.
        int points = what == Values.WEIGHTS ? count + 1 : count;
        Decimator[] decimators = new Decimator[lines];
        for (int k = 0; k < lines; k++) {
            String name = Parameters.name(k, weights);
            decimators[k] = new Decimator(prefix + (what == Values.WEIGHTS ? name : "∂E/∂" + name), points, maxPoints);
        }
        for (int from = 0; from < count; from += WINDOW) {
            for (EpochRecorded e : store.epochs(id, from, Math.min(count, from + WINDOW) - 1)) {
                for (int k = 0; k < lines; k++) {
                    double y = what == Values.WEIGHTS ? (k < weights ? e.before().weight(k) : e.before().bias(k - weights))
                            : (k < weights ? e.weightGradient(k) : e.biasGradient(k - weights));
                    decimators[k].add(start + e.epoch(), y);
                }
            }
        }
        if (what == Values.WEIGHTS) {
            Parameters last = store.parametersAt(id, count);
            for (int k = 0; k < lines; k++) {
                decimators[k].add(start + count, k < weights ? last.weight(k) : last.bias(k - weights));
            }
        }
        List<Series> out = new ArrayList<>(lines);
        for (Decimator d : decimators) {
            out.add(d.series());
        }
        return out;
    }
}
