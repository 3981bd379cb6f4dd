package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.backprop.events.EpochRecorded;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunSummary;
import org.backprop.model.Activation;
import org.backprop.model.Backprop;
import org.backprop.model.Dataset;
import org.backprop.model.EpochResult;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.replay.RecordedRuns;
import org.backprop.sweep.Fork;
import org.backprop.sweep.ForkRequest;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingProgress;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema 10's runs table gives exactly the rows schema 7's runs view gave, and H2 never reuses a result computed from
 * it once a writer it showed as running has gone, though that changes no table. Its final_error, best_error and
 * best_epoch are each run's last loss, lowest loss and the first epoch with it, as the run's epochs say.
 */
class RunsTableTest {
    @TempDir
    Path dir;

    private H2EventStore open() {
        return H2EventStore.open(StoreLocation.of(dir.resolve("store").toString()));
    }

    private static final String SCHEMA7_COLUMNS = "run_id, name, learning_rate, epochs, status, parent_run_id, fork_epoch, created_at, sweep_id,"
            + " layers, activations, sample_count, epochs_recorded, reason, ended_at, failed_epoch";

    /** Schema 7's view, as its migration wrote it, under another name. */
    private static String schema7View() throws IOException {
        try (InputStream in = RunsTableTest.class.getResourceAsStream("/db/migration/V7__writers_and_interruptions.sql")) {
            String migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int start = migration.indexOf("CREATE OR REPLACE VIEW runs AS");
            return migration.substring(start, migration.indexOf(';', start)).replace("VIEW runs AS", "VIEW runs_schema7 AS");
        }
    }

    @Test
    void theRunsTableHoldsWhatSchema7sViewShowedForRunsOfEveryStatus() throws Exception {
        try (H2EventStore store = open()) {
            Trainer trainer = new Trainer(store);
            trainer.train(RunConfig.seed().withEpochs(30), TrainingProgress.NONE);
            new Fork(store).run(new ForkRequest(1, 10, 0.5, 5, null), null, TrainingProgress.NONE);
            RecordedRuns.cutShort(store, 7);
            long sweep = store.newSweep(false);
            store.start(RunConfig.seed().withName("swept-never-trained"), null, sweep).close();
            try (RunRecorder live = store.start(RunConfig.seed().withName("live"), null, null);
                 Connection owner = StoreAccounts.owner(dir.resolve("store"));
                 Statement s = owner.createStatement()) {
                s.execute(schema7View());
                s.execute("GRANT SELECT ON runs_schema7 TO backprop_reader");
                List<List<Object>> runs = store.query("SELECT " + SCHEMA7_COLUMNS + " FROM runs ORDER BY run_id").rows();
                assertEquals(store.query("SELECT * FROM runs_schema7 ORDER BY run_id").rows(), runs);
                assertEquals(List.of("completed", "completed", "interrupted", "interrupted", "running"),
                        runs.stream().map(r -> r.get(4)).toList());
                assertEquals(store.query("SELECT * FROM runs_schema7 WHERE run_id = 2").rows(),
                        store.query("SELECT " + SCHEMA7_COLUMNS + " FROM runs WHERE run_id = 2").rows());
                assertEquals(List.of(List.of(5L, 4L, 3L)), List.of(store.query("SELECT run_id FROM runs WHERE run_id > 2 ORDER BY run_id DESC")
                        .rows().stream().map(r -> r.get(0)).toList()));
            }
        }
    }

    @Test
    void aResultComputedWhileAWriterWasAliveIsNotReusedOnceItsSessionHasClosed() throws SQLException {
        try (H2EventStore store = open()) {
            RecordedRuns.cutShort(store, 5);
            String status = "SELECT status FROM runs WHERE name = 'cut-short'";
            String epochs = "SELECT COUNT(*) FROM epoch_losses WHERE run_id = (SELECT run_id FROM runs WHERE status = 'running')";
            try (Connection reader = StoreAccounts.reader(dir.resolve("store")); Statement r = reader.createStatement()) {
                assertEquals("interrupted", one(r, status));
                Connection writer = StoreAccounts.app(dir.resolve("store"));
                try (Statement w = writer.createStatement()) {
                    // What a writer's lease registers: its own session, which a killed process leaves behind.
                    w.execute("INSERT INTO run_writers (run_id, session_id, session_start, process, since) SELECT 1, SESSION_ID, SESSION_START,"
                            + " 'test', CURRENT_TIMESTAMP FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()");
                }
                assertEquals("running", one(r, status));
                assertEquals(5L, one(r, epochs));
                assertEquals("running", one(r, status), "asked again while the writer is there");
                writer.close();
                // The row stays, as a killed writer leaves it; only the session is gone, and no table changed.
                assertEquals(1L, one(r, "SELECT COUNT(*) FROM run_writers"));
                assertEquals("interrupted", one(r, status));
                assertEquals(0L, one(r, epochs), "no run is running any more, so the subquery selects no run");
            }
        }
    }

