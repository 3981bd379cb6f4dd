package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.backprop.events.ConcurrentAppendException;
import org.backprop.events.ResumeRefusedException;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunRecorder;
import org.backprop.model.RunConfig;
import org.backprop.store.TempStore;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Only the session holding a run's lease may append to it: anyone else with the application's account is refused by
 * the database, the run carries on, and a writer that meets a row someone forged anyway says so in one line.
 */
class LeaseHolderTest {
    private static final byte[] HASH = new byte[32];

    @RegisterExtension
    final TempStore temp = new TempStore();

    /** The forgeries the application's account could make of run {@code runId}, whose next epoch is {@code next}. */
    private static List<String> forgeries(long runId, int next) {
        return List.of(
                "INSERT INTO run_ended (run_id, status, epoch, reason, final_parameters, hash, ended_at) VALUES (" + runId
                        + ", 'failed', 0, 'forged', NULL, ?, CURRENT_TIMESTAMP)",
                "INSERT INTO epoch_blocks (run_id, first_epoch, last_epoch, payload, hashes) VALUES (" + runId + ", " + next + ", " + next + ", X'00', ?)",
                "INSERT INTO epoch_parts (run_id, epoch, part, payload) SELECT run_id, first_epoch, 99, ? FROM epoch_blocks WHERE run_id = "
                        + runId + " AND first_epoch = 0",
                "DELETE FROM run_writers WHERE run_id = " + runId,
                "INSERT INTO run_writers (run_id, session_id, session_start, process, since) VALUES (" + runId
                        + ", 1, CURRENT_TIMESTAMP, 'forger', CURRENT_TIMESTAMP)");
    }

    private static SQLException refused(Connection c, String sql) {
        return assertThrows(SQLException.class, () -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                if (sql.contains("?")) {
                    s.setBytes(1, HASH);
                }
                s.execute();
            }
        }, sql);
    }

    @Test
    void anotherSessionWithTheApplicationsAccountCanNeitherEndNorExtendNorTakeALiveRun() throws Exception {
        RunConfig config = RunConfig.seed().withEpochs(400);
        try (H2EventStore store = temp.open()) {
            RunRecorder recorder = store.start(config, null, null);
            long id = recorder.started().runId();
            Trainer.run(recorder, config.initial(), TrainingProgress.NONE, () -> recorder.nextEpoch() == 100);
            try (Connection forger = StoreAccounts.app(temp.path())) {
                forger.setAutoCommit(true);
                List<String> messages = forgeries(id, store.epochCount(id)).stream().map(sql -> refused(forger, sql).getMessage().lines().findFirst().orElseThrow()).toList();
                String holder = "run " + id + " is being written by " + WriterLease.thisProcess();
                assertEquals(List.of(
                        holder + ", and only the session holding its lease may append to it (run_ended); SQL statement:",
                        holder + ", and only the session holding its lease may append to it (epoch_blocks); SQL statement:",
                        holder + ", and only the session holding its lease may append to it (epoch_parts); SQL statement:",
                        holder + ", whose lease cannot be taken while its session is open; SQL statement:",
                        "a run's lease names the session that holds it: this session may claim run " + id + " only in its own name; SQL statement:"),
                        messages);
            }
            TrainingOutcome rest = Trainer.run(recorder, store.parametersAt(id, 100), TrainingProgress.NONE);
            recorder.close();
            assertInstanceOf(RunCompleted.class, rest.end(), "the run completes");
            assertEquals(400, StoreChecks.assertChainIntact(store, id));
            assertEquals(400, StoreChecks.assertRecordedValuesRecompute(store, id));
        }
    }

    @Test
    void anEndedRunTakesNoRowFromAnyone() throws Exception {
        try (H2EventStore store = temp.open()) {
            long id = new Trainer(store).train(RunConfig.seed().withEpochs(5), TrainingProgress.NONE).started().runId();
            try (Connection forger = StoreAccounts.app(temp.path())) {
                for (String sql : forgeries(id, 5).subList(0, 3)) {
                    String message = refused(forger, sql).getMessage();
                    assertTrue(message.startsWith("run " + id + " has no writer, and only the session holding a run's lease may append to it")
                            || message.startsWith("run " + id + " has ended: no epochs can be appended to it"), sql + ": " + message);
                }
            }
            assertEquals(5, StoreChecks.assertChainIntact(store, id));
        }
    }

    @Test
    void aWriterThatMeetsAnEndEventItDidNotWriteStopsSayingTheStoreWasWrittenBySomeoneElse() throws Exception {
        RunConfig config = RunConfig.seed().withEpochs(1000);
        try (H2EventStore store = temp.open()) {
            RunRecorder recorder = store.start(config, null, null);
            long id = recorder.started().runId();
            Trainer.run(recorder, config.initial(), TrainingProgress.NONE, () -> recorder.nextEpoch() == 300);
            // The owner may drop a trigger (see the README's Security section); verify and the writers notice.
            try (Connection owner = StoreAccounts.owner(temp.path()); Statement s = owner.createStatement()) {
                s.execute("DROP TRIGGER run_ended_by_lease_holder");
                s.execute("INSERT INTO run_ended (run_id, status, epoch, reason, final_parameters, hash, ended_at) VALUES (" + id
                        + ", 'failed', 0, 'forged', NULL, X'" + "00".repeat(32) + "', CURRENT_TIMESTAMP)");
            }
            ConcurrentAppendException e = assertThrows(ConcurrentAppendException.class,
                    () -> Trainer.run(recorder, store.parametersAt(id, 300), TrainingProgress.NONE));
            assertEquals("run " + id + " was ended by someone else: the store holds an end event this process did not write, so the"
                    + " store was written behind backprop's back; 'backprop verify " + id + "' says what it holds", e.getMessage());
            recorder.close();
            ResumeRefusedException refusal = assertThrows(ResumeRefusedException.class, () -> store.resume(id));
            assertEquals("run " + id + "'s end event (failed at epoch 0, 'forged') was not written by its recorder, since its hash does"
                    + " not follow the run's chain: the store was written behind backprop's back; the 300 epochs recorded before it are"
                    + " intact, and 'backprop fork " + id + " --at 300' continues them bit for bit as a new run ('backprop verify " + id
                    + "' reports the forgery)", refusal.getMessage());
            assertEquals(300, store.epochCount(id));
        }
    }
}
