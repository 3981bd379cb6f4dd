package org.backprop.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.backprop.store.StoreLocation;

/**
 * Makes connections to a team store's database the PostgreSQL way: the user and password of the URL's parameters,
 * else {@code PGUSER} and {@code PGPASSWORD}, else PgJDBC's own look-up in {@code ~/.pgpass} ({@code PGPASSFILE}).
 * Nothing here keeps or prints a password: the store is named by {@link StoreLocation#describe()}, which masks it.
 * Every connection names this process to the server (its application name) and has the server probe it with TCP
 * keepalives, so that a writer on a host that vanished loses its lease within about a minute.
 */
final class PostgresConnections {
    /** The schema of the database that holds the store. */
    static final String SCHEMA = "backprop";
    private static final Pattern PARAMETER = Pattern.compile("[?&]([^=&]+)=([^&]*)");

    private final String url;
    private final String described;
    private final String database;
    private final Properties properties = new Properties();

    PostgresConnections(StoreLocation location) {
        this.url = location.url();
        this.described = location.describe();
        boolean user = false;
        boolean password = false;
        Matcher m = PARAMETER.matcher(url);
        while (m.find()) {
            user |= m.group(1).equalsIgnoreCase("user");
            password |= m.group(1).equalsIgnoreCase("password");
        }
        String envUser = System.getenv("PGUSER");
        if (!user && envUser != null && !envUser.isBlank()) {
            properties.setProperty("user", envUser);
        }
        String envPassword = System.getenv("PGPASSWORD");
        if (!password && envPassword != null && !envPassword.isEmpty()) {
            properties.setProperty("password", envPassword);
        }
        properties.setProperty("ApplicationName", "backprop " + process());
        properties.setProperty("currentSchema", SCHEMA);
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", "20");
        // The server probes a connection that has been quiet for 20 s every 10 s, and drops it after 3 unanswered
        // probes: a writer whose host vanished holds its lease for about 50 s, not for the system's 2 hours.
        properties.setProperty("options", "-c tcp_keepalives_idle=20 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3");
        this.database = databaseName(url);
    }

    /** A new connection, in autocommit mode. */
    Connection open() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    /** The store as messages name it: its URL with any password masked. */
    String describe() {
        return described;
    }

    /** The database the URL names, for messages. */
    String database() {
        return database;
    }

    private static String databaseName(String url) {
        String rest = url.substring(StoreLocation.POSTGRES_PREFIX.length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        int slash = rest.lastIndexOf('/');
        return slash >= 0 && slash < rest.length() - 1 ? rest.substring(slash + 1) : "(the user's own)";
    }

    /** This process as a person would look for it: pid@host. */
    static String process() {
        // PostgreSQL keeps 63 bytes of an application name, of which "backprop " takes 9.
        return org.backprop.store.ThisProcess.name(54);
    }
}
