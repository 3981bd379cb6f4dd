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
        // The last block through the primary key's index: MAX(last_epoch) would read every block of the run.
        try (PreparedStatement s = conn.prepareStatement("""
                SELECT COALESCE((SELECT last_epoch + 1 FROM epoch_blocks WHERE run_id = ?
                                 AND first_epoch = (SELECT MAX(first_epoch) FROM epoch_blocks WHERE run_id = ?)), 0),
                       (SELECT COUNT(*) FROM run_ended WHERE run_id = ?)""")) {
            s.setLong(1, runId);
            s.setLong(2, runId);
            s.setLong(3, runId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                int expected = rs.getInt(1);
                if (rs.getInt(2) > 0) {
                    throw new SQLException("run " + runId + " has ended: no epochs can be appended to it", "40001");
                }
                if (first != expected) {
                    throw new SQLException("run " + runId + " expects epoch " + expected + " next, not epoch " + first, "40001");
                }
            }
        }
    }
}
