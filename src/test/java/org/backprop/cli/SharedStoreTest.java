package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.backprop.store.h2.H2EventStore;
import org.backprop.events.RunSummary;
import org.backprop.store.h2.StoreChecks;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several processes share one store: through H2's AUTO_SERVER for a file, or through `backprop server` over TCP. */
@Tag("slow")
class SharedStoreTest {
    private static final int EPOCHS = 20_000;

    @TempDir
    Path dir;

    /** One reader's look at the store: per run, the epochs committed and whether they are whole and follow on. */
    private static Map<Long, Integer> wholeEpochs(Cli cli, String db) {
        Cli.Result r = cli.run("sql", "SELECT run_id, COUNT(*), SUM(last_epoch - first_epoch + 1), MAX(last_epoch) + 1,"
                + " SUM(OCTET_LENGTH(payload)), SUM(OCTET_LENGTH(hashes)) FROM epoch_blocks GROUP BY run_id", "--format", "csv", "--db", db);
        assertEquals(0, r.exitCode(), r.err());
        Map<Long, Integer> epochs = new HashMap<>();
        for (String line : r.lines().subList(1, r.lines().size())) {
            long[] v = java.util.Arrays.stream(line.split(",")).mapToLong(Long::parseLong).toArray();
            assertEquals(v[2], v[3], "run " + v[0] + ": its blocks follow on without a gap: " + line);
            assertEquals(v[2] * 29 * 8, v[4], "run " + v[0] + ": every block holds whole seed epochs (29 doubles each): " + line);
            assertEquals(v[2] * 32, v[5], "run " + v[0] + ": one hash per epoch: " + line);
            epochs.put(v[0], (int) v[2]);
        }
        return epochs;
    }

    @Test
    void twoProcessesTrainIntoOneStoreAtOnceAndCarryOnWhenTheProcessServingItGoes() throws Exception {
        Path store = dir.resolve("store");
        String db = store.toString();
        Cli cli = new Cli(dir);
        try (H2EventStore holder = H2EventStore.open(StoreLocation.of(db));
             CliProcess a = CliProcess.startSlow(dir, "train", "--db", db, "--epochs", Integer.toString(EPOCHS), "--name", "a", "-q");
             CliProcess b = CliProcess.startSlow(dir, "train", "--db", db, "--epochs", Integer.toString(EPOCHS), "--lr", "0.3", "--name", "b", "-q")) {
            // This process opened the store first, so both trainers write through its AUTO_SERVER.
            CliProcess.await("both processes commit epochs", Duration.ofSeconds(60), () -> {
                assertTrue(a.isAlive() && b.isAlive(), "both still train: " + a.err() + b.err());
                return holder.runs().size() == 2 && holder.runs().stream().allMatch(r -> r.epochsRecorded() > 0);
            });
            assertEquals(List.of("running", "running"), holder.runs().stream().map(RunSummary::status).toList());
            holder.close();
            // As when the serving process exits: H2 closes the database under its clients; they reconnect and carry on.
            StoreChecks.shutDownUnderEveryone(store);
            Map<Long, Integer> seen = new HashMap<>();
            int looks = 0;
            while (a.isAlive() || b.isAlive()) {
                for (Map.Entry<Long, Integer> run : wholeEpochs(cli, db).entrySet()) {
                    int before = seen.getOrDefault(run.getKey(), 0);
                    assertTrue(run.getValue() >= before, "run " + run.getKey() + " went back from " + before + " to " + run.getValue());
                    seen.put(run.getKey(), run.getValue());
                }
                looks++;
                Thread.sleep(250);
            }
            assertEquals(0, a.waitFor(Duration.ofSeconds(60)), a.out() + a.err());
            assertEquals(0, b.waitFor(Duration.ofSeconds(60)), b.out() + b.err());
            assertTrue(looks > 0);
            assertEquals("", a.err() + b.err());
        }
        try (H2EventStore s = H2EventStore.openExisting(StoreLocation.of(db))) {
            assertEquals(List.of("completed", "completed"), s.runs().stream().map(RunSummary::status).toList());
            for (long id : List.of(1L, 2L)) {
                assertEquals(EPOCHS, StoreChecks.assertChainIntact(s, id));
                assertEquals(EPOCHS, StoreChecks.assertRecordedValuesRecompute(s, id));
            }
        }
    }

