package org.backprop.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backprop.events.EventStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a fresh PostgreSQL database on the server {@code BACKPROP_TEST_POSTGRES} names (a JDBC URL of a role
 * that may create databases and roles; scripts/test starts a private cluster and sets it), dropped afterwards. The
 * store in it is recorded as {@code backprop_tester}, which owns the database and so migrates it, as a team's store
 * would be; {@link #appUrl()} logs in as a role that is only a member of backprop_app and backprop_reader. Tests are
 * skipped where no server is named: {@code @RegisterExtension final TempPostgres postgres = new TempPostgres();}
 */
public final class TempPostgres implements BeforeEachCallback, AfterEachCallback {
    public static final String VARIABLE = "BACKPROP_TEST_POSTGRES";
    static final String OWNER = "backprop_tester";
    static final String APP = "backprop_tester_app";
    /** A role the private cluster of scripts/test makes log in with its password over TCP (pg_hba.conf). */
    public static final String PASSWORD_ROLE = "backprop_tester_password";
    private static final Pattern URL = Pattern.compile("jdbc:postgresql://([^/?]+)/([^?]*)(?:\\?(.*))?");
    /** The test roles' password, new for every test JVM (the private cluster trusts them anyway; another server may not). */
    private static final String PASSWORD = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private static boolean rolesReady;

    private String database;

    /** The administrator's URL, when the tests have a server. */
    public static Optional<String> adminUrl() {
        String url = System.getenv(VARIABLE);
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(url.strip());
    }

    public static boolean available() {
        return adminUrl().isPresent();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        Assumptions.assumeTrue(available(), VARIABLE + " is not set: the PostgreSQL tests need a server (scripts/test starts one)");
        ensureRoles();
        database = "bp_test_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database + " OWNER " + OWNER);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        if (database != null) {
            try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            database = null;
        }
    }

    /** The test's store, as --db names it: as the database's owner. */
    public String url() {
        return url(OWNER, true);
    }

    /** The same store as a role that may only record and read (a member of backprop_app and backprop_reader). */
    public String appUrl() {
        return url(APP, true);
    }

    /** The store's URL as another role, with the test roles' password or none. */
    public String url(String role, boolean withPassword) {
        Matcher m = parsed();
        return "jdbc:postgresql://" + m.group(1) + "/" + database + "?user=" + role + (withPassword ? "&password=" + PASSWORD : "");
    }

    /** The password the test roles have. */
    public static String password() {
        return PASSWORD;
    }

    public StoreLocation location() {
        return StoreLocation.of(url());
    }

    /** Opens the test's store, creating it the first time. */
    public EventStore open() {
        return Stores.open(location(), StoreAccess.CREATE);
    }

    /** A connection of the administrator (a superuser, or a role that may create databases) to the test's database. */
    public Connection admin() throws SQLException {
        return admin(database);
    }

    /** A connection to the test's database as {@code role}, with the test roles' password. */
    public Connection connect(String role) throws SQLException {
        return DriverManager.getConnection(url(role, true));
    }

    public String database() {
        return database;
    }

    private static Connection admin(String db) throws SQLException {
        Matcher m = parsed();
        return DriverManager.getConnection("jdbc:postgresql://" + m.group(1) + "/" + db + (m.group(3) == null ? "" : "?" + m.group(3)));
    }

    private static Matcher parsed() {
        Matcher m = URL.matcher(adminUrl().orElseThrow());
        if (!m.matches()) {
            throw new IllegalStateException(VARIABLE + " is not a jdbc:postgresql://HOST:PORT/DATABASE URL");
        }
        return m;
    }

    /** The group roles a store's migration would make, and the test roles, made once per test JVM. */
    private static synchronized void ensureRoles() throws SQLException {
        if (rolesReady) {
            return;
        }
        try (Connection c = admin("postgres"); Statement s = c.createStatement()) {
            for (String role : new String[] {"backprop_app", "backprop_reader"}) {
                create(s, "CREATE ROLE " + role + " NOLOGIN");
            }
            for (String role : new String[] {OWNER, APP, PASSWORD_ROLE}) {
                create(s, "CREATE ROLE " + role + " LOGIN");
                s.execute("ALTER ROLE " + role + " PASSWORD '" + PASSWORD + "'");
                s.execute("GRANT backprop_app, backprop_reader TO " + role);
            }
            s.execute("ALTER ROLE " + OWNER + " CREATEDB");
        }
        rolesReady = true;
    }

    private static void create(Statement s, String sql) throws SQLException {
        try {
            s.execute(sql);
        } catch (SQLException e) {
            // 42710: it exists already (from an earlier run, or another test JVM on the same server).
            if (!"42710".equals(e.getSQLState())) {
                throw e;
            }
        }
    }
}
