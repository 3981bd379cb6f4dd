package org.backprop.store.h2;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The store's schema version and bringing a store up to date with Flyway, as H2's admin inside the process holding it. */
final class Schema {
    /** The highest migration in {@code db/migration}; a test keeps the two in step. */
    static final int CURRENT_VERSION = 12;

    private Schema() {
    }

    /** The schema version recorded in the store, 0 when it has none. */
    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(CAST(\"version\" AS INTEGER)) FROM \"flyway_schema_history\" WHERE \"success\"")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Makes every commit reach the file before it returns (H2 otherwise writes up to half a second later), so a killed
     * process loses only what it had not committed, and a process writing through another one's AUTO_SERVER loses
     * nothing when that one ends. H2 does not keep this setting across reopening, and only an admin may change it.
     */
    static void writeCommitsAtOnce(Connection admin) throws SQLException {
        try (Statement s = admin.createStatement()) {
            s.execute("SET WRITE_DELAY 0");
        }
    }

    /** Runs the pending migrations on admin connections (Flyway opens and closes its own). */
    static void migrate(Supplier<Connection> admin) {
        Flyway.configure()
                .dataSource(new AdminDataSource(admin))
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** Flyway's way to the store: every connection an admin session of the process holding the store. */
    private record AdminDataSource(Supplier<Connection> admin) implements DataSource {
        @Override
        public Connection getConnection() {
            return admin.get();
        }

        @Override
        public Connection getConnection(String user, String password) {
            return admin.get();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // Flyway logs through its own logger.
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // No login: the session is made inside the process.
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
