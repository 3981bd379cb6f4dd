package org.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.backprop.store.h2.StoreAccounts;
import org.backprop.store.h2.StoreChecks;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a training process writes a run, someone else with the store's application account tries to end it: the
 * database refuses, and the run completes. A row forged anyway (by the owner, who may drop the trigger) makes the
 * trainer stop with one line and exit code 1, and {@code resume} says what happened and how to go on.
 */
@Tag("slow")
class LiveRunForgeryTest {
    private static final String FORGED_END = "INSERT INTO run_ended (run_id, status, epoch, reason, final_parameters, hash, ended_at)"
            + " VALUES (1, 'failed', 0, 'forged', NULL, X'" + "00".repeat(32) + "', CURRENT_TIMESTAMP)";

    @TempDir
    Path dir;

    private static void awaitEpochs(CliProcess trainer, Path store) throws InterruptedException {
        CliProcess.await("the trainer commits epochs", Duration.ofSeconds(60), () -> {
            assertTrue(trainer.isAlive(), trainer.out() + trainer.err());
            return StoreChecks.committedEpochs(store, 1) > 0;
        });
    }

    /** A connection through the trainer's AUTO_SERVER, as any other process of the store's owner would make. */
    private static Connection as(Path store, String role) throws SQLException {
        return StoreAccounts.connect(store, role, ";IFEXISTS=TRUE");
    }

    @Test
    void aForgedEndEventDuringALiveRunIsRefusedAndTheRunCompletes() throws Exception {
        Path store = dir.resolve("store");
        // Long enough (in the interpreter) to be caught in the middle however busy the machine is.
        try (CliProcess trainer = CliProcess.startSlow(dir, "train", "--db", store.toString(), "--epochs", "60000", "-q")) {
            awaitEpochs(trainer, store);
            try (Connection forger = as(store, "app"); Statement s = forger.createStatement()) {
                SQLException end = assertThrows(SQLException.class, () -> s.execute(FORGED_END));
                assertTrue(end.getMessage().startsWith("run 1 is being written by " + trainer.pid() + "@"), end.getMessage());
                assertTrue(end.getMessage().contains(", and only the session holding its lease may append to it (run_ended)"), end.getMessage());
                SQLException lease = assertThrows(SQLException.class, () -> s.execute("DELETE FROM run_writers WHERE run_id = 1"));
                assertTrue(lease.getMessage().contains("whose lease cannot be taken while its session is open"), lease.getMessage());
            }
            assertEquals(0, trainer.waitFor(Duration.ofSeconds(120)), trainer.out() + trainer.err());
            assertEquals("", trainer.err());
        }
        Cli.Result verify = new Cli(dir).run("verify");
        assertEquals(List.of("run 1 'seed': ok: 60000 epochs re-executed bit for bit, hash chain intact, completed"), verify.lines().subList(0, 1));
        assertTrue(verify.lines().get(1).startsWith("journal: ok: "), verify.out());
    }

    @Test
    void aTrainerThatMeetsAForgedEndEventStopsWithOneLineAndResumeSaysHowToGoOn() throws Exception {
        Path store = dir.resolve("store");
        int committed;
        try (CliProcess trainer = CliProcess.startSlow(dir, "train", "--db", store.toString(), "--epochs", "1000000", "-q")) {
            awaitEpochs(trainer, store);
            try (Connection owner = as(store, "owner"); Statement s = owner.createStatement()) {
                s.execute("DROP TRIGGER run_ended_by_lease_holder");
                s.execute(FORGED_END);
            }
            assertEquals(1, trainer.waitFor(Duration.ofSeconds(60)), trainer.out() + trainer.err());
            assertEquals("backprop: run 1 was ended by someone else: the store holds an end event this process did not write, so the store"
                    + " was written behind backprop's back; 'backprop verify 1' says what it holds\n", trainer.err());
        }
        Cli cli = new Cli(dir);
        committed = Integer.parseInt(cli.run("sql", "SELECT epochs_recorded FROM runs", "--format", "csv").lines().get(1));
        Cli.Result resume = cli.run("resume", "1");
        assertEquals(2, resume.exitCode());
        assertEquals("backprop: run 1's end event (failed at epoch 0, 'forged') was not written by its recorder, since its hash does not"
                + " follow the run's chain: the store was written behind backprop's back; the " + committed + " epochs recorded before it"
                + " are intact, and 'backprop fork 1 --at " + committed + "' continues them bit for bit as a new run ('backprop verify 1'"
                + " reports the forgery)\n", resume.err());
        Cli.Result verify = cli.run("verify", "1");
        assertEquals(1, verify.exitCode());
        assertTrue(verify.out().startsWith("run 1 'seed': DIFFERS: "), verify.out());
        Cli.Result fork = cli.run("fork", "1", "--at", Integer.toString(committed), "--epochs", "10", "-q");
        assertEquals(0, fork.exitCode(), fork.err());
    }
}
