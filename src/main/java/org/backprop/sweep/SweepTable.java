package org.backprop.sweep;

import java.util.ArrayList;
import java.util.List;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/**
 * A sweep's results table, the seed tutorial's layout: one column per learning rate, rows for the run, where it
 * started from, its final weights and biases, final error and final outputs. The sweep command and the web page
 * print the same rows.
 */
public final class SweepTable {
    /** Rows of weights, biases or outputs a table for people shows at most; csv and json have them all. */
    public static final int SHOWN_ROWS = 64;

    private SweepTable() {
    }

    /** "learning rate", then each run's rate. */
    public static List<String> columns(SweepResult result) {
        List<String> columns = new ArrayList<>();
        columns.add("learning rate");
        result.runs().forEach(r -> columns.add(Double.toString(r.learningRate())));
        return columns;
    }

    /**
     * The configuration a recorded sweep's runs were made from: its first run's, under the name before "-lrRATE" (and
     * the "-sweepN" the tool adds to a name another run has).
     */
    public static RunConfig base(SweepResult result) {
        RunConfig first = result.runs().get(0).started().config();
        String suffix = "-lr" + first.learningRate();
        String name = first.name().replaceFirst("-sweep" + result.sweepId() + "(-[0-9]+)?$", "");
        return first.withName(name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : first.name());
    }

    /** What the sweep was: its id, how many runs of which network, how long, and whether chained or independent. */
    public static String heading(SweepResult result, RunConfig base) {
        return "sweep " + result.sweepId() + ": " + result.runs().size() + (result.runs().size() == 1 ? " run" : " runs") + " of '" + base.name() + "' (" + base.network().shape()
                + "), " + base.epochs() + " epochs each, " + (result.chained()
                ? "chained: each learning rate continues from the previous run's final weights"
                : "independent: every learning rate starts from the same initial weights");
    }

    /**
     * How far the sweep's runs are, for a sweep whose runs have not all ended (null when they have): "progress: 12 of 30
     * runs done (1 failed), 3 running, 2 interrupted, 13 planned".
     */
    public static String progress(SweepResult result) {
        if (result.allEnded()) {
            return null;
        }
        long done = result.runs().stream().filter(SweepRun::ended).count();
        long failed = done - result.runs().stream().filter(SweepRun::completed).count();
        StringBuilder s = new StringBuilder("progress: " + done + " of " + result.runs().size() + " runs done");
        if (failed > 0) {
            s.append(" (").append(failed).append(" failed)");
        }
        for (String state : List.of("running", "interrupted", "planned")) {
            long n = result.runs().stream().filter(r -> !r.ended() && state.equals(r.state() == null ? "running" : r.state())).count();
            if (n > 0) {
                s.append(", ").append(n).append(' ').append(state);
            }
        }
        return s.toString();
    }

    /** What "final" means in the table, for runs of {@code epochs} epochs. */
    public static String finalMeaning(int epochs) {
        return "final weights: after the last update (epoch " + (epochs - 1) + "'s); final error and outputs: from the last epoch's"
                + " forward pass (epoch " + (epochs - 1) + ", before its update).";
    }

    /** The table's rows, with at most {@code shown} rows of weights, biases or outputs each (then one saying how many more). */
    public static List<List<Object>> rows(SweepResult result, int shown) {
        List<SweepRun> runs = result.runs();
        List<List<Object>> rows = new ArrayList<>();
        rows.add(row("run", runs.stream().map(r -> (Object) r.runId()).toList()));
        rows.add(row("started from", runs.stream().map(r -> (Object) r.startedFrom()).toList()));
        if (!runs.stream().allMatch(SweepRun::completed)) {
            rows.add(row("status", runs.stream().map(r -> (Object) r.status()).toList()));
        }
        Network network = runs.get(0).started().config().network();
        Parameters first = runs.get(0).finalParameters();
        addValueRows(rows, runs, "w", first.weightCount(), shown, (r, i) -> r.finalParameters().weight(i));
        addValueRows(rows, runs, "b", first.biasCount(), shown, (r, i) -> r.finalParameters().bias(i));
        rows.add(row("final error", runs.stream().map(r -> r.completed() ? (Object) r.finalError() : null).toList()));
        double lowest = runs.stream().filter(SweepRun::completed).mapToDouble(SweepRun::finalError).min().orElse(Double.NaN);
        rows.add(row("lowest error", runs.stream().map(r -> r.completed() && r.finalError() == lowest ? (Object) "*" : null).toList()));
        int samples = runs.get(0).started().config().data().sampleCount();
        int outputs = network.outputs();
        int shownOutputs = Math.min(samples * outputs, shown);
        for (int k = 0; k < shownOutputs; k++) {
            int sample = k / outputs;
            int output = k % outputs;
            String label = "a_o" + (output + 1) + (samples > 1 ? " (sample " + (sample + 1) + ")" : "");
            rows.add(row(label, runs.stream().map(r -> r.completed() ? (Object) r.finalOutput(sample, output) : null).toList()));
        }
        if (shownOutputs < samples * outputs) {
            rows.add(row("…", runs.stream().map(r -> (Object) ((samples * outputs - shownOutputs) + " more outputs: --format csv or json")).toList()));
        }
        return rows;
    }

    private interface Value {
        double of(SweepRun run, int index);
    }

    private static void addValueRows(List<List<Object>> rows, List<SweepRun> runs, String prefix, int count, int shown, Value value) {
        for (int i = 0; i < Math.min(count, shown); i++) {
            int index = i;
            rows.add(row(prefix + (i + 1), runs.stream().map(r -> r.completed() ? (Object) value.of(r, index) : null).toList()));
        }
        if (count > shown) {
            rows.add(row("…", runs.stream().map(r -> (Object) ((count - shown) + " more: --format csv or json")).toList()));
        }
    }

    private static List<Object> row(String label, List<Object> values) {
        List<Object> row = new ArrayList<>(values.size() + 1);
        row.add(label);
        row.addAll(values);
        return row;
    }

}
