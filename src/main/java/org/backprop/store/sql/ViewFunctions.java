package org.backprop.store.sql;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.backprop.model.Activation;
import org.backprop.model.Network;
import org.backprop.store.StoredEpochs;
import org.h2.tools.SimpleResultSet;
import org.h2.tools.SimpleRowSource;

/**
 * The table functions behind the public views: they unpack the stored epoch rows into one SQL row per value,
 * reading one stored row at a time so that no view holds a whole run in memory.
 */
public final class ViewFunctions {
    private ViewFunctions() {
    }

    public static ResultSet forwardValues(Connection c) throws SQLException {
        SimpleResultSet rs = new SimpleResultSet(new BlockRows(c, false) {
            @Override int rowsPerEpoch(Run r) { return r.samples * (r.network.inputs() + r.n); }
            @Override Object[] row(Run r, int epoch, ByteBuffer p, int base, int k) {
                int perSample = r.network.inputs() + r.n;
                int sample = k / perSample;
                int i = k % perSample;
                if (i < r.network.inputs()) {
                    return new Object[] {r.id, epoch, sample + 1, 0, i + 1, null, r.inputs[sample][i], null};
                }
                int neuron = i - r.network.inputs();
                int at = sample * r.n + neuron;
                return new Object[] {r.id, epoch, sample + 1, r.neuronLayer[neuron], r.neuronNumber[neuron],
                        r.get(p, base, r.netAt + at), r.get(p, base, r.actAt + at), r.get(p, base, r.deltaAt + at)};
            }
        });
        key(rs);
        rs.addColumn("SAMPLE", Types.INTEGER, 10, 0);
        rs.addColumn("LAYER", Types.INTEGER, 10, 0);
        rs.addColumn("NEURON", Types.INTEGER, 10, 0);
        rs.addColumn("NET_INPUT", Types.DOUBLE, 17, 0);
        rs.addColumn("ACTIVATION", Types.DOUBLE, 17, 0);
        rs.addColumn("DELTA", Types.DOUBLE, 17, 0);
        return rs;
    }

    public static ResultSet losses(Connection c) throws SQLException {
        SimpleResultSet rs = new SimpleResultSet(new BlockRows(c, false) {
            @Override int rowsPerEpoch(Run r) { return r.samples * r.network.outputs(); }
            @Override Object[] row(Run r, int epoch, ByteBuffer p, int base, int k) {
                int outputs = r.network.outputs();
                int sample = k / outputs;
                int o = k % outputs;
                double target = r.targets[sample][o];
                double actual = r.get(p, base, r.actAt + sample * r.n + r.outputOffset + o);
                return new Object[] {r.id, epoch, sample + 1, o + 1, target, actual, org.backprop.model.Loss.outputError(target, actual)};
            }
        });
        key(rs);
        rs.addColumn("SAMPLE", Types.INTEGER, 10, 0);
        rs.addColumn("OUTPUT", Types.INTEGER, 10, 0);
        rs.addColumn("TARGET", Types.DOUBLE, 17, 0);
        rs.addColumn("ACTUAL", Types.DOUBLE, 17, 0);
        rs.addColumn("ERROR", Types.DOUBLE, 17, 0);
        return rs;
    }

    public static ResultSet epochLosses(Connection c) throws SQLException {
        SimpleResultSet rs = new SimpleResultSet(new BlockRows(c, false) {
            @Override int rowsPerEpoch(Run r) { return 1; }
            @Override Object[] row(Run r, int epoch, ByteBuffer p, int base, int k) {
                return new Object[] {r.id, epoch, r.get(p, base, r.lossAt)};
            }
        });
        key(rs);
        rs.addColumn("TOTAL_ERROR", Types.DOUBLE, 17, 0);
        return rs;
    }

    public static ResultSet gradients(Connection c) throws SQLException {
        SimpleResultSet rs = new SimpleResultSet(new BlockRows(c, false) {
            @Override int rowsPerEpoch(Run r) { return r.w + r.b; }
            @Override Object[] row(Run r, int epoch, ByteBuffer p, int base, int k) {
                return new Object[] {r.id, epoch, r.names[k], r.layer[k], r.from[k], r.to[k], r.get(p, base, r.gradAt + k)};
            }
        });
        key(rs);
        rs.addColumn("WEIGHT", Types.VARCHAR, 20, 0);
        rs.addColumn("LAYER", Types.INTEGER, 10, 0);
        rs.addColumn("FROM_NEURON", Types.INTEGER, 10, 0);
        rs.addColumn("TO_NEURON", Types.INTEGER, 10, 0);
        rs.addColumn("GRADIENT", Types.DOUBLE, 17, 0);
        return rs;
    }

