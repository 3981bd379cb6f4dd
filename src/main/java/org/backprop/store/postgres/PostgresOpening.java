package org.backprop.store.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.backprop.events.StoreException;
import org.backprop.store.StoreAccess;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Opening a team store: connecting, refusing a database that holds no store (unless asked to create one), and
 * bringing an older schema up to this program's with Flyway ({@code db/postgresql}), as the schema's owner.
 */
final class PostgresOpening {
    /** The newest schema this program knows (the highest migration in db/postgresql). */
    static final int CURRENT_VERSION = 5;
    /** The oldest server the migrations run on (gen_random_uuid, float8 output that round-trips, plain views). */
    static final int OLDEST_SERVER = 130000;

    private PostgresOpening() {
    }

    /** Connects and, as {@code access} allows, creates or migrates the store; returns the connection the store reads through. */
    static Connection open(PostgresConnections connections, StoreAccess access, Consumer<String> notices) {
        Connection c = connect(connections);
        try {
            int server = c.getMetaData().getDatabaseMajorVersion() * 10000;
            if (server < OLDEST_SERVER) {
                throw new StoreException("the server of " + connections.describe() + " runs PostgreSQL " + c.getMetaData().getDatabaseProductVersion()
                        + "; a team store needs PostgreSQL 13 or newer");
            }
            int version = schemaVersion(c);
            if (version < 0 && access != StoreAccess.CREATE) {
                throw new StoreException("there is no store in " + connections.describe() + " (nothing was created): give the --db of an existing"
                        + " store, or record a run there first with 'backprop train --db " + connections.describe() + "'");
            }
            if (version > CURRENT_VERSION) {
                throw new StoreException("the store " + connections.describe() + " was written by a newer backprop (schema " + version
                        + ", this program knows up to " + CURRENT_VERSION + "): use a newer backprop or another --db");
            }
            if (version < CURRENT_VERSION) {
                migrate(connections, version);
            }
            if (access == StoreAccess.READ || access == StoreAccess.WATCH) {
                try (Statement s = c.createStatement()) {
                    // A reading command cannot write, whatever it runs.
                    s.execute("SET default_transaction_read_only = on");
                }
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw PostgresErrors.unexpected(connections.describe(), "opening it", e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** A connection to the store's database, or one line saying why there is none. */
    static Connection connect(PostgresConnections connections) {
        try {
            return connections.open();
        } catch (SQLException e) {
            throw cannotConnect(connections, e);
        }
    }

    static RuntimeException cannotConnect(PostgresConnections connections, SQLException e) {
        String where = connections.describe();
        String state = PostgresErrors.state(e);
        String said = PostgresErrors.firstLine(e);
        if (state.equals("28P01") || state.equals("28000")) {
            return new StoreException("the server of " + where + " refused the login (" + said + "): give the role's password as the URL's"
                    + " password parameter, in PGPASSWORD or in ~/.pgpass", e);
        }
        if (said.contains("no password was provided") || said.contains("password-based authentication")) {
            return new StoreException("the server of " + where + " asks for a password and none was given: put it in ~/.pgpass"
                    + " (HOST:PORT:DATABASE:USER:PASSWORD, mode 600), in PGPASSWORD, or in the URL's password parameter", e);
        }
        if (state.equals("3D000")) {
            return new StoreException("the server of " + where + " has no database " + connections.database() + ": create it first (CREATE"
                    + " DATABASE, see the README's Team store) or give another --db", e);
        }
        if (state.startsWith("08")) {
            return new StoreException("the server of " + where + " cannot be reached (" + said + "): check the host and port, and that"
                    + " PostgreSQL is running there and accepts connections", e);
        }
        return new StoreException("the store " + where + " cannot be opened: " + said, e);
    }

    /** The schema's version, 0 for a schema whose history has no migration yet, or -1 when the database holds no store. */
    static int schemaVersion(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass('" + PostgresConnections.SCHEMA + ".flyway_schema_history') IS NOT NULL");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return -1;
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT max(version::integer) FROM " + PostgresConnections.SCHEMA
                + ".flyway_schema_history WHERE success AND version IS NOT NULL");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void migrate(PostgresConnections connections, int from) {
        try {
            Flyway.configure(PostgresOpening.class.getClassLoader())
                    .dataSource(new Source(connections))
                    .locations("classpath:db/postgresql")
                    .schemas(PostgresConnections.SCHEMA)
                    .defaultSchema(PostgresConnections.SCHEMA)
                    .createSchemas(true)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            String said = String.valueOf(e.getMessage());
            String why = said.contains("permission denied to create role") ? "the roles backprop_app and backprop_reader do not exist and this"
                    + " role may not create them: have the server's administrator run CREATE ROLE backprop_app NOLOGIN; CREATE ROLE"
                    + " backprop_reader NOLOGIN; (see the README's Team store)"
                    : said.contains("permission denied") || said.contains("must be owner") ? (from < 0
                    ? "this role may not create the store's schema in the database: create the store as the database's owner"
                    : "only the schema's owner may bring the store from schema " + from + " to " + CURRENT_VERSION
                            + ": run any backprop command once as the role that created the store")
                    : firstLine(said);
            throw new StoreException("the store " + connections.describe() + " could not be " + (from < 0 ? "created" : "migrated") + ": " + why, e);
        }
    }

    private static String firstLine(String s) {
        for (String line : s.split("\n")) {
            if (line.contains("ERROR:")) {
                return line.substring(line.indexOf("ERROR:") + 6).strip();
            }
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // Only letting go of a connection nobody will use.
        }
    }

    /** The store's connections, as Flyway asks for them. */
    private record Source(PostgresConnections connections) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return connections.open();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("the store's connections use the store's own credentials");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
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
