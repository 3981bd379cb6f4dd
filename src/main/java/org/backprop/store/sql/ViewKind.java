package org.backprop.store.sql;

import java.util.ArrayList;
import java.util.List;
import org.backprop.model.Backprop;
import org.backprop.model.Loss;
import org.backprop.store.sql.StoredRows.StoredRow;
import org.backprop.store.sql.ViewBounds.Range;
import org.h2.engine.SessionLocal;
import org.h2.result.SearchRow;
import org.h2.value.Value;
import org.h2.value.ValueDouble;
import org.h2.value.ValueInteger;
import org.h2.value.ValueNull;

/**
 * The public views of the packed epochs: for each, how many rows an epoch of a run gives, what row {@code k} holds
 * in each column, and which rows of an epoch bounds on its key columns (those after run_id and epoch that tell one
 * row of an epoch from another) select. Every value is read from the stored bytes, only when asked for, or derived
 * with the functions the trainer used, so it is bit-identical to what was computed.
 * Columns 0 and 1 are always {@code run_id} and {@code epoch}.
 */
enum ViewKind {
    /** Row k of an epoch: sample k / (inputs + n), then the sample's inputs (layer 0) and its neurons layer by layer. */
    FORWARD_VALUES("NEURON", new String[] {"SAMPLE", "LAYER", "NEURON"},
            "SAMPLE INTEGER", "LAYER INTEGER", "NEURON INTEGER", "NET_INPUT DOUBLE", "ACTIVATION DOUBLE", "DELTA DOUBLE") {
        @Override int rowsPerEpoch(RunLayout r) { return r.samples * (r.network.inputs() + r.n); }

        @Override Value value(RunLayout r, StoredRow p, int epoch, int k, int column) {
            int inputs = r.network.inputs();
            int perSample = inputs + r.n;
            int sample = k / perSample;
            int i = k % perSample;
            boolean input = i < inputs;
            int at = sample * r.n + i - inputs;
            return switch (column) {
                case 2 -> ValueInteger.get(sample + 1);
                case 3 -> input ? ValueInteger.get(0) : r.neuronLayer[i - inputs];
                case 4 -> input ? ValueInteger.get(i + 1) : r.neuronNumber[i - inputs];
                case 5 -> input ? ValueNull.INSTANCE : ValueDouble.get(p.getDouble(epoch, r.netAt + at));
                case 6 -> input ? ValueDouble.get(r.inputs[sample][i]) : ValueDouble.get(p.getDouble(epoch, r.actAt + at));
                case 7 -> input ? ValueNull.INSTANCE : ValueDouble.get(p.getDouble(epoch, r.deltaAt + at));
                default -> throw new IllegalArgumentException("column " + column);
            };
        }

        @Override KeySelection select(RunLayout r, Range[] keys, String parameter) {
            Range samples = keys[0].within(1, r.samples);
            Range layers = keys[1].within(0, r.network.layerCount() - 1);
            int inputs = r.network.inputs();
            int perSample = inputs + r.n;
            KeySelection.Builder out = new KeySelection.Builder();
            for (long s = samples.lo(); s <= samples.hi(); s++) {
                int base = (int) (s - 1) * perSample;
                for (long l = layers.lo(); l <= layers.hi(); l++) {
                    int size = r.network.size((int) l);
                    Range neurons = keys[2].within(1, size);
                    int first = base + (l == 0 ? 0 : inputs + r.network.neuronOffset((int) l));
                    if (!neurons.isEmpty()) {
                        out.add(first + (int) neurons.lo() - 1, first + (int) neurons.hi());
                    }
                }
            }
            return out.build();
        }
    },
    /** Row k of an epoch: sample k / outputs, output k % outputs. */
    LOSSES("OUTPUT", new String[] {"SAMPLE", "OUTPUT"},
            "SAMPLE INTEGER", "OUTPUT INTEGER", "TARGET DOUBLE", "ACTUAL DOUBLE", "ERROR DOUBLE") {
        @Override int rowsPerEpoch(RunLayout r) { return r.samples * r.network.outputs(); }

        @Override Value value(RunLayout r, StoredRow p, int epoch, int k, int column) {
            int outputs = r.network.outputs();
            int sample = k / outputs;
            int o = k % outputs;
            return switch (column) {
                case 2 -> ValueInteger.get(sample + 1);
                case 3 -> ValueInteger.get(o + 1);
                case 4 -> ValueDouble.get(r.targets[sample][o]);
                case 5 -> ValueDouble.get(actual(r, p, epoch, sample, o));
                case 6 -> ValueDouble.get(Loss.outputError(r.targets[sample][o], actual(r, p, epoch, sample, o)));
                default -> throw new IllegalArgumentException("column " + column);
            };
        }

        private double actual(RunLayout r, StoredRow p, int epoch, int sample, int o) {
            return p.getDouble(epoch, r.actAt + sample * r.n + r.outputOffset + o);
        }

        @Override KeySelection select(RunLayout r, Range[] keys, String parameter) {
            int outputs = r.network.outputs();
            Range samples = keys[0].within(1, r.samples);
            Range wanted = keys[1].within(1, outputs);
            KeySelection.Builder out = new KeySelection.Builder();
            for (long s = samples.lo(); s <= samples.hi() && !wanted.isEmpty(); s++) {
                int base = (int) (s - 1) * outputs;
                out.add(base + (int) wanted.lo() - 1, base + (int) wanted.hi());
            }
            return out.build();
        }
    },
    EPOCH_LOSSES(null, new String[0], "TOTAL_ERROR DOUBLE") {
        @Override int rowsPerEpoch(RunLayout r) { return 1; }

        @Override Value value(RunLayout r, StoredRow p, int epoch, int k, int column) {
            return ValueDouble.get(p.getDouble(epoch, r.lossAt));
        }
    },
    /** Row k of an epoch: parameter k, the weights w1..wW, then the biases b1..bB. */
    GRADIENTS("WEIGHT", new String[] {"WEIGHT", "LAYER", "FROM_NEURON", "TO_NEURON"},
            "WEIGHT VARCHAR", "LAYER INTEGER", "FROM_NEURON INTEGER", "TO_NEURON INTEGER", "GRADIENT DOUBLE") {
        @Override int rowsPerEpoch(RunLayout r) { return r.parameters(); }

        @Override Value value(RunLayout r, StoredRow p, int epoch, int k, int column) {
            return switch (column) {
                case 2 -> r.name(k);
                case 3 -> r.layer(k);
                case 4 -> r.fromNeuron(k);
                case 5 -> r.toNeuron(k);
                case 6 -> ValueDouble.get(p.getDouble(epoch, r.gradAt + k));
                default -> throw new IllegalArgumentException("column " + column);
            };
        }

        @Override KeySelection select(RunLayout r, Range[] keys, String parameter) {
            Range layers = keys[1].within(1, r.network.layerCount() - 1);
            if (parameter != null) {
                int k = r.parameterNamed(parameter);
                boolean inside = k >= 0 && contains(layers, r.layer(k)) && contains(keys[2], r.fromNeuron(k)) && contains(keys[3], r.toNeuron(k));
                return inside ? new KeySelection.Builder().add(k, k + 1).build() : KeySelection.NONE;
            }
            KeySelection.Builder out = new KeySelection.Builder();
            for (long l = layers.lo(); l <= layers.hi(); l++) {
                int layer = (int) l;
                int sources = r.network.size(layer - 1);
                int base = r.network.weightOffset(layer);
                Range from = keys[2].within(1, sources);
                Range to = keys[3].within(1, r.network.size(layer));
                if (from.isEmpty() || to.isEmpty()) {
                    continue;
                }
                if (from.lo() == 1 && from.hi() == sources) {
                    out.add(base + (int) (to.lo() - 1) * sources, base + (int) to.hi() * sources);
                } else {
                    for (long t = to.lo(); t <= to.hi(); t++) {
                        int row = base + (int) (t - 1) * sources;
                        out.add(row + (int) from.lo() - 1, row + (int) from.hi());
                    }
                }
            }
            // A bias has from_neuron 0.
            if (r.b > 0 && keys[2].lo() <= 0 && keys[2].hi() >= 0) {
                for (long l = layers.lo(); l <= layers.hi(); l++) {
                    Range to = keys[3].within(1, r.network.size((int) l));
                    int base = r.w + r.network.neuronOffset((int) l);
                    if (!to.isEmpty()) {
                        out.add(base + (int) to.lo() - 1, base + (int) to.hi());
                    }
                }
            }
            return out.build();
        }

        private static boolean contains(Range range, Value v) {
            return v.getInt() >= range.lo() && v.getInt() <= range.hi();
        }
    },
    /** Row k of an epoch: parameter k, as for gradients. */
    WEIGHT_UPDATES("WEIGHT", new String[] {"WEIGHT"}, "WEIGHT VARCHAR", "BEFORE DOUBLE", "DELTA DOUBLE", "AFTER DOUBLE") {
        @Override int rowsPerEpoch(RunLayout r) { return r.parameters(); }

        @Override Value value(RunLayout r, StoredRow p, int epoch, int k, int column) {
            if (column == 2) {
                return r.name(k);
            }
            double before = p.getDouble(epoch, k);
            if (column == 3) {
                return ValueDouble.get(before);
            }
            boolean trained = k < r.w || r.network.trainBiases();
            double delta = trained ? Backprop.step(r.rate, p.getDouble(epoch, r.gradAt + k)) : 0.0;
            return switch (column) {
                case 4 -> ValueDouble.get(delta);
                case 5 -> ValueDouble.get(before + delta);
                default -> throw new IllegalArgumentException("column " + column);
            };
        }

        @Override KeySelection select(RunLayout r, Range[] keys, String parameter) {
            if (parameter == null) {
                return KeySelection.all(r.parameters());
            }
            int k = r.parameterNamed(parameter);
            return k < 0 ? KeySelection.NONE : new KeySelection.Builder().add(k, k + 1).build();
        }
    },
    EPOCH_SHEET(null, new String[0], "LEARNING_RATE DOUBLE", "T1 DOUBLE", "T2 DOUBLE", "I1 DOUBLE", "I2 DOUBLE", "W1 DOUBLE", "W2 DOUBLE",
            "W3 DOUBLE", "W4 DOUBLE", "H1 DOUBLE", "A_H1 DOUBLE", "H2 DOUBLE", "A_H2 DOUBLE", "W5 DOUBLE", "W6 DOUBLE", "W7 DOUBLE",
            "W8 DOUBLE", "O1 DOUBLE", "A_O1 DOUBLE", "O2 DOUBLE", "A_O2 DOUBLE", "E1 DOUBLE", "E2 DOUBLE", "E_TOT DOUBLE",
            "DE_DW1 DOUBLE", "DE_DW2 DOUBLE", "DE_DW3 DOUBLE", "DE_DW4 DOUBLE", "DE_DW5 DOUBLE", "DE_DW6 DOUBLE", "DE_DW7 DOUBLE",
            "DE_DW8 DOUBLE") {
        @Override boolean includes(RunLayout r) { return r.isSeedShaped(); }

        @Override int rowsPerEpoch(RunLayout r) { return 1; }

        @Override Value value(RunLayout r, StoredRow p, int epoch, int k, int column) {
            return ValueDouble.get(switch (column) {
                case 2 -> r.rate;
                case 3, 4 -> r.targets[0][column - 3];
                case 5, 6 -> r.inputs[0][column - 5];
                case 7, 8, 9, 10 -> p.getDouble(epoch, column - 7);
                // h1, a_h1, h2, a_h2, then after w5..w8 o1, a_o1, o2, a_o2: a neuron's net input, then its activation.
                case 11, 12, 13, 14 -> neuron(r, p, epoch, (column - 11) / 2, (column - 11) % 2);
                case 15, 16, 17, 18 -> p.getDouble(epoch, column - 11);
                case 19, 20, 21, 22 -> neuron(r, p, epoch, 2 + (column - 19) / 2, (column - 19) % 2);
                case 23, 24 -> Loss.outputError(r.targets[0][column - 23], p.getDouble(epoch, r.actAt + 2 + column - 23));
                case 25 -> p.getDouble(epoch, r.lossAt);
                default -> p.getDouble(epoch, r.gradAt + column - 26);
            });
        }

        private static double neuron(RunLayout r, StoredRow p, int epoch, int neuron, int activation) {
            return p.getDouble(epoch, (activation == 0 ? r.netAt : r.actAt) + neuron);
        }
    };

