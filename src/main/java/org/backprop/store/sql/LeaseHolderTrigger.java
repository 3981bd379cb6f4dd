package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Lets an epoch, an epoch's part or an end event of a run in only from the session that holds the run's lease in
 * {@code run_writers}: the process that started, resumed or is importing the run. Whoever else holds the
 * application's account can start runs of their own, but not end or extend someone else's.
 */
public final class LeaseHolderTrigger implements org.h2.api.Trigger {
    /** The SQL state of a refusal, which the recorders recognise. */
    public static final String REFUSED = "42501";
    private String table;

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        this.table = tableName.toLowerCase(Locale.ROOT);
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        long runId = ((Number) newRow[0]).longValue();
        WriterSessions.Session mine = WriterSessions.current(conn);
        try (PreparedStatement s = conn.prepareStatement("SELECT session_id, session_start, process FROM run_writers WHERE run_id = ?")) {
            s.setLong(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("run " + runId + " has no writer, and only the session holding a run's lease may append to"
                            + " it (" + table + "): 'backprop resume " + runId + "' takes the lease and continues the run", REFUSED);
                }
                if (!mine.is(rs.getInt(1), rs.getObject(2, java.time.OffsetDateTime.class))) {
                    throw new SQLException("run " + runId + " is being written by " + rs.getString(3) + ", and only the session holding"
                            + " its lease may append to it (" + table + ")", REFUSED);
                }
            }
        }
    }
}
