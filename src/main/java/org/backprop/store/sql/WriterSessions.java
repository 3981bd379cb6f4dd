package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.util.JSR310Utils;

/**
 * Tells whether a writer's H2 session is still open, for the {@code runs} view. It runs inside the database, so it
 * sees the sessions of every process: this one's, those connected through AUTO_SERVER, and a TCP server's clients.
 */
public final class WriterSessions {
    private WriterSessions() {
    }

    /** True when the database has an open session with this id that started at this instant. */
    public static boolean alive(Connection c, int sessionId, OffsetDateTime sessionStart) throws SQLException {
        if (sessionStart == null) {
            return false;
        }
        // INFORMATION_SCHEMA.SESSIONS lists other users' sessions only to admins, and the app and reader are not:
        // the session list is taken from the database the function runs in.
        Session session = c.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local)) {
            throw new SQLException("bp_session_alive runs inside the database only");
        }
        for (SessionLocal s : local.getDatabase().getSessions(false)) {
            if (s.getId() == sessionId && !s.isClosed()
                    && JSR310Utils.valueToOffsetDateTime(s.getSessionStart(), null).toInstant().equals(sessionStart.toInstant())) {
                return true;
            }
        }
        return false;
    }
}