    @Test
    void manyProcessesCreateOneNewStoreAndTrainIntoItAtOnceEachHandingItOnAsItEnds() throws Exception {
        String db = dir.resolve("new").toString();
        Path data = Path.of(db + ".mv.db");
        int writers = 6;
        List<CliProcess> trainers = new ArrayList<>();
        // Runs of different lengths end one after another, so the store passes from each serving process to the next.
        for (int i = 0; i < writers; i++) {
            trainers.add(CliProcess.start(dir, "train", "--db", db, "--epochs", Integer.toString(EPOCHS * (i + 1)), "--name", "w" + i, "-q"));
        }
        Cli cli = new Cli(dir);
        int reads = 0;
        while (trainers.stream().anyMatch(CliProcess::isAlive)) {
            if (Files.exists(data)) {
                Cli.Result runs = cli.run("runs", "--db", db, "--format", "csv");
                assertEquals(0, runs.exitCode(), "a reader beside the writers: " + runs.err());
                reads++;
            }
            Thread.sleep(100);
        }
        for (CliProcess t : trainers) {
            assertEquals(0, t.waitFor(Duration.ofSeconds(60)), t + ": " + t.err());
            assertEquals("", t.err(), t.toString());
        }
        assertTrue(reads > 0);
        Path trace = Path.of(db + ".trace.db");
        assertFalse(Files.exists(trace), () -> "H2 writes no trace file beside the store: " + CliProcess.read(trace));
        assertFalse(Files.exists(Path.of(db + ".lock.db")), "the last process to serve the store let it go");
        try (H2EventStore s = H2EventStore.openExisting(StoreLocation.of(db))) {
            List<RunSummary> runs = s.runs();
            assertEquals(writers, runs.size());
            for (RunSummary r : runs) {
                int planned = EPOCHS * (Integer.parseInt(r.name().substring(1)) + 1);
                assertEquals("completed", r.status(), r.toString());
                assertEquals(planned, StoreChecks.assertChainIntact(s, r.runId()), r.toString());
            }
            assertEquals(EPOCHS * 2, StoreChecks.assertRecordedValuesRecompute(s, s.resolve("w1")));
        }
    }

    @Test
    void aReadAfterTheServingProcessWasKilledRemovesItsLockFileAndChangesNoByteOfTheStore() throws Exception {
        String db = dir.resolve("killed").toString();
        Path data = Path.of(db + ".mv.db");
        Path lock = Path.of(db + ".lock.db");
        try (CliProcess writer = CliProcess.startSlow(dir, "train", "--db", db, "--epochs", "300000", "-q")) {
            CliProcess.await("the writer commits epochs", Duration.ofSeconds(60), () -> writer.isAlive() && Files.exists(data)
                    && Files.exists(lock) && new Cli(dir).run("sql", "SELECT 1 AS n FROM epoch_blocks LIMIT 1", "--db", db, "--format", "csv").lines().size() == 2);
            writer.kill();
        }
        assertTrue(Files.exists(lock), "a killed process leaves its lock file behind");
        byte[] before = Files.readAllBytes(data);
        Cli.Result runs = new Cli(dir).run("runs", "--db", db, "--format", "csv");
        assertEquals(0, runs.exitCode(), runs.err());
        assertTrue(runs.lines().get(1).contains(",interrupted,"), runs.out());
        assertFalse(Files.exists(lock), "the lock file of the killed process is gone");
        assertArrayEquals(before, Files.readAllBytes(data), "reading took nothing over: no byte of the store changed");
        Cli.Result resume = new Cli(dir).run("resume", "1", "--db", db, "-q");
        assertEquals(0, resume.exitCode(), resume.err());
    }

    @Test
    void theServerCommandSharesAFolderOfStoresOverTcp() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("stores"));
        // A server serves the stores made where they are kept; it makes none.
        assertEquals(0, new Cli(dir).run("train", "--db", folder.resolve("lab").toString(), "--epochs", "3", "--name", "first").exitCode());
        Path credentials = ServerClients.clientCredentials(folder.resolve("lab"), dir.resolve("lab-client.credentials"));
        try (CliProcess server = CliProcess.start(dir, "server", "--dir", folder.toString(), "--port", "0")) {
            int port = ServerClients.awaitPort(server);
            String db = "jdbc:h2:tcp://localhost:" + port + "/lab";
            assertTrue(server.out().contains("use one with:  --db jdbc:h2:tcp://localhost:" + port + "/NAME"), server.out());
            assertTrue(server.out().contains("  lab  --db jdbc:h2:tcp://localhost:" + port + "/lab  (1 run)"), server.out());

            Cli cli = new Cli(dir).withEnvironment(Map.of(StoreLocation.CREDENTIALS_VARIABLE, credentials.toString()));
            Cli.Result missing = cli.run("runs", "--db", "jdbc:h2:tcp://localhost:" + port + "/other");
            assertEquals(2, missing.exitCode(), "reading does not create a store on the server: " + missing.err());
            assertTrue(missing.err().startsWith("backprop: the server has no store jdbc:h2:tcp://localhost:" + port + "/other"), missing.err());
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Cli.Result>> trainings = new ArrayList<>();
                for (String rate : List.of("0.2", "0.9")) {
                    trainings.add(pool.submit(() -> cli.run("train", "--db", db, "--epochs", "20000", "--lr", rate, "-q")));
                }
                for (Future<Cli.Result> t : trainings) {
                    assertEquals(0, t.get().exitCode(), t.get().err());
                }
            } finally {
                pool.shutdown();
            }
            Cli.Result runs = cli.run("runs", "--db", db, "--format", "csv");
            assertEquals(4, runs.lines().size(), runs.out());
            assertTrue(runs.lines().stream().skip(2).allMatch(l -> l.contains(",20000,20000,completed,")), runs.out());
            Cli.Result sql = cli.run("sql", "SELECT COUNT(*) AS n FROM run_ended", "--db", db, "--format", "csv");
            assertEquals(List.of("n", "3"), sql.lines(), sql.err());
        }
        try (H2EventStore s = H2EventStore.openExisting(StoreLocation.of(folder.resolve("lab").toString()))) {
            for (long id : List.of(2L, 3L)) {
                assertEquals(20000, StoreChecks.assertChainIntact(s, id));
                assertEquals(20000, StoreChecks.assertRecordedValuesRecompute(s, id));
            }
        }
    }
}
