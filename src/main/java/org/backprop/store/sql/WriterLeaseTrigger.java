package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * Keeps the leases of {@code run_writers} honest: a session may claim a run only in its own name, and may give up only
 * its own lease or one whose session has ended. A live writer's lease cannot be taken away, so no one can step into a
 * run while it is being written.
 */
public final class WriterLeaseTrigger implements org.h2.api.Trigger {
    private static final int SESSION_ID = 1;
    private static final int SESSION_START = 2;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        WriterSessions.Session mine = WriterSessions.current(conn);
        if (newRow != null) {
            if (!mine.is(((Number) newRow[SESSION_ID]).intValue(), (OffsetDateTime) newRow[SESSION_START])) {
                throw new SQLException("a run's lease names the session that holds it: this session may claim run " + newRow[0]
                        + " only in its own name", LeaseHolderTrigger.REFUSED);
            }
            return;
        }
        int id = ((Number) oldRow[SESSION_ID]).intValue();
        OffsetDateTime start = (OffsetDateTime) oldRow[SESSION_START];
        if (!mine.is(id, start) && WriterSessions.alive(conn, id, start)) {
            throw new SQLException("run " + oldRow[0] + " is being written by " + oldRow[3] + ", whose lease cannot be taken while its"
                    + " session is open", LeaseHolderTrigger.REFUSED);
        }
    }
}
