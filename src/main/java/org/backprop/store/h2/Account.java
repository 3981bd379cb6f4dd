package org.backprop.store.h2;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** One database user of a store and its password; never printed with the password. */
record Account(String user, String password) {

    Connection connect(String url) throws SQLException {
        H2Process.ensure();
        return DriverManager.getConnection(url, user, password);
    }

    @Override
    public String toString() {
        return user;
    }
}
