package org.backprop.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.backprop.events.JournalEntry;
import org.backprop.events.StoreException;

/** Reads a team store's identity and its journal as stored. */
final class PostgresJournalReads {
    private static final int PAGE = 1000;
    private static final String COLUMNS = "seq, kind, run_id, sweep_id, first_epoch, last_epoch, events, total_events, event_hash, chain";

    private final Connection connection;
    private final String where;

    PostgresJournalReads(Connection connection, String where) {
        this.connection = connection;
        this.where = where;
    }

    UUID storeId() {
        try (PreparedStatement s = connection.prepareStatement("SELECT store_id FROM store_identity");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new StoreException("the store " + where + " has no identity: it was changed behind the application's back");
            }
            return rs.getObject(1, UUID.class);
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "reading its identity", e);
        }
    }

    Optional<JournalEntry> head() {
        return entries("SELECT " + COLUMNS + " FROM journal ORDER BY seq DESC LIMIT 1", 0).stream().findFirst();
    }

    Optional<JournalEntry> entry(long seq) {
        return entries("SELECT " + COLUMNS + " FROM journal WHERE seq = ?", seq).stream().findFirst();
    }

    /** Page by page along the primary key, so that a long journal is never held whole. */
    void forEach(long from, Consumer<JournalEntry> action) {
        long next = from;
        while (true) {
            List<JournalEntry> page = entries("SELECT " + COLUMNS + " FROM journal WHERE seq >= ? ORDER BY seq LIMIT " + PAGE, next);
            page.forEach(action);
            if (page.size() < PAGE) {
                return;
            }
            next = page.get(page.size() - 1).seq() + 1;
        }
    }

    private List<JournalEntry> entries(String sql, long parameter) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            if (sql.contains("?")) {
                s.setLong(1, parameter);
            }
            List<JournalEntry> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new JournalEntry(rs.getLong(1), JournalEntry.Kind.ofStored(rs.getString(2)), rs.getLong(3), rs.getLong(4), rs.getInt(5),
                            rs.getInt(6), rs.getInt(7), rs.getLong(8), rs.getBytes(9), rs.getBytes(10)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "reading its journal", e);
        }
    }
}
