package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.backprop.cli.Cli;
import org.backprop.events.EpochCodec;
import org.backprop.events.EventHashes;
import org.backprop.events.RunEvent;
import org.backprop.model.Backprop;
import org.backprop.model.Network;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone with the store owner's credentials changes recorded events with plain SQL, behind the application's back;
 * {@code verify} must notice and name what changed.
 */
class TamperTest {
    /** The seed network's epoch: 8 weights, then 4 net inputs, 4 activations, 4 deltas, 8 gradients, the loss. */
    private static final int SEED_EPOCH_BYTES = new EpochCodec(Network.seed(), 1).epochBytes();
    private static final int A_O1 = 8 + 4 + 2;

    @TempDir
    Path dir;

    private Cli cli;

    @BeforeEach
    void twoRuns() {
        cli = new Cli(dir);
        assertEquals(0, cli.run("train", "--epochs", "1000").exitCode());
        assertEquals(0, cli.run("train", "--lr", "0.5", "--epochs", "50", "--name", "other").exitCode());
        Cli.Result before = cli.run("verify");
        assertEquals(0, before.exitCode(), before.out() + before.err());
        assertEquals(List.of("run 1 'seed': ok: 1000 epochs re-executed bit for bit, hash chain intact, completed",
                "run 2 'other': ok: 50 epochs re-executed bit for bit, hash chain intact, completed",
                "journal: ok: 9 entries hold 1054 events, chained from the store's id; every stored event is in it"), before.lines().subList(0, 3));
        assertTrue(before.lines().get(3).startsWith("last seen: ok: everything the digest of "), before.out());
    }

    /** The store's owner, with the credentials from the file beside the store, as the README tells a person to. */
    private Connection admin() throws SQLException {
        return StoreAccounts.owner(cli.store());
    }

    /** The owner may not change events either, until it drops the table's append-only trigger. */
    private void dropAppendOnlyTrigger(Connection admin, String table) throws SQLException {
        try (Statement s = admin.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM " + table + " WHERE run_id = 1"));
            assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
            s.execute("DROP TRIGGER " + table + "_is_append_only");
        }
    }

    private record Row(int first, int last, byte[] payload, byte[] hashes) {
    }