    public static ResultSet weightUpdates(Connection c) throws SQLException {
        SimpleResultSet rs = new SimpleResultSet(new BlockRows(c, false) {
            @Override int rowsPerEpoch(Run r) { return r.w + r.b; }
            @Override Object[] row(Run r, int epoch, ByteBuffer p, int base, int k) {
                double before = r.get(p, base, k);
                boolean trained = k < r.w || r.network.trainBiases();
                double delta = trained ? org.backprop.model.Backprop.step(r.rate, r.get(p, base, r.gradAt + k)) : 0.0;
                return new Object[] {r.id, epoch, r.names[k], before, delta, before + delta};
            }
        });
        key(rs);
        rs.addColumn("WEIGHT", Types.VARCHAR, 20, 0);
        rs.addColumn("BEFORE", Types.DOUBLE, 17, 0);
        rs.addColumn("DELTA", Types.DOUBLE, 17, 0);
        rs.addColumn("AFTER", Types.DOUBLE, 17, 0);
        return rs;
    }

    public static ResultSet epochSheet(Connection c) throws SQLException {
        SimpleResultSet rs = new SimpleResultSet(new BlockRows(c, true) {
            @Override int rowsPerEpoch(Run r) { return 1; }
            @Override Object[] row(Run r, int epoch, ByteBuffer p, int base, int k) {
                Object[] v = new Object[SHEET_COLUMNS.length];
                int i = 0;
                v[i++] = r.id;
                v[i++] = epoch;
                v[i++] = r.rate;
                v[i++] = r.targets[0][0];
                v[i++] = r.targets[0][1];
                v[i++] = r.inputs[0][0];
                v[i++] = r.inputs[0][1];
                for (int w = 0; w < 4; w++) {
                    v[i++] = r.get(p, base, w);
                }
                for (int h = 0; h < 2; h++) {
                    v[i++] = r.get(p, base, r.netAt + h);
                    v[i++] = r.get(p, base, r.actAt + h);
                }
                for (int w = 4; w < 8; w++) {
                    v[i++] = r.get(p, base, w);
                }
                for (int o = 2; o < 4; o++) {
                    v[i++] = r.get(p, base, r.netAt + o);
                    v[i++] = r.get(p, base, r.actAt + o);
                }
                double e1 = org.backprop.model.Loss.outputError(r.targets[0][0], r.get(p, base, r.actAt + 2));
                double e2 = org.backprop.model.Loss.outputError(r.targets[0][1], r.get(p, base, r.actAt + 3));
                v[i++] = e1;
                v[i++] = e2;
                v[i++] = r.get(p, base, r.lossAt);
                for (int w = 0; w < 8; w++) {
                    v[i++] = r.get(p, base, r.gradAt + w);
                }
                return v;
            }
        });
        rs.addColumn("RUN_ID", Types.BIGINT, 19, 0);
        rs.addColumn("EPOCH", Types.INTEGER, 10, 0);
        for (int i = 2; i < SHEET_COLUMNS.length; i++) {
            rs.addColumn(SHEET_COLUMNS[i], Types.DOUBLE, 17, 0);
        }
        return rs;
    }

    /** The {@code epoch_sheet} columns, in the seed spreadsheet's order. */
    public static final String[] SHEET_COLUMNS = {"RUN_ID", "EPOCH", "LEARNING_RATE", "T1", "T2", "I1", "I2", "W1", "W2", "W3", "W4",
        "H1", "A_H1", "H2", "A_H2", "W5", "W6", "W7", "W8", "O1", "A_O1", "O2", "A_O2", "E1", "E2", "E_TOT",
        "DE_DW1", "DE_DW2", "DE_DW3", "DE_DW4", "DE_DW5", "DE_DW6", "DE_DW7", "DE_DW8"};

    private static void key(SimpleResultSet rs) {
        rs.addColumn("RUN_ID", Types.BIGINT, 19, 0);
        rs.addColumn("EPOCH", Types.INTEGER, 10, 0);
    }

    /** What a view needs to know of a run to unpack its epochs. */
    static final class Run {
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
        final String[] names;
        final int[] layer;
        final int[] from;
        final int[] to;
        final int[] neuronLayer;
        final int[] neuronNumber;

        Run(long id, Network network, int samples, double rate, double[][] inputs, double[][] targets) {
            this.id = id;
            this.network = network;
            this.samples = samples;
            this.rate = rate;
            this.inputs = inputs;
            this.targets = targets;
            this.w = network.weightCount();
            this.b = network.biasCount();
            this.n = network.neuronCount();
            int sn = samples * n;
            this.netAt = w + b;
            this.actAt = netAt + sn;
            this.deltaAt = actAt + sn;
            this.gradAt = deltaAt + sn;
            this.lossAt = gradAt + w + b;
            this.epochDoubles = lossAt + 1;
            this.outputOffset = network.neuronOffset(network.layerCount() - 1);
            this.names = new String[w + b];
            this.layer = new int[w + b];
            this.from = new int[w + b];
            this.to = new int[w + b];
            for (int k = 0; k < w + b; k++) {
                Network.WeightPosition pos = k < w ? network.weightPosition(k) : network.biasPosition(k - w);
                names[k] = k < w ? "w" + (k + 1) : "b" + (k - w + 1);
                layer[k] = pos.layer();
                from[k] = pos.fromNeuron();
                to[k] = pos.toNeuron();
            }
            this.neuronLayer = new int[n];
            this.neuronNumber = new int[n];
            for (int k = 0; k < n; k++) {
                Network.WeightPosition pos = network.biasPosition(k);
                neuronLayer[k] = pos.layer();
                neuronNumber[k] = pos.toNeuron();
            }
        }

