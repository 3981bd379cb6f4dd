package org.backprop.store.h2;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.backprop.events.JournalEntry;
import org.backprop.events.StoreException;
import org.jdbi.v3.core.Handle;

/** Reads the store's identity and its journal (schema 9) as stored. */
final class JournalReads {
    private static final int PAGE = 1000;
    private final Handle handle;

    JournalReads(Handle handle) {
        this.handle = handle;
    }

    UUID storeId() {
        return handle.createQuery("SELECT store_id FROM store_identity").mapTo(UUID.class).findOne()
                .orElseThrow(() -> new StoreException("the store has no identity: it was changed behind the application's back"));
    }

    Optional<JournalEntry> head() {
        return handle.createQuery("SELECT * FROM journal ORDER BY seq DESC LIMIT 1").map((rs, ctx) -> entry(rs)).findOne();
    }

    Optional<JournalEntry> entry(long seq) {
        return handle.createQuery("SELECT * FROM journal WHERE seq = :seq").bind("seq", seq).map((rs, ctx) -> entry(rs)).findOne();
    }

    /** Page by page along the primary key, so that a long journal is never held whole. */
    void forEach(long from, Consumer<JournalEntry> action) {
        long next = from;
        while (true) {
            List<JournalEntry> page = handle.createQuery("SELECT * FROM journal WHERE seq >= :from ORDER BY seq LIMIT " + PAGE)
                    .bind("from", next).map((rs, ctx) -> entry(rs)).list();
            page.forEach(action);
            if (page.size() < PAGE) {
                return;
            }
            next = page.get(page.size() - 1).seq() + 1;
        }
    }

    private static JournalEntry entry(ResultSet rs) throws SQLException {
        return new JournalEntry(rs.getLong("seq"), JournalEntry.Kind.ofStored(rs.getString("kind")), rs.getLong("run_id"), rs.getLong("sweep_id"),
                rs.getInt("first_epoch"), rs.getInt("last_epoch"), rs.getInt("events"), rs.getLong("total_events"), rs.getBytes("event_hash"),
                rs.getBytes("chain"));
    }
}
