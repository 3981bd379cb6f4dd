package org.backprop.store.h2;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The store's database users as they must be: each with the password of the store's credentials file, and none an
 * admin. The owner keeps the rights of the schema's owner (reading, and changing with SQL what the triggers let it),
 * but not H2's admin rights (Java code, files, other databases, settings, users), which no password gives.
 */
final class StoreUsers {
    private StoreUsers() {
    }

    /** True when some user of the store is still an admin (a store made before stores had credentials of their own). */
    static boolean anyAdmin(Connection admin) throws SQLException {
        return !admins(admin).isEmpty();
    }

    /** Gives the three users the credentials' passwords, the owner its schema rights, and takes every admin's rights away. */
    static void secure(Connection admin, StoreCredentials credentials) throws SQLException {
        for (Account a : List.of(credentials.owner(), credentials.app(), credentials.reader())) {
            try (PreparedStatement s = admin.prepareStatement("ALTER USER " + quoted(a.user()) + " SET PASSWORD ?")) {
                s.setString(1, a.password());
                s.execute();
            }
        }
        try (Statement s = admin.createStatement()) {
            s.execute("GRANT ALTER ANY SCHEMA TO " + quoted(credentials.owner().user()));
            for (String user : admins(admin)) {
                s.execute("ALTER USER " + quoted(user) + " ADMIN FALSE");
            }
        }
    }

    private static List<String> admins(Connection admin) throws SQLException {
        List<String> users = new ArrayList<>();
        try (Statement s = admin.createStatement();
             ResultSet rs = s.executeQuery("SELECT USER_NAME FROM INFORMATION_SCHEMA.USERS WHERE IS_ADMIN")) {
            while (rs.next()) {
                users.add(rs.getString(1));
            }
        }
        return users;
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