        double get(ByteBuffer payload, int base, int index) {
            return payload.getDouble((base + index) * Double.BYTES);
        }

        boolean isSeedShaped() {
            return samples == 1 && "2-2-2".equals(network.shape()) && b == 0;
        }
    }

    /** Streams the rows of one view: block by block, epoch by epoch, value by value. */
    abstract static class BlockRows implements SimpleRowSource {
        private final Connection connection;
        private final boolean seedShapedOnly;
        private final boolean columnListOnly;
        private List<Object[]> blocks;
        private int blockIndex = -1;
        private Run run;
        private ByteBuffer payload;
        private int epoch;
        private int lastEpoch;
        private int k;
        private int perEpoch;

        BlockRows(Connection connection, boolean seedShapedOnly) throws SQLException {
            this.connection = connection;
            this.seedShapedOnly = seedShapedOnly;
            // H2 calls table functions once with a placeholder connection just to learn their columns.
            this.columnListOnly = connection.getMetaData().getURL().startsWith("jdbc:columnlist:");
        }

        abstract int rowsPerEpoch(Run r);

        abstract Object[] row(Run r, int epoch, ByteBuffer payload, int base, int k);

        @Override
        public Object[] readRow() throws SQLException {
            if (columnListOnly) {
                return null;
            }
            if (blocks == null) {
                blocks = listBlocks();
            }
            while (payload == null || k >= perEpoch) {
                if (payload != null && epoch < lastEpoch) {
                    epoch++;
                    k = 0;
                    continue;
                }
                if (!nextBlock()) {
                    return null;
                }
            }
            int base = (epoch - firstEpoch) * run.epochDoubles;
            return row(run, epoch, payload, base, k++);
        }

        private int firstEpoch;

        private boolean nextBlock() throws SQLException {
            while (++blockIndex < blocks.size()) {
                Object[] key = blocks.get(blockIndex);
                long runId = (Long) key[0];
                if (run == null || run.id != runId) {
                    run = loadRun(runId);
                }
                if (run == null) {
                    continue;
                }
                firstEpoch = (Integer) key[1];
                lastEpoch = (Integer) key[2];
                payload = ByteBuffer.wrap(new StoredEpochs(connection, runId, run.epochDoubles * Double.BYTES).row(firstEpoch).payload())
                        .order(ByteOrder.LITTLE_ENDIAN);
                epoch = firstEpoch;
                k = 0;
                perEpoch = rowsPerEpoch(run);
                return true;
            }
            payload = null;
            return false;
        }

        private List<Object[]> listBlocks() throws SQLException {
            List<Object[]> keys = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT run_id, first_epoch, last_epoch FROM epoch_blocks ORDER BY run_id, first_epoch");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(new Object[] {rs.getLong(1), rs.getInt(2), rs.getInt(3)});
                }
            }
            return keys;
        }

        private Run loadRun(long runId) throws SQLException {
            try (PreparedStatement s = connection.prepareStatement("""
                    SELECT layers, activations, biased, train_biases, sample_count, learning_rate, inputs, targets
                    FROM run_started WHERE run_id = ?""")) {
                s.setLong(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    int[] layers = Arrays.stream(rs.getString(1).split("-")).mapToInt(Integer::parseInt).toArray();
                    List<Activation> activations = Arrays.stream(rs.getString(2).split(",")).map(Activation::parse).toList();
                    Network network = new Network(layers, activations, rs.getBoolean(3), rs.getBoolean(4));
                    int samples = rs.getInt(5);
                    Run r = new Run(runId, network, samples, rs.getDouble(6), unpack(rs.getBytes(7), samples, network.inputs()),
                            unpack(rs.getBytes(8), samples, network.outputs()));
                    return seedShapedOnly && !r.isSeedShaped() ? null : r;
                }
            }
        }

        private static double[][] unpack(byte[] bytes, int rows, int width) {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            double[][] out = new double[rows][width];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < width; i++) {
                    out[r][i] = b.getDouble();
                }
            }
            return out;
        }

        @Override
        public void close() {
        }

        @Override
        public void reset() {
            blocks = null;
            blockIndex = -1;
            payload = null;
            run = null;
        }
    }
}
