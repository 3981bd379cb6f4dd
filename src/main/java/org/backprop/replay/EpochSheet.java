package org.backprop.replay;

import java.util.ArrayList;
import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.RunStarted;
import org.backprop.model.Backprop;
import org.backprop.model.Loss;
import org.backprop.model.Network;
import org.backprop.model.RunConfig;

/**
 * A run laid out one row per epoch: for the seed's network exactly the {@code epoch_sheet} view's columns, otherwise a
 * column for every weight, bias, net input, activation, delta, output error and gradient, named after the views.
 * With updates, each weight's delta and after follow. Derived values come from the same functions training used.
 */
public final class EpochSheet {
    private final long runId;
    private final RunConfig config;
    private final ValueNames names;
    private final boolean withUpdates;
    private final List<String> columns;

    public EpochSheet(RunStarted started, boolean withUpdates) {
        this.runId = started.runId();
        this.config = started.config();
        this.names = new ValueNames(config);
        this.withUpdates = withUpdates;
        this.columns = List.copyOf(names.seedShaped() ? seedColumns() : genericColumns());
    }

    public List<String> columns() {
        return columns;
    }

    public boolean seedShaped() {
        return names.seedShaped();
    }

    private int parameterCount() {
        return config.network().weightCount() + config.network().biasCount();
    }

    private List<String> seedColumns() {
        List<String> c = new ArrayList<>(List.of("run_id", "epoch", "learning_rate", "t1", "t2", "i1", "i2", "w1", "w2", "w3", "w4",
                "h1", "a_h1", "h2", "a_h2", "w5", "w6", "w7", "w8", "o1", "a_o1", "o2", "a_o2", "e1", "e2", "e_tot"));
        for (int k = 0; k < 8; k++) {
            c.add("de_dw" + (k + 1));
        }
        addUpdateColumns(c);
        return c;
    }

    private List<String> genericColumns() {
        Network n = config.network();
        List<String> c = new ArrayList<>(List.of("run_id", "epoch", "learning_rate"));
        for (int k = 0; k < parameterCount(); k++) {
            c.add(names.parameter(k));
        }
        for (String kind : List.of("net_input", "activation", "delta")) {
            for (int s = 0; s < config.data().sampleCount(); s++) {
                for (int k = 0; k < n.neuronCount(); k++) {
                    c.add(kind + "_" + names.neuronKey(s, k));
                }
            }
        }
        for (int s = 0; s < config.data().sampleCount(); s++) {
            for (int o = 0; o < n.outputs(); o++) {
                c.add("error_s" + (s + 1) + "_o" + (o + 1));
            }
        }
        c.add("total_error");
        for (int k = 0; k < parameterCount(); k++) {
            c.add("gradient_" + names.parameter(k));
        }
        addUpdateColumns(c);
        return c;
    }

    private void addUpdateColumns(List<String> c) {
        if (withUpdates) {
            for (String kind : List.of("delta_", "after_")) {
                for (int k = 0; k < parameterCount(); k++) {
                    c.add(kind + names.parameter(k));
                }
            }
        }
    }

    /** The epoch's row, one value per column. */
    public List<Object> row(EpochRecorded e) {
        List<Object> v = new ArrayList<>(columns.size());
        v.add(runId);
        v.add(e.epoch());
        v.add(config.learningRate());
        if (names.seedShaped()) {
            seedRow(e, v);
        } else {
            genericRow(e, v);
        }
        if (withUpdates) {
            Update[] updates = updates(e);
            for (Update u : updates) {
                v.add(u.delta());
            }
            for (Update u : updates) {
                v.add(u.after());
            }
        }
        return v;
    }

    private void seedRow(EpochRecorded e, List<Object> v) {
        Network n = config.network();
        v.add(config.data().target(0, 0));
        v.add(config.data().target(0, 1));
        v.add(config.data().input(0, 0));
        v.add(config.data().input(0, 1));
        for (int w = 0; w < 4; w++) {
            v.add(e.before().weight(w));
        }
        for (int h = 0; h < 2; h++) {
            v.add(e.netInput(n, 0, h));
            v.add(e.activation(n, 0, h));
        }
        for (int w = 4; w < 8; w++) {
            v.add(e.before().weight(w));
        }
        for (int o = 2; o < 4; o++) {
            v.add(e.netInput(n, 0, o));
            v.add(e.activation(n, 0, o));
        }
        v.add(outputError(e, 0, 0));
        v.add(outputError(e, 0, 1));
        v.add(e.loss());
        for (int w = 0; w < 8; w++) {
            v.add(e.weightGradient(w));
        }
    }

    private void genericRow(EpochRecorded e, List<Object> v) {
        Network n = config.network();
        int w = n.weightCount();
        for (int k = 0; k < parameterCount(); k++) {
            v.add(k < w ? e.before().weight(k) : e.before().bias(k - w));
        }
        int samples = config.data().sampleCount();
        for (int kind = 0; kind < 3; kind++) {
            for (int s = 0; s < samples; s++) {
                for (int k = 0; k < n.neuronCount(); k++) {
                    v.add(switch (kind) {
                        case 0 -> e.netInput(n, s, k);
                        case 1 -> e.activation(n, s, k);
                        default -> e.delta(n, s, k);
                    });
                }
            }
        }
        for (int s = 0; s < samples; s++) {
            for (int o = 0; o < n.outputs(); o++) {
                v.add(outputError(e, s, o));
            }
        }
        v.add(e.loss());
        for (int k = 0; k < parameterCount(); k++) {
            v.add(k < w ? e.weightGradient(k) : e.biasGradient(k - w));
        }
    }

    /** ½(target − actual)² of one output for one sample, as the {@code losses} view computes it. */
    public double outputError(EpochRecorded e, int sample, int output) {
        Network n = config.network();
        double actual = e.activation(n, sample, n.neuronOffset(n.layerCount() - 1) + output);
        return Loss.outputError(config.data().target(sample, output), actual);
    }

    /** What gradient descent did to one weight or bias in one epoch. */
    public record Update(String name, double gradient, double before, double delta, double after) {
    }

    /** Every weight's and bias's update in the epoch, as the {@code weight_updates} view shows it. */
    public Update[] updates(EpochRecorded e) {
        int w = config.network().weightCount();
        boolean trainBiases = config.network().trainBiases();
        Update[] out = new Update[parameterCount()];
        for (int k = 0; k < out.length; k++) {
            boolean weight = k < w;
            double gradient = weight ? e.weightGradient(k) : e.biasGradient(k - w);
            double before = weight ? e.before().weight(k) : e.before().bias(k - w);
            double delta = weight || trainBiases ? Backprop.step(config.learningRate(), gradient) : 0.0;
            out[k] = new Update(names.parameter(k), gradient, before, delta, before + delta);
        }
        return out;
    }
}