    @Test
    void finalAndBestErrorAreEachRunsLastAndLowestLossAsItsEpochsSay() {
        try (H2EventStore store = open()) {
            new Trainer(store).train(RunConfig.seed().withEpochs(30), TrainingProgress.NONE);
            // Identity outputs with too large a rate: the loss falls for a while, then grows until it overflows.
            Network network = new Network(new int[] {2, 3, 2}, List.of(Activation.TANH, Activation.IDENTITY), true, true);
            Dataset data = new Dataset(new double[][] {{0.5, -1}, {2, 1}, {-1.5, 0.25}}, new double[][] {{1, 0}, {0, 1}, {3, -2}});
            new Trainer(store).train(new RunConfig("too-fast", network, data, Parameters.random(network, 11), 11L, 4.0, 5000), TrainingProgress.NONE);
            new Fork(store).run(new ForkRequest(1, 10, 0.5, 5, null), null, TrainingProgress.NONE);
            RecordedRuns.cutShort(store, 7);
            store.start(RunConfig.seed().withName("never-trained"), null, null).close();

            for (long id = 1; id <= 5; id++) {
                List<EpochRecorded> epochs = store.epochs(id, 0, store.epochCount(id) - 1);
                Double last = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1).loss();
                Double best = null;
                Integer bestEpoch = null;
                for (EpochRecorded e : epochs) {
                    if (best == null || e.loss() < best) {
                        best = e.loss();
                        bestEpoch = e.epoch();
                    }
                }
                assertEquals(Arrays.asList(last, best, bestEpoch),
                        store.query("SELECT final_error, best_error, best_epoch FROM runs WHERE run_id = " + id).rows().get(0), "run " + id);
                RunSummary listed = store.runs().get((int) id - 1);
                assertEquals(Arrays.asList(last, best, bestEpoch), Arrays.asList(listed.finalError(), listed.bestError(), listed.bestEpoch()), "run " + id);
            }
            assertEquals(List.of(List.of(29, true)), store.query("SELECT best_epoch, final_error = best_error FROM runs WHERE run_id = 1").rows(),
                    "the seed run's loss falls every epoch");
            assertEquals(store.query("SELECT total_error FROM epoch_losses WHERE run_id = 1 AND epoch = 29").rows().get(0).get(0),
                    store.query("SELECT final_error FROM runs WHERE run_id = 1").rows().get(0).get(0));
            List<Object> failed = store.query("SELECT status, best_epoch, epochs_recorded, best_error < final_error FROM runs WHERE run_id = 2").rows().get(0);
            assertEquals("failed", failed.get(0));
            assertTrue((Integer) failed.get(1) < (Integer) failed.get(2) - 1 && Boolean.TRUE.equals(failed.get(3)),
                    "the diverging run did best before its end: " + failed);
            assertEquals(Arrays.asList(null, null, null), store.query("SELECT final_error, best_error, best_epoch FROM runs WHERE run_id = 5").rows().get(0));
            assertEquals(List.of(List.of("too-fast")), store.query("SELECT name FROM runs WHERE best_epoch < epochs_recorded - 1").rows());
        }
    }

    @Test
    void aRunningRunsFinalErrorFollowsEachEpochItRecords() {
        try (H2EventStore store = open()) {
            RunConfig config = RunConfig.seed().withLearningRate(50.0).withEpochs(20);
            try (RunRecorder live = store.start(config, null, null)) {
                Parameters p = config.initial();
                double best = Double.POSITIVE_INFINITY;
                int bestEpoch = -1;
                for (int epoch = 0; epoch < 20; epoch++) {
                    EpochResult r = Backprop.epoch(config.network(), config.data(), p, config.learningRate());
                    live.append(new EpochRecorded(1, epoch, p, r.netInputs(), r.activations(), r.deltas(), r.weightGradients(), r.biasGradients(), r.loss()));
                    live.flush();
                    if (r.loss() < best) {
                        best = r.loss();
                        bestEpoch = epoch;
                    }
                    p = r.after();
                    assertEquals(Arrays.asList(epoch + 1, r.loss(), best, bestEpoch),
                            store.query("SELECT epochs_recorded, final_error, best_error, best_epoch FROM runs").rows().get(0), "after epoch " + epoch);
                }
            }
        }
    }

    private static Object one(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            List<Object> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getObject(1));
            }
            assertTrue(values.size() <= 1, sql + " gave " + values);
            return values.isEmpty() ? null : values.get(0);
        }
    }
}
