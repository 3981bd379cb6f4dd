package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.h2.api.Trigger;

/** Lets a block of epochs in only when it starts right after the run's last recorded epoch and the run has not ended. */
public final class EpochOrderTrigger implements Trigger {

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        long runId = ((Number) newRow[0]).longValue();
        int first = ((Number) newRow[1]).intValue();
        // Index lookups only: the previous row must end right before this one, and no row may end at or after it.
        try (PreparedStatement s = conn.prepareStatement("""
                SELECT (SELECT COUNT(*) FROM epoch_blocks WHERE run_id = ? AND last_epoch = ?),
                       (SELECT MAX(last_epoch) FROM epoch_blocks WHERE run_id = ? AND last_epoch >= ?),
                       (SELECT COUNT(*) FROM run_ended WHERE run_id = ?)""")) {
            s.setLong(1, runId);
            s.setInt(2, first - 1);
            s.setLong(3, runId);
            s.setInt(4, first);
            s.setLong(5, runId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (rs.getInt(3) > 0) {
                    throw new SQLException("run " + runId + " has ended: no epochs can be appended to it", "40001");
                }
                int later = rs.getInt(2);
                boolean laterExists = !rs.wasNull();
                if (laterExists || (first > 0 && rs.getInt(1) == 0)) {
                    throw new SQLException("run " + runId + " expects epoch " + (laterExists ? later + 1 : "(after a gap) ") + " next, not epoch " + first, "40001");
                }
            }
        }
    }
}
