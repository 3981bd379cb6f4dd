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
import java.util.List;
import org.backprop.events.RunRecorder;
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
 * it once a writer it showed as running has gone, though that changes no table.
 */
class RunsTableTest {
    @TempDir
    Path dir;

    private H2EventStore open() {
        return H2EventStore.open(StoreLocation.of(dir.resolve("store").toString()));
    }

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
                List<List<Object>> runs = store.query("SELECT * FROM runs ORDER BY run_id").rows();
                assertEquals(store.query("SELECT * FROM runs_schema7 ORDER BY run_id").rows(), runs);
                assertEquals(List.of("completed", "completed", "interrupted", "interrupted", "running"),
                        runs.stream().map(r -> r.get(4)).toList());
                assertEquals(store.query("SELECT * FROM runs_schema7 WHERE run_id = 2").rows(), store.query("SELECT * FROM runs WHERE run_id = 2").rows());
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
