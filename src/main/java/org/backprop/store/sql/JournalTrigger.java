package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Locale;
import org.backprop.events.JournalEntry;
import org.backprop.events.StoreJournal;
import org.h2.api.Trigger;

/**
 * Extends the store's journal by one entry for every row stored in an event table (a sweep, a start event, a block
 * of epochs, a terminal event), in the inserting transaction, so that what commits, commits journaled. Installed
 * AFTER INSERT on {@code sweeps}, {@code run_started}, {@code epoch_blocks} and {@code run_ended}.
 */
public final class JournalTrigger implements Trigger {
    private JournalEntry.Kind kind;
    private int runColumn = -1;
    private int sweepColumn = -1;
    private int firstColumn = -1;
    private int lastColumn = -1;
    private int hashColumn = -1;
    private int chainedColumn = -1;
    private int createdColumn = -1;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) throws SQLException {
        String table = tableName.toLowerCase(Locale.ROOT);
        kind = switch (table) {
            case "sweeps" -> JournalEntry.Kind.SWEEP;
            case "run_started" -> JournalEntry.Kind.STARTED;
            case "epoch_blocks" -> JournalEntry.Kind.EPOCHS;
            case "run_ended" -> JournalEntry.Kind.ENDED;
            default -> throw new SQLException("the journal trigger does not journal " + tableName);
        };
        // Columns by name, so that a later migration adding a column moves nothing here.
        try (ResultSet rs = conn.getMetaData().getColumns(null, schemaName, tableName, null)) {
            while (rs.next()) {
                int at = rs.getInt("ORDINAL_POSITION") - 1;
                switch (rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT)) {
                    case "run_id" -> runColumn = at;
                    case "sweep_id" -> sweepColumn = kind == JournalEntry.Kind.SWEEP ? at : sweepColumn;
                    case "first_epoch" -> firstColumn = at;
                    case "last_epoch" -> lastColumn = at;
                    case "hash", "hashes" -> hashColumn = at;
                    case "chained" -> chainedColumn = at;
                    case "created_at" -> createdColumn = at;
                    default -> { }
                }
            }
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        switch (kind) {
            case SWEEP -> Journal.append(conn, kind, 0, ((Number) newRow[sweepColumn]).longValue(), -1, -1, 0,
                    StoreJournal.sweepHash(((Number) newRow[sweepColumn]).longValue(), (Boolean) newRow[chainedColumn],
                            ((OffsetDateTime) newRow[createdColumn]).toInstant()));
            case STARTED, ENDED -> Journal.append(conn, kind, ((Number) newRow[runColumn]).longValue(), 0, -1, -1, 1, (byte[]) newRow[hashColumn]);
            case EPOCHS -> {
                int first = ((Number) newRow[firstColumn]).intValue();
                int last = ((Number) newRow[lastColumn]).intValue();
                Journal.append(conn, kind, ((Number) newRow[runColumn]).longValue(), 0, first, last, last - first + 1,
                        StoreJournal.blockHash((byte[]) newRow[hashColumn]));
            }
        }
    }
}