    /** Every column as "NAME TYPE", run_id and epoch first. */
    final List<String> columnDefinitions;
    final int columns;
    /** Column ids of the key columns, after run_id and epoch; bounds on them narrow the rows read of each epoch. */
    final int[] keyColumns;
    /** What the index over run_id, epoch and the key columns is named after (null: the view has no key columns). */
    final String keyName;
    /** The one key column holding a parameter's name (gradients and weight_updates), or -1. */
    final int parameterColumn;

    ViewKind(String keyName, String[] keyColumnNames, String... valueColumns) {
        List<String> all = new ArrayList<>(List.of("RUN_ID BIGINT", "EPOCH INTEGER"));
        all.addAll(List.of(valueColumns));
        this.columnDefinitions = List.copyOf(all);
        this.columns = all.size();
        this.keyName = keyName;
        this.keyColumns = new int[keyColumnNames.length];
        int parameter = -1;
        for (int i = 0; i < keyColumnNames.length; i++) {
            keyColumns[i] = indexOf(all, keyColumnNames[i]);
            if (keyColumnNames[i].equals("WEIGHT")) {
                parameter = keyColumns[i];
            }
        }
        this.parameterColumn = parameter;
    }

    private static int indexOf(List<String> definitions, String name) {
        for (int i = 0; i < definitions.size(); i++) {
            if (definitions.get(i).startsWith(name + " ")) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** Whether the view has rows for this run at all. */
    boolean includes(RunLayout r) {
        return true;
    }

    abstract int rowsPerEpoch(RunLayout r);

    /** The value of column {@code column} (2 and above) of row {@code k} of {@code epoch}, whose bytes are in {@code p}. */
    abstract Value value(RunLayout r, StoredRow p, int epoch, int k, int column);

    /**
     * The rows of each epoch of run {@code r} that may meet the bounds: {@code keys} the range of each key column (in
     * the order of {@link #keyColumns}), {@code parameter} the name the parameter column must equal, or null.
     */
    KeySelection select(RunLayout r, Range[] keys, String parameter) {
        return KeySelection.all(rowsPerEpoch(r));
    }

    /** The rows of each epoch of run {@code r} that the bounds between {@code lower} and {@code upper} may select. */
    KeySelection select(SessionLocal session, RunLayout r, SearchRow lower, SearchRow upper) {
        Range[] keys = new Range[keyColumns.length];
        boolean bounded = false;
        for (int i = 0; i < keyColumns.length; i++) {
            if (keyColumns[i] == parameterColumn) {
                keys[i] = Range.ALL;
                continue;
            }
            keys[i] = ViewBounds.range(lower, upper, keyColumns[i]);
            if (keys[i].isEmpty()) {
                return KeySelection.NONE;
            }
            bounded |= !keys[i].isAll();
        }
        String parameter = parameterColumn < 0 ? null : ViewBounds.equalString(session, lower, upper, parameterColumn);
        if (ViewBounds.NO_STRING.equals(parameter)) {
            return KeySelection.NONE;
        }
        return bounded || parameter != null ? select(r, keys, parameter) : KeySelection.all(rowsPerEpoch(r));
    }
}
