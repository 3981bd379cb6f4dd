package org.backprop.store.sql;

import org.backprop.events.EpochCodec;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.store.h2.StartedRows;
import org.h2.engine.SessionLocal;
import org.h2.result.Row;
import org.h2.table.Table;
import org.h2.value.Value;
import org.h2.value.ValueBigint;
import org.h2.value.ValueInteger;
import org.h2.value.ValueVarchar;

/**
 * Where each value of a run's packed epochs lies, and the SQL values that repeat on every row of the views. A run's
 * start event never changes, so a layout is made once per run and kept by its view table.
 */
final class RunLayout {
    /** Up to this many parameters, their names and positions are kept as SQL values; beyond, made row by row. */
    private static final int CACHED_PARAMETERS = 1 << 21;

    final long id;
    final Network network;
    final int samples;
    final double rate;
    final double[][] inputs;
    final double[][] targets;
    final int w;
    final int b;
    final int n;
    final int netAt;
    final int actAt;
    final int deltaAt;
    final int gradAt;
    final int lossAt;
    final int epochDoubles;
    final int outputOffset;
    final Value runId;
    final Value[] neuronLayer;
    final Value[] neuronNumber;
    private volatile Value[][] parameterColumns;

    private RunLayout(long id, Network network, int samples, double rate, double[][] inputs, double[][] targets) {
        this.id = id;
        this.network = network;
        this.samples = samples;
        this.rate = rate;
        this.inputs = inputs;
        this.targets = targets;
        this.w = network.weightCount();
        this.b = network.biasCount();
        this.n = network.neuronCount();
        EpochCodec codec = new EpochCodec(network, samples);
        this.netAt = codec.netInputsAt();
        this.actAt = codec.activationsAt();
        this.deltaAt = codec.deltasAt();
        this.gradAt = codec.gradientsAt();
        this.lossAt = codec.lossAt();
        this.epochDoubles = codec.epochDoubles();
        this.outputOffset = network.neuronOffset(network.layerCount() - 1);
        this.runId = ValueBigint.get(id);
        this.neuronLayer = new Value[n];
        this.neuronNumber = new Value[n];
        for (int k = 0; k < n; k++) {
            Network.WeightPosition pos = network.biasPosition(k);
            neuronLayer[k] = ValueInteger.get(pos.layer());
            neuronNumber[k] = ValueInteger.get(pos.toNeuron());
        }
    }

    /** The layout of the run whose start event is this row of {@code run_started}. */
    static RunLayout of(Table runStarted, Row started) {
        Network network = StartedRows.network(value(runStarted, started, "LAYERS").getString(), value(runStarted, started, "ACTIVATIONS").getString(),
                value(runStarted, started, "BIASED").getBoolean(), value(runStarted, started, "TRAIN_BIASES").getBoolean());
        int samples = value(runStarted, started, "SAMPLE_COUNT").getInt();
        return new RunLayout(value(runStarted, started, "RUN_ID").getLong(), network, samples, value(runStarted, started, "LEARNING_RATE").getDouble(),
                EpochCodec.unpackRows(value(runStarted, started, "INPUTS").getBytesNoCopy(), samples, network.inputs()),
                EpochCodec.unpackRows(value(runStarted, started, "TARGETS").getBytesNoCopy(), samples, network.outputs()));
    }

    /** Reads the run's start event, or returns null when there is no such run. */
    static RunLayout load(SessionLocal session, long runId) {
        Table runStarted = EventTables.table(session, EventTables.RUN_STARTED);
        Row row = EventTables.rowOfRun(session, runStarted, runId);
        return row == null ? null : of(runStarted, row);
    }

    private static Value value(Table t, Row row, String column) {
        return row.getValue(EventTables.column(t, column));
    }

    int epochBytes() {
        return epochDoubles * Double.BYTES;
    }

    boolean isSeedShaped() {
        return network.isSeedShaped(samples);
    }

    /** Parameters: the weights, then the biases. */
    int parameters() {
        return w + b;
    }

    /** The parameter named {@code name} (w1.., then b1..), or -1 when the run has none of that name. */
    int parameterNamed(String name) {
        if (name.length() < 2 || name.length() > 11 || name.charAt(1) < '1' || name.charAt(1) > '9') {
            return -1;
        }
        long number = 0;
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            number = number * 10 + (c - '0');
        }
        return switch (name.charAt(0)) {
            case 'w' -> number <= w ? (int) number - 1 : -1;
            case 'b' -> number <= b ? w + (int) number - 1 : -1;
            default -> -1;
        };
    }

    Value name(int k) {
        return parameterColumn(0, k);
    }

    Value layer(int k) {
        return parameterColumn(1, k);
    }

    Value fromNeuron(int k) {
        return parameterColumn(2, k);
    }

    Value toNeuron(int k) {
        return parameterColumn(3, k);
    }

    private Value parameterColumn(int column, int k) {
        Value[][] cached = parameterColumns;
        if (cached == null && w + b <= CACHED_PARAMETERS) {
            cached = parameterColumns = makeParameterColumns();
        }
        if (cached != null) {
            return cached[column][k];
        }
        return parameterValue(column, k);
    }

    private Value[][] makeParameterColumns() {
        Value[][] columns = new Value[4][w + b];
        for (int c = 0; c < 4; c++) {
            for (int k = 0; k < w + b; k++) {
                columns[c][k] = parameterValue(c, k);
            }
        }
        return columns;
    }

    private Value parameterValue(int column, int k) {
        if (column == 0) {
            return ValueVarchar.get(Parameters.name(k, w));
        }
        Network.WeightPosition pos = k < w ? network.weightPosition(k) : network.biasPosition(k - w);
        return ValueInteger.get(column == 1 ? pos.layer() : column == 2 ? pos.fromNeuron() : pos.toNeuron());
    }
}
