package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.backprop.events.ConcurrentAppendException;
import org.backprop.events.EpochRecorded;
import org.backprop.events.InvalidQueryException;
import org.backprop.events.PackedRecorder;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.events.StoreException;
import org.backprop.model.Activation;
import org.backprop.model.Backprop;
import org.backprop.model.Dataset;
import org.backprop.model.EpochResult;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.store.StoreLocation;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2EventStoreTest {
    @TempDir
    Path dir;

    private H2EventStore open() {
        return H2EventStore.open(StoreLocation.of(dir.resolve("store").toString()));
    }

    private static RunConfig biasedConfig() {
        Network network = new Network(new int[] {3, 4, 2}, List.of(Activation.TANH, Activation.SIGMOID), true, true);
        Dataset data = new Dataset(new double[][] {{0.1, 0.2, 0.3}, {1, -1, 0.5}}, new double[][] {{0, 1}, {1, 0}});
        return new RunConfig("biased", network, data, Parameters.random(network, 3), 3L, 0.7, 40);
    }

    @Test
    void recordedEpochsReadBackBitIdenticalToTheComputation() {
        RunConfig config = biasedConfig();
        try (H2EventStore store = open()) {
            TrainingOutcome outcome = new Trainer(store).train(config, TrainingProgress.NONE);
            long id = outcome.started().runId();
            assertEquals(config, store.started(id).config());
            List<EpochRecorded> epochs = store.epochs(id, 0, 1000);
            assertEquals(40, epochs.size());
            Parameters p = config.initial();
            for (EpochRecorded e : epochs) {
                EpochResult expected = Backprop.epoch(config.network(), config.data(), p, config.learningRate());
                assertEquals(p, e.before());
                assertArrayEquals(expected.netInputs(), e.netInputs());
                assertArrayEquals(expected.activations(), e.activations());
                assertArrayEquals(expected.deltas(), e.deltas());
                assertArrayEquals(expected.weightGradients(), e.weightGradients());
                assertArrayEquals(expected.biasGradients(), e.biasGradients());
                assertEquals(expected.loss(), e.loss());
                assertEquals(expected.after(), e.after(config.learningRate(), true));
                p = expected.after();
            }
            RunCompleted done = (RunCompleted) store.ended(id).orElseThrow();
            assertEquals(p, done.finalParameters());
            assertEquals(p, store.parametersAt(id, 40));
            assertEquals(epochs.get(17).before(), store.parametersAt(id, 17));
        }
    }

    @Test
    void viewsReturnWhatWasRecorded() {
        RunConfig config = biasedConfig();
        try (H2EventStore store = open()) {
            long id = new Trainer(store).train(config, TrainingProgress.NONE).started().runId();
            List<EpochRecorded> epochs = store.epochs(id, 0, 39);
            EpochRecorded e5 = epochs.get(5);

            var gradients = store.query("SELECT weight, layer, from_neuron, to_neuron, gradient FROM gradients WHERE run_id = " + id
                    + " AND epoch = 5 AND weight LIKE 'w%' ORDER BY layer, to_neuron, from_neuron").rows();
            assertEquals(3 * 4 + 4 * 2, gradients.size());
            assertEquals(List.of("w1", 1, 1, 1, e5.weightGradient(0)), gradients.get(0));
            assertEquals(List.of("w2", 1, 2, 1, e5.weightGradient(1)), gradients.get(1));

            var w14 = store.query("SELECT layer, from_neuron, to_neuron, gradient FROM gradients WHERE run_id = " + id
                    + " AND epoch = 5 AND weight = 'w14'").rows();
            // w13..w20 go from the 4 hidden neurons to the 2 outputs: w14 is hidden 2 -> output 1.
            assertEquals(List.of(2, 2, 1, e5.weightGradient(13)), w14.get(0));
            var b5 = store.query("SELECT layer, from_neuron, to_neuron, gradient FROM gradients WHERE run_id = " + id
                    + " AND epoch = 5 AND weight = 'b5'").rows();
            assertEquals(List.of(2, 0, 1, e5.biasGradient(4)), b5.get(0));

            var updates = store.query("SELECT weight, before, delta, after FROM weight_updates WHERE run_id = " + id
                    + " AND epoch = 5 ORDER BY epoch").rows();
            Parameters after = e5.after(config.learningRate(), true);
            for (List<Object> u : updates) {
                String name = (String) u.get(0);
                int k = Integer.parseInt(name.substring(1)) - 1;
                boolean weight = name.startsWith("w");
                assertEquals(weight ? e5.before().weight(k) : e5.before().bias(k), u.get(1));
                assertEquals(weight ? after.weight(k) : after.bias(k), u.get(3), name);
                assertEquals(weight ? epochs.get(6).before().weight(k) : epochs.get(6).before().bias(k), u.get(3));
            }

            var forward = store.query("SELECT sample, layer, neuron, net_input, activation, delta FROM forward_values WHERE run_id = " + id
                    + " AND epoch = 5 AND sample = 2 ORDER BY layer, neuron").rows();
            assertEquals(3 + 4 + 2, forward.size());
            assertEquals(java.util.Arrays.asList(2, 0, 1, null, 1.0, null), forward.get(0));
            assertEquals(List.of(2, 1, 3, e5.netInput(config.network(), 1, 2), e5.activation(config.network(), 1, 2),
                    e5.delta(config.network(), 1, 2)), forward.get(3 + 2));

            var losses = store.query("SELECT sample, output, target, actual, error FROM losses WHERE run_id = " + id
                    + " AND epoch = 5 ORDER BY sample, output").rows();
            double actual = e5.activation(config.network(), 0, 5);
            assertEquals(List.of(1, 2, 1.0, actual, 0.5 * (1 - actual) * (1 - actual)), losses.get(1));

            var total = store.query("SELECT total_error FROM epoch_losses WHERE run_id = " + id + " AND epoch = 39").rows();
            assertEquals(epochs.get(39).loss(), total.get(0).get(0));

            var sheet = store.query("SELECT COUNT(*) FROM epoch_sheet").rows();
            assertEquals(0L, sheet.get(0).get(0), "a 3-4-2 run has no spreadsheet rows");
        }
    }

    @Test
    void storeRefusesUpdatesAndDeletesOfEventsForTheApplicationsConnection() throws SQLException {
        try (H2EventStore store = open()) {
            new Trainer(store).train(RunConfig.seed().withEpochs(3), TrainingProgress.NONE);
        }
        try (Connection app = StoreAccounts.app(dir.resolve("store")); Statement s = app.createStatement()) {
            for (String sql : List.of("UPDATE run_started SET learning_rate = 0.2", "DELETE FROM epoch_blocks",
                    "UPDATE epoch_blocks SET payload = X'00'", "DELETE FROM run_ended", "TRUNCATE TABLE epoch_blocks",
                    "DROP TABLE run_ended", "ALTER TABLE run_started ADD COLUMN x INT")) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                // TRUNCATE of a table that others reference is refused before rights are even checked.
                assertTrue(e.getErrorCode() == 90096 || sql.startsWith("TRUNCATE"), sql + " -> " + e.getMessage());
            }
        }
        try (Connection owner = StoreAccounts.owner(dir.resolve("store")); Statement s = owner.createStatement()) {
            for (String sql : List.of("UPDATE run_started SET learning_rate = 0.2", "DELETE FROM epoch_blocks", "DELETE FROM run_ended")) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                assertTrue(e.getMessage().contains("append-only"), e.getMessage());
            }
        }
        try (H2EventStore store = open()) {
            assertEquals(3, store.epochCount(1));
            assertEquals(3, store.epochs(1, 0, 10).size());
            assertEquals(0.1, store.started(1).config().learningRate());
        }
    }

    @Test
    void twoWritersRacingOnOneRunCannotBothAppendTheSameEpoch() {
        RunConfig config = RunConfig.seed();
        try (H2EventStore store = open()) {
            RunRecorder first = store.start(config, null, null);
            RunStarted started = first.started();
            Handle second = Handle.class.cast(store.writerHandle());
            RunRecorder rival = new PackedRecorder(new BlockWriter(second, null, null, started.runId(), "the test store"), false, started, 0,
                    RunRecording.hashOf(second, started.runId()), RunRecording.ROW_BYTES);
            EpochRecorded e0 = epochOf(started, config.initial(), 0);
            first.append(e0);
            first.flush();
            rival.append(e0);
            assertThrows(ConcurrentAppendException.class, rival::flush);
            rival.close();
            assertEquals(1, store.epochCount(started.runId()));
            first.close();
        }
    }

    @Test
    void aClosedRecorderRefusesMoreWorkInsteadOfWaitingForItsCommitThread() {
        RunConfig config = RunConfig.seed();
        try (H2EventStore store = open()) {
            RunRecorder recorder = store.start(config, null, null);
            recorder.append(epochOf(recorder.started(), config.initial(), 0));
            recorder.close();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertThrows(IllegalStateException.class, recorder::flush);
                assertThrows(IllegalStateException.class, () -> recorder.append(epochOf(recorder.started(), config.initial(), 1)));
            });
            assertEquals(1, store.epochCount(recorder.started().runId()), "close committed the appended epoch");
        }
    }

    @Test
    void aCommitThreadKilledByAnErrorFailsTheTrainersNextCallInsteadOfLeavingItWaiting() throws SQLException {
        RunConfig config = RunConfig.seed();
        try (H2EventStore store = open()) {
            RunStarted started;
            try (RunRecorder first = store.start(config, null, null)) {
                started = first.started();
            }
            Handle handle = store.writerHandle();
            // Only the holder of a run's lease may append to it.
            WriterLease lease = new WriterLease(started.runId());
            handle.useTransaction(lease::acquire);
            // Reconnecting after the broken connection below throws an error, as running out of memory there would.
            PackedRecorder recorder = new PackedRecorder(new BlockWriter(handle, () -> {
                throw new OutOfMemoryError("simulated");
            }, lease, started.runId(), "the test store"), true, started, 0, RunRecording.hashOf(handle, started.runId()), RunRecording.ROW_BYTES);
            recorder.append(epochOf(started, config.initial(), 0));
            recorder.flush();
            handle.getConnection().close();
            recorder.append(epochOf(started, config.initial(), 1));
            StoreException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(StoreException.class, recorder::flush));
            assertTrue(e.getMessage().contains("stopped unexpectedly"), e.getMessage());
            assertTrue(java.util.Arrays.stream(e.getSuppressed()).anyMatch(OutOfMemoryError.class::isInstance), "the error travels with it");
            assertTimeoutPreemptively(Duration.ofSeconds(20), recorder::close);
            assertEquals(1, store.epochCount(started.runId()), "what was committed stays");
        }
    }

    @Test
    void aWriterThatNeverFlushedLeavesOnlyCommittedWholeEpochs() {
        RunConfig config = RunConfig.seed();
        try (H2EventStore store = open()) {
            RunRecorder recorder = store.start(config, null, null);
            Parameters p = config.initial();
            for (int e = 0; e < 10; e++) {
                EpochRecorded event = epochOf(recorder.started(), p, e);
                recorder.append(event);
                p = event.after(config.learningRate(), false);
                if (e == 6) {
                    recorder.flush();
                }
            }
            // The recorder is abandoned: epochs 7..9 were buffered, never committed.
            assertEquals(7, store.epochCount(recorder.started().runId()));
            assertEquals("running", store.runs().get(0).status());
        }
    }

    private static EpochRecorded epochOf(RunStarted started, Parameters p, int epoch) {
        RunConfig c = started.config();
        EpochResult r = Backprop.epoch(c.network(), c.data(), p, c.learningRate());
        return new EpochRecorded(started.runId(), epoch, p, r.netInputs(), r.activations(), r.deltas(), r.weightGradients(),
                r.biasGradients(), r.loss());
    }

    @Test
    void aFileThatIsNotAStoreIsRefusedAndLeftAlone() throws IOException {
        Path junk = dir.resolve("junk.mv.db");
        Files.writeString(junk, "this is not an H2 database\n".repeat(200));
        byte[] before = Files.readAllBytes(junk);
        StoreException e = assertThrows(StoreException.class, () -> H2EventStore.open(StoreLocation.of(junk.toString())));
        assertTrue(e.getMessage().contains("is not a backprop store"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(junk));
    }

    @Test
    void anH2DatabaseOfSomeoneElseIsRefused() throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("other");
        try (Connection c = java.sql.DriverManager.getConnection(url, "SA", "")) {
            c.createStatement().execute("CREATE TABLE t(x INT)");
        }
        StoreException e = assertThrows(StoreException.class, () -> H2EventStore.open(StoreLocation.of(dir.resolve("other").toString())));
        assertTrue(e.getMessage().contains("not a backprop store"), e.getMessage());
    }

    @Test
    void aStoreFromANewerVersionIsRefused() throws SQLException {
        open().close();
        StoreChecks.markWrittenByNewerVersion(dir.resolve("store"));
        StoreException e = assertThrows(StoreException.class, this::open);
        assertTrue(e.getMessage().contains("newer backprop (schema 99"), e.getMessage());
    }

    @Test
    void schemaVersionConstantNamesTheNewestMigration() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("db/migration"))) {
            int newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9]+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
            assertEquals(newest, Schema.CURRENT_VERSION);
        }
    }

    @Test
    void sqlRefusesWritesOnAConnectionThatCannotWrite() {
        try (H2EventStore store = open()) {
            new Trainer(store).train(RunConfig.seed().withEpochs(2), TrainingProgress.NONE);
            for (String sql : List.of("DELETE FROM run_started", "INSERT INTO run_ended VALUES (1, 'failed', 0, 'x', NULL, X'00', CURRENT_TIMESTAMP)",
                    "CREATE TABLE x (a INT)", "DROP TABLE runs", "UPDATE epoch_blocks SET last_epoch = 7")) {
                InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> store.query(sql), sql);
                assertTrue(e.getMessage().contains("change the store") || e.getMessage().contains("changes the store"), e.getMessage());
            }
            assertEquals(2, store.epochCount(1));
            assertEquals(1, store.runs().size());
        }
    }

    @Test
    void anEpochTooLargeForOneRowIsStoredInPartsAndReadsBackWhole() {
        // 300 x 300 weights: one epoch is about 1.4 MB, far over a row's 256 KiB.
        Network network = new Network(new int[] {300, 300, 2}, List.of(Activation.SIGMOID, Activation.IDENTITY), true, true);
        double[][] inputs = {new double[300]};
        for (int i = 0; i < 300; i++) {
            inputs[0][i] = (i % 7) / 7.0;
        }
        RunConfig config = new RunConfig("large", network, new Dataset(inputs, new double[][] {{0.5, -0.5}}),
                Parameters.random(network, 11), 11L, 0.05, 3);
        try (H2EventStore store = open()) {
            long id = new Trainer(store).train(config, TrainingProgress.NONE).started().runId();
            long parts = (Long) store.query("SELECT COUNT(*) FROM epoch_parts WHERE run_id = " + id).rows().get(0).get(0);
            assertTrue(parts >= 3 * 5, "each epoch spans several parts, found " + parts);
            List<EpochRecorded> epochs = store.epochs(id, 0, 2);
            Parameters p = config.initial();
            for (EpochRecorded e : epochs) {
                EpochResult expected = Backprop.epoch(network, config.data(), p, config.learningRate());
                assertEquals(p, e.before());
                assertArrayEquals(expected.weightGradients(), e.weightGradients());
                assertArrayEquals(expected.biasGradients(), e.biasGradients());
                p = expected.after();
            }
            assertEquals(epochs.get(2).before(), store.parametersAt(id, 2));
            var last = store.query("SELECT gradient FROM gradients WHERE run_id = " + id + " AND epoch = 2 AND weight = 'b302'").rows();
            assertEquals(epochs.get(2).biasGradient(301), last.get(0).get(0));
            var verified = new org.backprop.replay.Verifier(store).verify(id);
            assertTrue(verified.ok(), verified.line());
        }
    }
}
