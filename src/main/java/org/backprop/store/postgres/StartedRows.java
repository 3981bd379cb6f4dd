package org.backprop.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.backprop.events.CanonicalConfig;
import org.backprop.events.EpochCodec;
import org.backprop.events.Lineage;
import org.backprop.events.RunStarted;
import org.backprop.model.Activation;
import org.backprop.model.Dataset;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/**
 * How a {@code run_started} row of a team store holds a start event: the network as its layers ("2-2-2") and
 * activations ("sigmoid,sigmoid"), the data and initial parameters as float8[] (read back through their binary form,
 * bit for bit).
 */
final class StartedRows {
    /** The columns {@link #read} reads, in its order. */
    static final String COLUMNS = "run_id, name, learning_rate, epochs, layers, activations, biased, train_biases, sample_count,"
            + " array_send(inputs), array_send(targets), array_send(initial_parameters), weight_seed, parent_run_id, fork_epoch,"
            + " sweep_id, config, created_at";

    private StartedRows() {
    }

    /** The start event in the current row of a {@code SELECT COLUMNS FROM run_started}. */
    static RunStarted read(ResultSet rs) throws SQLException {
        Network network = new Network(Arrays.stream(rs.getString(5).split("-")).mapToInt(Integer::parseInt).toArray(),
                Arrays.stream(rs.getString(6).split(",")).map(Activation::parse).toList(), rs.getBoolean(7), rs.getBoolean(8));
        int samples = rs.getInt(9);
        Dataset data = new Dataset(rows(Float8Arrays.doubles(rs.getBytes(10)), samples, network.inputs()),
                rows(Float8Arrays.doubles(rs.getBytes(11)), samples, network.outputs()));
        Parameters parameters = parameters(Float8Arrays.doubles(rs.getBytes(12)), network.weightCount());
        long seed = rs.getLong(13);
        Long weightSeed = rs.wasNull() ? null : seed;
        RunConfig config = new RunConfig(rs.getString(2), network, data, parameters, weightSeed, rs.getDouble(3), rs.getInt(4));
        long parent = rs.getLong(14);
        Lineage lineage = rs.wasNull() ? null : new Lineage(parent, rs.getInt(15));
        long sweep = rs.getLong(16);
        Long sweepId = rs.wasNull() ? null : sweep;
        // A sheet run's source and an import's origin live only in the canonical configuration text, which the hash covers.
        String text = rs.getString(17);
        Instant created = rs.getObject(18, OffsetDateTime.class).toInstant();
        return new RunStarted(rs.getLong(1), config, lineage, sweepId, created, CanonicalConfig.source(text), CanonicalConfig.importedFrom(text));
    }

    /** Stores the start event, whose canonical configuration text and hash the caller made. */
    static void insert(Connection c, RunStarted started, String config, byte[] hash) throws SQLException {
        RunConfig run = started.config();
        Network network = run.network();
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO run_started (run_id, name, learning_rate, epochs, layers, activations, biased, train_biases, sample_count,
                    inputs, targets, initial_parameters, weight_seed, parent_run_id, fork_epoch, sweep_id, config, hash, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setLong(1, started.runId());
            s.setString(2, run.name());
            s.setDouble(3, run.learningRate());
            s.setInt(4, run.epochs());
            s.setString(5, network.shape());
            s.setString(6, String.join(",", network.activations().stream().map(Activation::label).toList()));
            s.setBoolean(7, network.biased());
            s.setBoolean(8, network.trainBiases());
            s.setInt(9, run.data().sampleCount());
            s.setArray(10, float8(c, flat(run.data().inputs())));
            s.setArray(11, float8(c, flat(run.data().targets())));
            s.setArray(12, float8(c, parameters(run.initial())));
            s.setObject(13, run.weightSeed(), java.sql.Types.BIGINT);
            s.setObject(14, started.lineage() == null ? null : started.lineage().parentRunId(), java.sql.Types.BIGINT);
            s.setObject(15, started.lineage() == null ? null : started.lineage().forkEpoch(), java.sql.Types.INTEGER);
            s.setObject(16, started.sweepId(), java.sql.Types.BIGINT);
            s.setString(17, config);
            s.setBytes(18, hash);
            s.setObject(19, OffsetDateTime.ofInstant(started.createdAt(), ZoneOffset.UTC));
            s.executeUpdate();
        }
    }

    /** A float8[] parameter holding exactly these doubles. */
    static java.sql.Array float8(Connection c, double[] values) throws SQLException {
        return c.unwrap(org.postgresql.PGConnection.class).createArrayOf("float8", values);
    }

    /** The weights then the biases. */
    static double[] parameters(Parameters p) {
        double[] all = Arrays.copyOf(p.weights(), p.weightCount() + p.biasCount());
        System.arraycopy(p.biases(), 0, all, p.weightCount(), p.biasCount());
        return all;
    }

    /** Parameters from weights-then-biases of a network with {@code weights} weights. */
    static Parameters parameters(double[] all, int weights) {
        return new Parameters(Arrays.copyOf(all, weights), Arrays.copyOfRange(all, weights, all.length));
    }

    private static double[] flat(double[][] rows) {
        return EpochCodec.unpackRows(EpochCodec.packRows(rows), 1, Arrays.stream(rows).mapToInt(r -> r.length).sum())[0];
    }

    private static double[][] rows(double[] flat, int rows, int width) {
        double[][] out = new double[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
        }
        return out;
    }
}
