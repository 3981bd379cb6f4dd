package org.backprop.store.h2;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.backprop.store.StoreLocation;

/**
 * Connections to a test's store as its owner, application or reader, with the credentials read the way the README
 * tells a person to: from {@code PATH.credentials} beside the store, a properties file of {@code ROLE.user} and
 * {@code ROLE.password} lines.
 */
public final class StoreAccounts {
    private StoreAccounts() {
    }

    /** The user and password of {@code role} (owner, app or reader) in the store's credentials file. */
    public static String[] credentials(Path store, String role) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(store + ".credentials"), StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String[] {p.getProperty(role + ".user"), p.getProperty(role + ".password")};
    }

    public static Connection owner(Path store) throws SQLException {
        return connect(store, "owner", "");
    }

    public static Connection app(Path store) throws SQLException {
        return connect(store, "app", "");
    }

    public static Connection reader(Path store) throws SQLException {
        return connect(store, "reader", "");
    }

    /** A connection as {@code role} to the store, with {@code options} (such as {@code ;IFEXISTS=TRUE}) added to its URL. */
    public static Connection connect(Path store, String role, String options) throws SQLException {
        H2Process.ensure();
        String[] account = credentials(store, role);
        if (options.isEmpty()) {
            // As the program connects: through the process serving the store, or taking its turn at the file (a reader
            // reads it read-only), never opening it beside another holder with H2's own protocol.
            return StoreHost.connect(StoreLocation.of(store.toString()), new Account(account[0], account[1]), !role.equals("reader"));
        }
        return DriverManager.getConnection(StoreLocation.of(store.toString()).url() + options, account[0], account[1]);
    }
}
