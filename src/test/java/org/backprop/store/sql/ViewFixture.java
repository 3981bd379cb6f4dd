package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.model.Activation;
import org.backprop.model.Backprop;
import org.backprop.model.Dataset;
import org.backprop.model.Loss;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.replay.RecordedRuns;
import org.backprop.store.h2.H2EventStore;
import org.backprop.sweep.Fork;
import org.backprop.sweep.ForkRequest;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;

/**
 * A store of runs of every shape the views must handle, and an oracle: the same views as plain tables of an
 * in-memory H2 database, filled with rows computed in Java from what {@link EventStore} reads back. A query over the
 * views must give what the same query over the oracle gives.
 */
final class ViewFixture {
    private static final AtomicInteger ORACLES = new AtomicInteger();

    private ViewFixture() {
    }

    /**
     * Records, in order: 1 the seed network; 2 a 3-4-2 biased network on two samples; 3 a network of three weight
     * layers on four samples with biases that are not trained; 4 a seed-shaped run cut short (interrupted);
     * 5 a fork of run 1 at epoch 20 with another learning rate; 6 a run that diverged (failed);
     * 7 a 128-130-4 network, whose epochs are too large for one stored row and are kept in parts.
     */
    static void recordRuns(H2EventStore store) {
        Trainer trainer = new Trainer(store);
        trainer.train(RunConfig.seed().withEpochs(60), TrainingProgress.NONE);
        Network biased = new Network(new int[] {3, 4, 2}, List.of(Activation.TANH, Activation.SIGMOID), true, true);
        trainer.train(new RunConfig("biased", biased, new Dataset(new double[][] {{0.1, 0.2, 0.3}, {1, -1, 0.5}}, new double[][] {{0, 1}, {1, 0}}),
                Parameters.random(biased, 3), 3L, 0.7, 40), TrainingProgress.NONE);
        Network deep = new Network(new int[] {2, 3, 2, 1}, List.of(Activation.RELU, Activation.TANH, Activation.IDENTITY), true, false);
        trainer.train(new RunConfig("deep", deep, new Dataset(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new double[][] {{0}, {1}, {1}, {0}}),
                Parameters.random(deep, 5), 5L, 0.2, 30), TrainingProgress.NONE);
        RecordedRuns.cutShort(store, 12);
        new Fork(store).run(new ForkRequest(1, 20, 0.3, 15, null), null, TrainingProgress.NONE);
        Network fast = new Network(new int[] {2, 3, 2}, List.of(Activation.TANH, Activation.IDENTITY), true, true);
        trainer.train(new RunConfig("too-fast", fast, new Dataset(new double[][] {{0.5, -1}, {2, 1}, {-1.5, 0.25}},
                new double[][] {{1, 0}, {0, 1}, {3, -2}}), Parameters.random(fast, 11), 11L, 4.0, 5000), TrainingProgress.NONE);
        // 17,294 parameters: an epoch is 280 KB, just over one stored row's 256 KiB.
        Network wide = new Network(new int[] {128, 130, 4}, List.of(Activation.SIGMOID, Activation.IDENTITY), true, true);
        double[] inputs = new double[128];
        Arrays.setAll(inputs, i -> (i * 37 % 100) / 100.0);
        double[] targets = {0.1, 0.4, 0.6, 0.9};
        trainer.train(new RunConfig("parts", wide, new Dataset(new double[][] {inputs}, new double[][] {targets}),
                Parameters.random(wide, 1), 1L, 0.01, 2), TrainingProgress.NONE);
    }

