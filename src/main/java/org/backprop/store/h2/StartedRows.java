package org.backprop.store.h2;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
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
 * How a {@code run_started} row holds a start event: the network as its layers ("2-2-2") and activations
 * ("sigmoid,sigmoid"), the data and initial parameters packed as {@link EpochCodec} packs them.
 */
public final class StartedRows {
    private StartedRows() {
    }

    /** The start event in the current row of a {@code SELECT * FROM run_started}. */
    public static RunStarted readStarted(ResultSet rs) throws SQLException {
        Network network = network(rs.getString("layers"), rs.getString("activations"), rs.getBoolean("biased"), rs.getBoolean("train_biases"));
        int samples = rs.getInt("sample_count");
        Dataset data = new Dataset(EpochCodec.unpackRows(rs.getBytes("inputs"), samples, network.inputs()),
                EpochCodec.unpackRows(rs.getBytes("targets"), samples, network.outputs()));
        Parameters initial = EpochCodec.unpack(rs.getBytes("initial_parameters"), network.weightCount());
        long seed = rs.getLong("weight_seed");
        Long weightSeed = rs.wasNull() ? null : seed;
        // What the columns do not hold lives only in the canonical configuration text, which the start hash covers.
        String text = rs.getString("config");
        RunConfig config = new RunConfig(rs.getString("name"), network, data, initial, weightSeed,
                rs.getDouble("learning_rate"), rs.getInt("epochs"), CanonicalConfig.untilLoss(text));
        long parent = rs.getLong("parent_run_id");
        Lineage lineage = rs.wasNull() ? null : new Lineage(parent, rs.getInt("fork_epoch"));
        long sweep = rs.getLong("sweep_id");
        Long sweepId = rs.wasNull() ? null : sweep;
        Instant created = rs.getObject("created_at", OffsetDateTime.class).toInstant();
        return new RunStarted(rs.getLong("run_id"), config, lineage, sweepId, created, CanonicalConfig.source(text),
                CanonicalConfig.importedFrom(text));
    }

    /** The network a run_started row describes. */
    public static Network network(String layers, String activations, boolean biased, boolean trainBiases) {
        return new Network(Arrays.stream(layers.split("-")).mapToInt(Integer::parseInt).toArray(),
                Arrays.stream(activations.split(",")).map(Activation::parse).toList(), biased, trainBiases);
    }

    /** The activations column of a network. */
    public static String activations(Network network) {
        return String.join(",", network.activations().stream().map(Activation::label).toList());
    }
}
