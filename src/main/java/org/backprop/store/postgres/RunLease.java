package org.backprop.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.backprop.events.ResumeRefusedException;

/**
 * A writer's claim on one run of a team store: a session-level advisory lock, held by the connection that writes the
 * run for as long as it is open. While it is held the run shows as {@code running}; once the session ends (the process
 * exited, was killed, or its host vanished and the server's keepalives gave up on it) and no terminal event was
 * stored, the run shows as {@code interrupted} and may be resumed. The store's triggers let only the holder append.
 */
final class RunLease {
    /** The first key of every advisory lock of a backprop store (bp_lease_key() in db/postgresql); the second is the run id. */
    static final int KEY = 1651532400;

    private RunLease() {
    }

    /** Takes the run's lease for this session, unless another session holds it. */
    static boolean tryAcquire(Connection c, long runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            s.setInt(1, KEY);
            s.setInt(2, Math.toIntExact(runId));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static void release(Connection c, long runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            s.setInt(1, KEY);
            s.setInt(2, Math.toIntExact(runId));
            s.executeQuery().close();
        }
    }

    /** The process holding the run's lease, as pid@host (since when it connected), or as its server session when the server hides that. */
    static Optional<String> holder(Connection c, long runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT l.pid, a.application_name, a.backend_start FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.classid = ?::oid AND l.objid = ?::oid AND l.objsubid = 2 AND l.granted""")) {
            s.setInt(1, KEY);
            s.setLong(2, runId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String name = rs.getString(2);
                OffsetDateTime since = rs.getObject(3, OffsetDateTime.class);
                return Optional.of(name != null && name.startsWith("backprop ") && since != null
                        ? name.substring("backprop ".length()) + " (since " + since + ")"
                        : "of PostgreSQL session " + rs.getInt(1));
            }
        }
    }

    static ResumeRefusedException busy(long runId, String holder) {
        return new ResumeRefusedException("run " + runId + " is still being written by process " + holder
                + ": wait for it to finish, or stop that process and resume the run then");
    }
}
