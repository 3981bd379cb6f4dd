package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.h2.engine.Database;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.util.JSR310Utils;
import org.h2.value.Value;

/**
 * Tells whether a writer's H2 session is still open, for the {@code runs} table and the writer lease. It runs inside
 * the database, so it sees the sessions of every process: this one's, those connected through AUTO_SERVER, and a TCP
 * server's clients.
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
        return openSession(local.getDatabase(), sessionId, sessionStart.toInstant()) != null;
    }

    /** The open session of the database with this id that started at this instant (a value of run_writers), or null. */
    static SessionLocal openSession(Database database, int sessionId, Value sessionStart) {
        return openSession(database, sessionId, JSR310Utils.valueToOffsetDateTime(sessionStart, null).toInstant());
    }

    private static SessionLocal openSession(Database database, int sessionId, Instant sessionStart) {
        for (SessionLocal s : database.getSessions(false)) {
            if (s.getId() == sessionId && !s.isClosed()
                    && JSR310Utils.valueToOffsetDateTime(s.getSessionStart(), null).toInstant().equals(sessionStart)) {
                return s;
            }
        }
        return null;
    }
}
