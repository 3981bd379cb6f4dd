package org.backprop.cli;

import org.backprop.table.PrintableText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.RunStarted;
import org.backprop.model.Network;
import org.backprop.model.RunConfig;
import org.backprop.replay.EpochSheet;

/**
 * Prints replayed epochs for a person to read: for the seed's network with the spreadsheet's names (h1, a_h1, e_tot,
 * de_dw1, ...), for any other network as the views' tables; either way each weight's before -> delta -> after.
 */
final class ReplayTable {
    private final PrintWriter out;
    private final RunStarted started;
    private final EpochSheet sheet;

    ReplayTable(PrintWriter out, RunStarted started) {
        this.out = out;
        this.started = started;
        this.sheet = new EpochSheet(started, true);
    }

    /** What run this is, printed once before its epochs. */
    void header(int epochCount, int from, int to) {
        RunConfig c = started.config();
        out.printf("run %d '%s': network %s (%s%s), learning rate %s, %d epochs recorded; epochs %d to %d%n", started.runId(), PrintableText.escaped(c.name()),
                c.network().shape(), String.join(", ", c.network().activations().stream().map(a -> a.label()).toList()),
                c.network().biased() ? c.network().trainBiases() ? ", trained biases" : ", fixed biases" : "", c.learningRate(),
                epochCount, from, to);
        if (sheet.seedShaped()) {
            out.printf("i1 = %s  i2 = %s  t1 = %s  t2 = %s%n", c.data().input(0, 0), c.data().input(0, 1), c.data().target(0, 0),
                    c.data().target(0, 1));
        } else {
            out.printf("%d sample%s%n", c.data().sampleCount(), c.data().sampleCount() == 1 ? "" : "s");
        }
    }

    void print(EpochRecorded e) {
        out.println();
        if (sheet.seedShaped()) {
            printSeedShaped(e);
        } else {
            printGeneric(e);
        }
        out.flush();
    }

    private void printSeedShaped(EpochRecorded e) {
        List<Object> row = sheet.row(e);
        List<String> columns = sheet.columns();
        out.println("epoch " + e.epoch());
        List<List<String>> forward = new ArrayList<>();
        for (String neuron : List.of("h1", "h2", "o1", "o2")) {
            forward.add(List.of(named(columns, row, neuron), named(columns, row, "a_" + neuron)));
        }
        forward.add(List.of(named(columns, row, "e1"), named(columns, row, "e2"), named(columns, row, "e_tot")));
        grid(forward);
        List<List<String>> weights = new ArrayList<>();
        for (EpochSheet.Update u : sheet.updates(e)) {
            String gradient = "de_d" + u.name();
            weights.add(List.of(gradient + " = " + u.gradient(), u.name() + ":", String.valueOf(u.before()), "->",
                    String.valueOf(u.delta()), "->", String.valueOf(u.after())));
        }
        grid(weights);
    }

    private static String named(List<String> columns, List<Object> row, String name) {
        return name + " = " + row.get(columns.indexOf(name));
    }

    private void printGeneric(EpochRecorded e) {
        RunConfig c = started.config();
        Network n = c.network();
        out.println("epoch " + e.epoch() + "  total_error = " + e.loss());
        List<List<String>> forward = new ArrayList<>();
        forward.add(List.of("sample", "layer", "neuron", "net_input", "activation", "delta"));
        for (int s = 0; s < c.data().sampleCount(); s++) {
            for (int k = 0; k < n.neuronCount(); k++) {
                Network.WeightPosition p = n.biasPosition(k);
                forward.add(List.of(String.valueOf(s + 1), String.valueOf(p.layer()), String.valueOf(p.toNeuron()),
                        String.valueOf(e.netInput(n, s, k)), String.valueOf(e.activation(n, s, k)), String.valueOf(e.delta(n, s, k))));
            }
        }
        grid(forward);
        List<List<String>> losses = new ArrayList<>();
        losses.add(List.of("sample", "output", "target", "actual", "error"));
        int outputs = n.neuronOffset(n.layerCount() - 1);
        for (int s = 0; s < c.data().sampleCount(); s++) {
            for (int o = 0; o < n.outputs(); o++) {
                losses.add(List.of(String.valueOf(s + 1), String.valueOf(o + 1), String.valueOf(c.data().target(s, o)),
                        String.valueOf(e.activation(n, s, outputs + o)), String.valueOf(sheet.outputError(e, s, o))));
            }
        }
        grid(losses);
        List<List<String>> weights = new ArrayList<>();
        weights.add(List.of("weight", "gradient", "before", "", "delta", "", "after"));
        for (EpochSheet.Update u : sheet.updates(e)) {
            weights.add(List.of(u.name(), String.valueOf(u.gradient()), String.valueOf(u.before()), "->", String.valueOf(u.delta()), "->",
                    String.valueOf(u.after())));
        }
        grid(weights);
    }

    /** Rows of cells, each column as wide as its widest cell, indented under the epoch's heading. */
    private void grid(List<List<String>> rows) {
        List<Integer> width = new ArrayList<>();
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                if (c == width.size()) {
                    width.add(0);
                }
                width.set(c, Math.max(width.get(c), row.get(c).length()));
            }
        }
        StringBuilder line = new StringBuilder();
        for (List<String> row : rows) {
            line.setLength(0);
            for (int c = 0; c < row.size(); c++) {
                line.append("  ").append(row.get(c)).append(" ".repeat(width.get(c) - row.get(c).length()));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