    /** The view tables and runs as plain tables, in a new in-memory database, each row computed from the store's events. */
    static Connection oracle(EventStore store) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:h2:mem:view-oracle-" + ORACLES.incrementAndGet() + ";DB_CLOSE_DELAY=0", "sa", "");
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE runs (RUN_ID BIGINT, NAME CHARACTER VARYING(200), LEARNING_RATE DOUBLE PRECISION, EPOCHS INTEGER,
                        STATUS CHARACTER VARYING(16), PARENT_RUN_ID BIGINT, FORK_EPOCH INTEGER, CREATED_AT TIMESTAMP WITH TIME ZONE,
                        SWEEP_ID BIGINT, LAYERS CHARACTER VARYING(4000), ACTIVATIONS CHARACTER VARYING(4000), SAMPLE_COUNT INTEGER,
                        EPOCHS_RECORDED INTEGER, REASON CHARACTER VARYING(4000), ENDED_AT TIMESTAMP WITH TIME ZONE, FAILED_EPOCH INTEGER)""");
            // Written out rather than taken from the engine's own column lists, which are under test.
            s.execute("CREATE TABLE forward_values (RUN_ID BIGINT, EPOCH INTEGER, SAMPLE INTEGER, LAYER INTEGER, NEURON INTEGER,"
                    + " NET_INPUT DOUBLE PRECISION, ACTIVATION DOUBLE PRECISION, DELTA DOUBLE PRECISION)");
            s.execute("CREATE TABLE losses (RUN_ID BIGINT, EPOCH INTEGER, SAMPLE INTEGER, OUTPUT INTEGER, TARGET DOUBLE PRECISION,"
                    + " ACTUAL DOUBLE PRECISION, ERROR DOUBLE PRECISION)");
            s.execute("CREATE TABLE epoch_losses (RUN_ID BIGINT, EPOCH INTEGER, TOTAL_ERROR DOUBLE PRECISION)");
            s.execute("CREATE TABLE gradients (RUN_ID BIGINT, EPOCH INTEGER, WEIGHT CHARACTER VARYING, LAYER INTEGER, FROM_NEURON INTEGER,"
                    + " TO_NEURON INTEGER, GRADIENT DOUBLE PRECISION)");
            s.execute("CREATE TABLE weight_updates (RUN_ID BIGINT, EPOCH INTEGER, WEIGHT CHARACTER VARYING, BEFORE DOUBLE PRECISION,"
                    + " DELTA DOUBLE PRECISION, AFTER DOUBLE PRECISION)");
            StringBuilder sheet = new StringBuilder("CREATE TABLE epoch_sheet (RUN_ID BIGINT, EPOCH INTEGER");
            for (String column : List.of("LEARNING_RATE", "T1", "T2", "I1", "I2", "W1", "W2", "W3", "W4", "H1", "A_H1", "H2", "A_H2", "W5", "W6", "W7",
                    "W8", "O1", "A_O1", "O2", "A_O2", "E1", "E2", "E_TOT", "DE_DW1", "DE_DW2", "DE_DW3", "DE_DW4", "DE_DW5", "DE_DW6", "DE_DW7",
                    "DE_DW8")) {
                sheet.append(", ").append(column).append(" DOUBLE PRECISION");
            }
            s.execute(sheet.append(")").toString());
            // Indexes on the columns that tell rows apart, so that the oracle's joins are lookups too.
            for (String index : List.of("runs (RUN_ID)", "forward_values (RUN_ID, EPOCH, SAMPLE, LAYER, NEURON)", "losses (RUN_ID, EPOCH, SAMPLE, OUTPUT)",
                    "epoch_losses (RUN_ID, EPOCH)", "gradients (RUN_ID, EPOCH, WEIGHT)", "weight_updates (RUN_ID, EPOCH, WEIGHT)", "epoch_sheet (RUN_ID, EPOCH)")) {
                s.execute("CREATE INDEX ON " + index);
            }
        }
        for (long run : store.runIds()) {
            fill(c, store, run);
        }
        return c;
    }

    private static void fill(Connection c, EventStore store, long runId) throws SQLException {
        RunStarted started = store.started(runId);
        RunConfig config = started.config();
        Network net = config.network();
        Dataset data = config.data();
        int n = net.neuronCount();
        int w = net.weightCount();
        int b = net.biasCount();
        int outputsAt = net.neuronOffset(net.layerCount() - 1);
        List<EpochRecorded> epochs = store.epochs(runId, 0, Integer.MAX_VALUE);
        try (Rows forward = new Rows(c, "FORWARD_VALUES", 8); Rows losses = new Rows(c, "LOSSES", 7); Rows total = new Rows(c, "EPOCH_LOSSES", 3);
             Rows gradients = new Rows(c, "GRADIENTS", 7); Rows updates = new Rows(c, "WEIGHT_UPDATES", 6); Rows sheet = new Rows(c, "EPOCH_SHEET", 34)) {
            for (EpochRecorded e : epochs) {
                long r = runId;
                int ep = e.epoch();
                for (int s = 0; s < data.sampleCount(); s++) {
                    for (int i = 0; i < net.inputs(); i++) {
                        forward.add(r, ep, s + 1, 0, i + 1, null, data.input(s, i), null);
                    }
                    for (int j = 0; j < n; j++) {
                        Network.WeightPosition p = net.biasPosition(j);
                        forward.add(r, ep, s + 1, p.layer(), p.toNeuron(), e.netInput(net, s, j), e.activation(net, s, j), e.delta(net, s, j));
                    }
                    for (int o = 0; o < net.outputs(); o++) {
                        double target = data.target(s, o);
                        double actual = e.activation(net, s, outputsAt + o);
                        losses.add(r, ep, s + 1, o + 1, target, actual, Loss.outputError(target, actual));
                    }
                }
                total.add(r, ep, e.loss());
                for (int k = 0; k < w + b; k++) {
                    Network.WeightPosition p = k < w ? net.weightPosition(k) : net.biasPosition(k - w);
                    double gradient = k < w ? e.weightGradient(k) : e.biasGradient(k - w);
                    String name = Parameters.name(k, w);
                    gradients.add(r, ep, name, p.layer(), p.fromNeuron(), p.toNeuron(), gradient);
                    double before = k < w ? e.before().weight(k) : e.before().bias(k - w);
                    double delta = k < w || net.trainBiases() ? Backprop.step(config.learningRate(), gradient) : 0.0;
                    updates.add(r, ep, name, before, delta, before + delta);
                }
                if (net.isSeedShaped(data.sampleCount())) {
                    List<Object> row = new ArrayList<>(List.of(r, ep, config.learningRate(), data.target(0, 0), data.target(0, 1),
                            data.input(0, 0), data.input(0, 1)));
                    for (int k = 0; k < 4; k++) {
                        row.add(e.before().weight(k));
                    }
                    for (int h = 0; h < 2; h++) {
                        row.add(e.netInput(net, 0, h));
                        row.add(e.activation(net, 0, h));
                    }
                    for (int k = 4; k < 8; k++) {
                        row.add(e.before().weight(k));
                    }
                    for (int o = 2; o < 4; o++) {
                        row.add(e.netInput(net, 0, o));
                        row.add(e.activation(net, 0, o));
                    }
                    row.add(Loss.outputError(data.target(0, 0), e.activation(net, 0, 2)));
                    row.add(Loss.outputError(data.target(0, 1), e.activation(net, 0, 3)));
                    row.add(e.loss());
                    for (int k = 0; k < 8; k++) {
                        row.add(e.weightGradient(k));
                    }
                    sheet.add(row.toArray());
                }
            }
        }
        Optional<RunEvent> end = store.ended(runId);
        String status = end.map(ev -> ev instanceof RunFailed ? "failed" : "completed").orElse("interrupted");
        try (Rows runs = new Rows(c, "RUNS", 16)) {
            runs.add(runId, config.name(), config.learningRate(), config.epochs(), status,
                    started.lineage() == null ? null : started.lineage().parentRunId(), started.lineage() == null ? null : started.lineage().forkEpoch(),
                    started.createdAt().atOffset(ZoneOffset.UTC), started.sweepId(), net.shape(),
                    String.join(",", net.activations().stream().map(Activation::label).toList()),
                    data.sampleCount(), epochs.size(),
                    end.map(ev -> ev instanceof RunFailed f ? f.reason() : null).orElse(null),
                    end.map(ev -> ev instanceof RunFailed f ? f.endedAt() : ((RunCompleted) ev).endedAt()).map(t -> t.atOffset(ZoneOffset.UTC)).orElse(null),
                    end.map(ev -> ev instanceof RunFailed f ? f.epoch() : null).orElse(null));
        }
    }

    /** A query's rows as JDBC gives them (the same form {@code H2EventStore.query} gives). */
    static List<List<Object>> rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** Batched inserts into one oracle table. */
    private static final class Rows implements AutoCloseable {
        private final PreparedStatement insert;
        private int pending;

        Rows(Connection c, String table, int columns) throws SQLException {
            insert = c.prepareStatement("INSERT INTO " + table + " VALUES (" + String.join(", ", java.util.Collections.nCopies(columns, "?")) + ")");
        }

        void add(Object... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 1, values[i]);
            }
            insert.addBatch();
            if (++pending == 1000) {
                insert.executeBatch();
                pending = 0;
            }
        }

        @Override
        public void close() throws SQLException {
            if (pending > 0) {
                insert.executeBatch();
            }
            insert.close();
        }
    }
}
