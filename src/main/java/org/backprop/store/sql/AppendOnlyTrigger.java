package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/** Refuses every UPDATE and DELETE on an event table, whoever asks, the store's owner included. */
public final class AppendOnlyTrigger implements Trigger {
    private String table;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        this.table = tableName;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("events are append-only: rows of " + table.toLowerCase(java.util.Locale.ROOT)
                + " can be neither changed nor deleted", "42501");
    }
}
