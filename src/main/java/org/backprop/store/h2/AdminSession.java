package org.backprop.store.h2;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.h2.engine.Database;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * Admin rights over a store exist only inside the process that has its file open: no database user is an admin, so
 * no password, over no connection, gives them. The process holding the file (which only the file's owner can open)
 * gets an admin connection from H2's own system user for the work that needs one: migrating the schema, setting the
 * store's users and passwords, making commits reach the disk at once.
 */
final class AdminSession {
    /** Not a session id H2 hands out (it counts up from 1), so that nothing mistakes this session for a writer's. */
    private static final int SESSION_ID = Integer.MAX_VALUE;

    private AdminSession() {
    }

    /**
     * An admin connection to the database {@code embedded} is connected to, when this process has its file open; empty
     * when the store is served by another process (AUTO_SERVER or a TCP server), whose admin work is its own.
     */
    static Optional<Connection> of(Connection embedded) throws SQLException {
        Session session = embedded.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local) || local.getNetworkConnectionInfo() != null) {
            return Optional.empty();
        }
        Database db = local.getDatabase();
        return Optional.of(new AdminConnection(new SessionLocal(db, db.getSystemUser(), SESSION_ID)));
    }

    /** True when {@code c} is connected to a database this process has open itself. */
    static boolean isEmbedded(Connection c) throws SQLException {
        return c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal;
    }

    /** A JDBC connection over a session of H2's system user; closing it ends the session. */
    private static final class AdminConnection extends JdbcConnection {
        private final SessionLocal own;

        AdminConnection(SessionLocal session) {
            super(session, session.getUser().getName(), "jdbc:default:connection");
            this.own = session;
        }

        @Override
        public void close() {
            // JdbcConnection cannot close a connection it did not open itself; the session can.
            own.close();
        }

        @Override
        public boolean isClosed() {
            return own.isClosed();
        }
    }
}
