package org.backprop.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;

/** The store's schema version, its three database users, and bringing a store up to date with Flyway. */
final class Schema {
    /** The highest migration in {@code db/migration}; a test keeps the two in step. */
    static final int CURRENT_VERSION = 8;

    static final String OWNER = "BACKPROP_OWNER";
    static final String OWNER_PASSWORD = "backprop-owner";
    static final String APP = "BACKPROP_APP";
    static final String APP_PASSWORD = "backprop-app";
    static final String READER = "BACKPROP_READER";
    static final String READER_PASSWORD = "backprop-reader";

    private Schema() {
    }

    static Connection connect(String url, String user, String password) throws SQLException {
        return DriverManager.getConnection(url, user, password);
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
    static void writeCommitsAtOnce(String url) throws SQLException {
        try (Connection owner = connect(url, OWNER, OWNER_PASSWORD); Statement s = owner.createStatement()) {
            s.execute("SET WRITE_DELAY 0");
        }
    }

    /** Runs the pending migrations as the owner. */
    static void migrate(String url) {
        Flyway.configure()
                .dataSource(url, OWNER, OWNER_PASSWORD)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
