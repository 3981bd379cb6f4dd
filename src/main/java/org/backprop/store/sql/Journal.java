package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.backprop.events.JournalEntry;
import org.backprop.events.StoreJournal;
import org.h2.api.Trigger;

/**
 * Appends entries to the store's journal. Two transactions that append at once both try the same next number; the
 * primary key makes the later one wait for the earlier's commit and then fail, and it tries again after the new head,
 * so the journal's order is the order of commits. Only this class may insert into the journal: the table's own
 * trigger ({@link Guard}) refuses every other insert, the owner's included.
 */
public final class Journal {
    private static final ThreadLocal<Boolean> APPENDING = ThreadLocal.withInitial(() -> false);
    private static final long GIVE_UP_NANOS = 120_000_000_000L;

    private Journal() {
    }

    static void append(Connection conn, JournalEntry.Kind kind, long runId, long sweepId, int first, int last, int events, byte[] eventHash)
            throws SQLException {
        long deadline = System.nanoTime() + GIVE_UP_NANOS;
        while (true) {
            long seq;
            long total;
            byte[] previous;
            try (PreparedStatement s = conn.prepareStatement("SELECT seq, total_events, chain FROM journal ORDER BY seq DESC LIMIT 1");
                 ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    seq = rs.getLong(1) + 1;
                    total = rs.getLong(2) + events;
                    previous = rs.getBytes(3);
                } else {
                    seq = 1;
                    total = events;
                    previous = StoreJournal.origin(storeId(conn));
                }
            }
            byte[] chain = StoreJournal.chain(previous, seq, kind, runId, sweepId, first, last, events, total, eventHash);
            APPENDING.set(true);
            try (PreparedStatement s = conn.prepareStatement("""
                    INSERT INTO journal (seq, kind, run_id, sweep_id, first_epoch, last_epoch, events, total_events, event_hash, chain)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                s.setLong(1, seq);
                s.setString(2, kind.stored);
                s.setLong(3, runId);
                s.setLong(4, sweepId);
                s.setInt(5, first);
                s.setInt(6, last);
                s.setInt(7, events);
                s.setLong(8, total);
                s.setBytes(9, eventHash);
                s.setBytes(10, chain);
                s.executeUpdate();
                return;
            } catch (SQLException e) {
                // 23505: another transaction committed this number first; HYT00: it held it past the lock timeout.
                boolean raced = "23505".equals(e.getSQLState()) || "HYT00".equals(e.getSQLState());
                if (!raced || System.nanoTime() > deadline) {
                    throw e;
                }
            } finally {
                APPENDING.set(false);
            }
        }
    }

    static UUID storeId(Connection conn) throws SQLException {
        try (PreparedStatement s = conn.prepareStatement("SELECT store_id FROM store_identity");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the store has no identity row: it was changed behind the application's back");
            }
            return rs.getObject(1, UUID.class);
        }
    }

    /** Refuses any insert into the journal that {@link Journal} does not make. */
    public static final class Guard implements Trigger {
        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
            if (!APPENDING.get()) {
                throw new SQLException("the journal is written by the store alone, as events are stored: it cannot be inserted into", "42501");
            }
        }
    }
}
