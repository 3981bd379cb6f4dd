package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import org.backprop.events.JournalEntry;
import org.backprop.events.StoreJournal;

/**
 * Journals what a store held before it had a journal (schema 9): run by run in the order of their ids, each run's
 * sweep first (once), then its start event, its blocks of epochs in order and its terminal event; then the sweeps
 * no run names. Called once, by the migration, as the store's owner.
 */
public final class JournalBackfill {
    private JournalBackfill() {
    }

    public static int backfill(Connection conn) throws SQLException {
        Set<Long> sweepsDone = new HashSet<>();
        int entries = 0;
        try (PreparedStatement runs = conn.prepareStatement("SELECT run_id, sweep_id, hash FROM run_started ORDER BY run_id");
             ResultSet r = runs.executeQuery()) {
            while (r.next()) {
                long runId = r.getLong(1);
                long sweep = r.getLong(2);
                if (!r.wasNull() && sweepsDone.add(sweep)) {
                    entries += sweep(conn, sweep);
                }
                Journal.append(conn, JournalEntry.Kind.STARTED, runId, 0, -1, -1, 1, r.getBytes(3));
                entries++;
                entries += blocks(conn, runId);
                try (PreparedStatement end = conn.prepareStatement("SELECT hash FROM run_ended WHERE run_id = ?")) {
                    end.setLong(1, runId);
                    try (ResultSet e = end.executeQuery()) {
                        if (e.next()) {
                            Journal.append(conn, JournalEntry.Kind.ENDED, runId, 0, -1, -1, 1, e.getBytes(1));
                            entries++;
                        }
                    }
                }
            }
        }
        try (PreparedStatement sweeps = conn.prepareStatement("SELECT sweep_id FROM sweeps ORDER BY sweep_id");
             ResultSet s = sweeps.executeQuery()) {
            while (s.next()) {
                if (sweepsDone.add(s.getLong(1))) {
                    entries += sweep(conn, s.getLong(1));
                }
            }
        }
        return entries;
    }

    private static int sweep(Connection conn, long sweepId) throws SQLException {
        try (PreparedStatement s = conn.prepareStatement("SELECT chained, created_at FROM sweeps WHERE sweep_id = ?")) {
            s.setLong(1, sweepId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                Journal.append(conn, JournalEntry.Kind.SWEEP, 0, sweepId, -1, -1, 0,
                        StoreJournal.sweepHash(sweepId, rs.getBoolean(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
                return 1;
            }
        }
    }

    /** One entry per stored row, walking the primary key one row at a time so that a long run is never sorted. */
    private static int blocks(Connection conn, long runId) throws SQLException {
        int n = 0;
        int next = 0;
        while (true) {
            try (PreparedStatement s = conn.prepareStatement("""
                    SELECT first_epoch, last_epoch, hashes FROM epoch_blocks WHERE run_id = ? AND first_epoch >= ?
                    ORDER BY run_id, first_epoch LIMIT 1""")) {
                s.setLong(1, runId);
                s.setInt(2, next);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return n;
                    }
                    int first = rs.getInt(1);
                    int last = rs.getInt(2);
                    Journal.append(conn, JournalEntry.Kind.EPOCHS, runId, 0, first, last, last - first + 1, StoreJournal.blockHash(rs.getBytes(3)));
                    n++;
                    next = first + 1;
                }
            }
        }
    }
}