    private static List<Row> rows(Connection admin, long runId) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = admin.prepareStatement(
                "SELECT first_epoch, last_epoch, payload, hashes FROM epoch_blocks WHERE run_id = ? ORDER BY first_epoch")) {
            s.setLong(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getInt(1), rs.getInt(2), rs.getBytes(3), rs.getBytes(4)));
                }
            }
        }
        return rows;
    }

    private static void update(Connection admin, long runId, Row row, byte[] payload, byte[] hashes) throws SQLException {
        try (PreparedStatement s = admin.prepareStatement("UPDATE epoch_blocks SET payload = ?, hashes = ? WHERE run_id = ? AND first_epoch = ?")) {
            s.setBytes(1, payload);
            s.setBytes(2, hashes);
            s.setLong(3, runId);
            s.setInt(4, row.first());
            assertEquals(1, s.executeUpdate());
        }
    }

    private static Row rowHolding(List<Row> rows, int epoch) {
        return rows.stream().filter(r -> r.first() <= epoch && epoch <= r.last()).findFirst().orElseThrow();
    }

    @Test
    void anEditedDoubleIsNamedWithItsEpochAndItsEventIsTheFirstWhoseHashNoLongerMatches() throws SQLException {
        double stored;
        double edited;
        try (Connection admin = admin()) {
            dropAppendOnlyTrigger(admin, "epoch_blocks");
            Row row = rowHolding(rows(admin, 1), 437);
            ByteBuffer payload = ByteBuffer.wrap(row.payload().clone()).order(ByteOrder.LITTLE_ENDIAN);
            int at = (437 - row.first()) * SEED_EPOCH_BYTES + A_O1 * Double.BYTES;
            stored = payload.getDouble(at);
            edited = Math.nextUp(stored);
            payload.putDouble(at, edited);
            update(admin, 1, row, payload.array(), row.hashes());
        }
        Cli.Result r = cli.run("verify");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        // The hashes stand as they were, so the journal sees nothing: re-execution and the run's chain do.
        assertEquals(List.of("run 1 'seed': DIFFERS: epoch 437: a_o1 is " + edited + " in the store but re-executes to " + stored
                        + "; the first event whose hash no longer matches is epoch 437",
                "run 2 'other': ok: 50 epochs re-executed bit for bit, hash chain intact, completed",
                "journal: ok: 9 entries hold 1054 events, chained from the store's id; every stored event is in it"), r.lines().subList(0, 3));
        assertEquals(0, cli.run("verify", "2").exitCode(), "the untouched run alone verifies");
        Cli.Result replay = cli.run("replay", "1", "--epoch", "437");
        assertTrue(replay.out().contains("a_o1 = " + edited), "replay shows what is stored, without recomputing: " + replay.out());
    }

    @Test
    void aDeletedRowOfEpochsIsReportedAsTheEpochsMissing() throws SQLException {
        Row middle;
        try (Connection admin = admin()) {
            List<Row> rows = rows(admin, 1);
            assertTrue(rows.size() >= 3, "the run needs a middle row: " + rows.size());
            middle = rows.get(1);
            dropAppendOnlyTrigger(admin, "epoch_blocks");
            try (Statement s = admin.createStatement()) {
                assertEquals(1, s.executeUpdate("DELETE FROM epoch_blocks WHERE run_id = 1 AND first_epoch = " + middle.first()));
            }
        }
        Cli.Result r = cli.run("verify", "seed");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertEquals("run 1 'seed': DIFFERS: epochs " + middle.first() + " to " + middle.last() + " are missing; the first event"
                + " whose hash no longer matches is epoch " + (middle.last() + 1), r.out().strip());
        String missing = "backprop: run 1 has no stored epoch " + middle.first() + ", though its epochs run to 999: the store was changed"
                + " behind the application's back ('backprop verify 1' says what differs)";
        for (String[] args : List.of(new String[] {"replay", "1", "--epoch", String.valueOf(middle.first())},
                new String[] {"state", "1", "--epoch", String.valueOf(middle.first())}, new String[] {"replay", "1", "--format", "csv"},
                new String[] {"diff", "1", "2"}, new String[] {"plot", "1", "--out", dir.resolve("damaged.png").toString()})) {
            Cli.Result damaged = cli.run(args);
            assertEquals(1, damaged.exitCode(), String.join(" ", args));
            assertEquals(missing, damaged.err().strip(), String.join(" ", args));
        }
    }

    @Test
    void aChangedConfigurationIsCaughtByReExecutionAndByTheStartEventsHash() throws SQLException {
        try (Connection admin = admin()) {
            dropAppendOnlyTrigger(admin, "run_started");
            try (Statement s = admin.createStatement()) {
                // A careful forger changes the column and the stored configuration text alike.
                assertEquals(1, s.executeUpdate("UPDATE run_started SET learning_rate = 0.2,"
                        + " config = REPLACE(config, '\"learningRate\":0.1,', '\"learningRate\":0.2,') WHERE run_id = 1"));
            }
        }
        Cli.Result r = cli.run("verify", "1");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        // Epoch 0's forward pass does not use the learning rate; the weights it leads to for epoch 1 do.
        assertEquals("run 1 'seed': DIFFERS: epoch 1: w1 (in force during the epoch) is 0.14996830066040898 in the store but re-executes to "
                + (0.15 + Backprop.step(0.2, 3.169933959102902E-4)) + "; the first event whose hash no longer matches is the start event", r.out().strip());
    }

    @Test
    void anEditedEndTimeIsCaughtByTheEndEventsHash() throws SQLException {
        try (Connection admin = admin()) {
            dropAppendOnlyTrigger(admin, "run_ended");
            try (Statement s = admin.createStatement()) {
                assertEquals(1, s.executeUpdate("UPDATE run_ended SET ended_at = DATEADD(HOUR, -1, ended_at) WHERE run_id = 2"));
            }
        }
        Cli.Result r = cli.run("verify", "2");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertEquals("run 2 'other': DIFFERS: every value re-executes bit for bit; the first event whose hash no longer matches"
                + " is the end event", r.out().strip());
    }

    @Test
    void aForgerWhoRecomputesEveryHashIsStillCaughtByReExecution() throws SQLException {
        try (Connection admin = admin()) {
            dropAppendOnlyTrigger(admin, "epoch_blocks");
            dropAppendOnlyTrigger(admin, "run_ended");
            EventHashes hashes = new EventHashes();
            byte[] previous;
            try (Statement s = admin.createStatement(); ResultSet rs = s.executeQuery("SELECT hash FROM run_started WHERE run_id = 2")) {
                rs.next();
                previous = rs.getBytes(1);
            }
            for (Row row : rows(admin, 2)) {
                byte[] payload = row.payload().clone();
                ByteBuffer values = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
                if (row.first() <= 20 && 20 <= row.last()) {
                    int at = (20 - row.first()) * SEED_EPOCH_BYTES + A_O1 * Double.BYTES;
                    values.putDouble(at, 0.5);
                }
                byte[] chain = new byte[row.hashes().length];
                for (int e = row.first(); e <= row.last(); e++) {
                    int i = e - row.first();
                    hashes.epoch(i == 0 ? previous : chain, i == 0 ? 0 : (i - 1) * EventHashes.LENGTH, e, payload, i * SEED_EPOCH_BYTES,
                            SEED_EPOCH_BYTES, chain, i * EventHashes.LENGTH);
                }
                update(admin, 2, row, payload, chain);
                previous = java.util.Arrays.copyOfRange(chain, chain.length - EventHashes.LENGTH, chain.length);
            }
            RunEvent end;
            try (H2EventStore store = H2EventStore.open(StoreLocation.of(cli.store().toString()))) {
                end = store.ended(2).orElseThrow();
            }
            try (PreparedStatement s = admin.prepareStatement("UPDATE run_ended SET hash = ? WHERE run_id = 2")) {
                s.setBytes(1, hashes.end(previous, end));
                assertEquals(1, s.executeUpdate());
            }
        }
        Cli.Result r = cli.run("verify", "2");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().startsWith("run 2 'other': DIFFERS: epoch 20: a_o1 is 0.5 in the store but re-executes to "), r.out());
        assertTrue(r.out().strip().endsWith("; every hash matches, so the hashes were recomputed after the change"), r.out());
    }
}
