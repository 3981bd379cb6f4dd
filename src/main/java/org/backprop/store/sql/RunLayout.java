package org.backprop.store.sql;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.backprop.events.EpochCodec;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.store.h2.StartedRows;
import org.h2.value.Value;
import org.h2.value.ValueBigint;
import org.h2.value.ValueInteger;
import org.h2.value.ValueVarchar;

/** Where each value of a run's packed epochs lies, and the SQL values that repeat on every row of the views. */
final class RunLayout {
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
    final Value[] names;
    final Value[] layer;
    final Value[] from;
    final Value[] to;
    final Value[] neuronLayer;
    final Value[] neuronNumber;

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
        this.names = new Value[w + b];
        this.layer = new Value[w + b];
        this.from = new Value[w + b];
        this.to = new Value[w + b];
        for (int k = 0; k < w + b; k++) {
            Network.WeightPosition pos = k < w ? network.weightPosition(k) : network.biasPosition(k - w);
            names[k] = ValueVarchar.get(Parameters.name(k, w));
            layer[k] = ValueInteger.get(pos.layer());
            from[k] = ValueInteger.get(pos.fromNeuron());
            to[k] = ValueInteger.get(pos.toNeuron());
        }
        this.neuronLayer = new Value[n];
        this.neuronNumber = new Value[n];
        for (int k = 0; k < n; k++) {
            Network.WeightPosition pos = network.biasPosition(k);
            neuronLayer[k] = ValueInteger.get(pos.layer());
            neuronNumber[k] = ValueInteger.get(pos.toNeuron());
        }
    }

    /** Reads the run's start event, or returns null when there is no such run. */
    static RunLayout load(Connection c, long runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT layers, activations, biased, train_biases, sample_count, learning_rate, inputs, targets
                FROM run_started WHERE run_id = ?""")) {
            s.setLong(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Network network = StartedRows.network(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getBoolean(4));
                int samples = rs.getInt(5);
                return new RunLayout(runId, network, samples, rs.getDouble(6), EpochCodec.unpackRows(rs.getBytes(7), samples, network.inputs()),
                        EpochCodec.unpackRows(rs.getBytes(8), samples, network.outputs()));
            }
        }
    }

    int epochBytes() {
        return epochDoubles * Double.BYTES;
    }

    double get(ByteBuffer payload, int base, int index) {
        return payload.getDouble((base + index) * Double.BYTES);
    }

    boolean isSeedShaped() {
        return network.isSeedShaped(samples);
    }
}
