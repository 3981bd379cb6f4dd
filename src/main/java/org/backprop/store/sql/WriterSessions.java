package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.h2.engine.Database;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.util.JSR310Utils;
import org.h2.value.Value;

/**
 * Tells whether a writer's H2 session is still open, for the {@code runs} table, and which session a statement runs
 * in, for the lease triggers. It runs inside the database, so it sees the sessions of every process: this one's,
 * those connected through AUTO_SERVER, and a TCP server's clients.
 */
public final class WriterSessions {
    private WriterSessions() {
    }

    /** An H2 session as {@code run_writers} names it: its id and the instant it started (ids restart with the database). */
    public record Session(int id, Instant start) {
        /** True when this is the session with that id that started at that instant. */
        public boolean is(int sessionId, OffsetDateTime sessionStart) {
            return sessionStart != null && is(sessionId, sessionStart.toInstant());
        }

        boolean is(int sessionId, Instant sessionStart) {
            return id == sessionId && start.equals(sessionStart);
        }
    }

    /** True when the database has an open session with this id that started at this instant. */
    public static boolean alive(Connection c, int sessionId, OffsetDateTime sessionStart) throws SQLException {
        if (sessionStart == null) {
            return false;
        }
        // INFORMATION_SCHEMA.SESSIONS lists other users' sessions only to admins, and the app and reader are not:
        // the session list is taken from the database the function runs in.
        return openSession(local(c).getDatabase(), sessionId, sessionStart.toInstant()) != null;
    }

    /** The open session of the database with this id that started at this instant (a value of run_writers), or null. */
    static SessionLocal openSession(Database database, int sessionId, Value sessionStart) {
        return openSession(database, sessionId, JSR310Utils.valueToOffsetDateTime(sessionStart, null).toInstant());
    }

    private static SessionLocal openSession(Database database, int sessionId, Instant sessionStart) {
        for (SessionLocal s : database.getSessions(false)) {
            if (!s.isClosed() && session(s).is(sessionId, sessionStart)) {
                return s;
            }
        }
        return null;
    }

    /** The session the connection (a trigger's or a function's) runs its statements in. */
    public static Session current(Connection c) throws SQLException {
        return session(local(c));
    }

    private static Session session(SessionLocal s) {
        return new Session(s.getId(), JSR310Utils.valueToOffsetDateTime(s.getSessionStart(), null).toInstant());
    }

    private static SessionLocal local(Connection c) throws SQLException {
        if (!(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local)) {
            throw new SQLException("the store's sessions can be told apart inside the database only");
        }
        return local;
    }
}
