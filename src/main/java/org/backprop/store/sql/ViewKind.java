package org.backprop.store.sql;

import java.nio.ByteBuffer;
import org.backprop.model.Backprop;
import org.backprop.model.Loss;
import org.h2.value.Value;
import org.h2.value.ValueDouble;
import org.h2.value.ValueInteger;
import org.h2.value.ValueNull;

/**
 * The public views of the packed epochs: for each, how many rows an epoch of a run gives and what row {@code k} holds.
 * Every value is read from the stored bytes or derived with the functions the trainer used, so it is bit-identical
 * to what was computed. Columns 0 and 1 are always {@code run_id} and {@code epoch}.
 */
enum ViewKind {
    FORWARD_VALUES("SAMPLE INTEGER", "LAYER INTEGER", "NEURON INTEGER", "NET_INPUT DOUBLE", "ACTIVATION DOUBLE", "DELTA DOUBLE") {
        @Override int rowsPerEpoch(RunLayout r) { return r.samples * (r.network.inputs() + r.n); }
        @Override void fill(RunLayout r, ByteBuffer p, int base, int k, Value[] v) {
            int inputs = r.network.inputs();
            int perSample = inputs + r.n;
            int sample = k / perSample;
            int i = k % perSample;
            v[2] = ValueInteger.get(sample + 1);
            if (i < inputs) {
                v[3] = ValueInteger.get(0);
                v[4] = ValueInteger.get(i + 1);
                v[5] = ValueNull.INSTANCE;
                v[6] = ValueDouble.get(r.inputs[sample][i]);
                v[7] = ValueNull.INSTANCE;
                return;
            }
            int neuron = i - inputs;
            int at = sample * r.n + neuron;
            v[3] = r.neuronLayer[neuron];
            v[4] = r.neuronNumber[neuron];
            v[5] = ValueDouble.get(r.get(p, base, r.netAt + at));
            v[6] = ValueDouble.get(r.get(p, base, r.actAt + at));
            v[7] = ValueDouble.get(r.get(p, base, r.deltaAt + at));
        }
    },
    LOSSES("SAMPLE INTEGER", "OUTPUT INTEGER", "TARGET DOUBLE", "ACTUAL DOUBLE", "ERROR DOUBLE") {
        @Override int rowsPerEpoch(RunLayout r) { return r.samples * r.network.outputs(); }
        @Override void fill(RunLayout r, ByteBuffer p, int base, int k, Value[] v) {
            int outputs = r.network.outputs();
            int sample = k / outputs;
            int o = k % outputs;
            double target = r.targets[sample][o];
            double actual = r.get(p, base, r.actAt + sample * r.n + r.outputOffset + o);
            v[2] = ValueInteger.get(sample + 1);
            v[3] = ValueInteger.get(o + 1);
            v[4] = ValueDouble.get(target);
            v[5] = ValueDouble.get(actual);
            v[6] = ValueDouble.get(Loss.outputError(target, actual));
        }
    },
    EPOCH_LOSSES("TOTAL_ERROR DOUBLE") {
        @Override int rowsPerEpoch(RunLayout r) { return 1; }
        @Override void fill(RunLayout r, ByteBuffer p, int base, int k, Value[] v) {
            v[2] = ValueDouble.get(r.get(p, base, r.lossAt));
        }
    },
    GRADIENTS("WEIGHT VARCHAR", "LAYER INTEGER", "FROM_NEURON INTEGER", "TO_NEURON INTEGER", "GRADIENT DOUBLE") {
        @Override int rowsPerEpoch(RunLayout r) { return r.w + r.b; }
        @Override void fill(RunLayout r, ByteBuffer p, int base, int k, Value[] v) {
            v[2] = r.names[k];
            v[3] = r.layer[k];
            v[4] = r.from[k];
            v[5] = r.to[k];
            v[6] = ValueDouble.get(r.get(p, base, r.gradAt + k));
        }
    },
    WEIGHT_UPDATES("WEIGHT VARCHAR", "BEFORE DOUBLE", "DELTA DOUBLE", "AFTER DOUBLE") {
        @Override int rowsPerEpoch(RunLayout r) { return r.w + r.b; }
        @Override void fill(RunLayout r, ByteBuffer p, int base, int k, Value[] v) {
            double before = r.get(p, base, k);
            boolean trained = k < r.w || r.network.trainBiases();
            double delta = trained ? Backprop.step(r.rate, r.get(p, base, r.gradAt + k)) : 0.0;
            v[2] = r.names[k];
            v[3] = ValueDouble.get(before);
            v[4] = ValueDouble.get(delta);
            v[5] = ValueDouble.get(before + delta);
        }
    },
    EPOCH_SHEET("LEARNING_RATE DOUBLE", "T1 DOUBLE", "T2 DOUBLE", "I1 DOUBLE", "I2 DOUBLE", "W1 DOUBLE", "W2 DOUBLE",
            "W3 DOUBLE", "W4 DOUBLE", "H1 DOUBLE", "A_H1 DOUBLE", "H2 DOUBLE", "A_H2 DOUBLE", "W5 DOUBLE", "W6 DOUBLE", "W7 DOUBLE",
            "W8 DOUBLE", "O1 DOUBLE", "A_O1 DOUBLE", "O2 DOUBLE", "A_O2 DOUBLE", "E1 DOUBLE", "E2 DOUBLE", "E_TOT DOUBLE",
            "DE_DW1 DOUBLE", "DE_DW2 DOUBLE", "DE_DW3 DOUBLE", "DE_DW4 DOUBLE", "DE_DW5 DOUBLE", "DE_DW6 DOUBLE", "DE_DW7 DOUBLE",
            "DE_DW8 DOUBLE") {
        @Override boolean includes(RunLayout r) { return r.isSeedShaped(); }
        @Override int rowsPerEpoch(RunLayout r) { return 1; }
        @Override void fill(RunLayout r, ByteBuffer p, int base, int k, Value[] v) {
            int i = 2;
            v[i++] = ValueDouble.get(r.rate);
            v[i++] = ValueDouble.get(r.targets[0][0]);
            v[i++] = ValueDouble.get(r.targets[0][1]);
            v[i++] = ValueDouble.get(r.inputs[0][0]);
            v[i++] = ValueDouble.get(r.inputs[0][1]);
            for (int w = 0; w < 4; w++) {
                v[i++] = ValueDouble.get(r.get(p, base, w));
            }
            for (int h = 0; h < 2; h++) {
                v[i++] = ValueDouble.get(r.get(p, base, r.netAt + h));
                v[i++] = ValueDouble.get(r.get(p, base, r.actAt + h));
            }
            for (int w = 4; w < 8; w++) {
                v[i++] = ValueDouble.get(r.get(p, base, w));
            }
            for (int o = 2; o < 4; o++) {
                v[i++] = ValueDouble.get(r.get(p, base, r.netAt + o));
                v[i++] = ValueDouble.get(r.get(p, base, r.actAt + o));
            }
            v[i++] = ValueDouble.get(Loss.outputError(r.targets[0][0], r.get(p, base, r.actAt + 2)));
            v[i++] = ValueDouble.get(Loss.outputError(r.targets[0][1], r.get(p, base, r.actAt + 3)));
            v[i++] = ValueDouble.get(r.get(p, base, r.lossAt));
            for (int w = 0; w < 8; w++) {
                v[i++] = ValueDouble.get(r.get(p, base, r.gradAt + w));
            }
        }
    };

    /** Every column as "NAME TYPE", run_id and epoch first. */
    final java.util.List<String> columnDefinitions;
    final int columns;

    ViewKind(String... valueColumns) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("RUN_ID BIGINT", "EPOCH INTEGER"));
        all.addAll(java.util.List.of(valueColumns));
        this.columnDefinitions = java.util.List.copyOf(all);
        this.columns = all.size();
    }

    /** Whether the view has rows for this run at all. */
    boolean includes(RunLayout r) {
        return true;
    }

    abstract int rowsPerEpoch(RunLayout r);

    /** Fills columns 2.. of row {@code k} of the epoch whose values start at double {@code base} of the payload. */
    abstract void fill(RunLayout r, ByteBuffer payload, int base, int k, Value[] values);
}
