package org.backprop.store.h2;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.backprop.events.InvalidQueryException;
import org.backprop.events.QueryResult;
import org.backprop.store.StoreLocation;

/**
 * The {@code sql} console: one query on a connection of the read-only user, so nothing it says can change the store;
 * statements other than queries are refused before they reach the database.
 */
final class ReadOnlyQuery {
    private ReadOnlyQuery() {
    }

    static QueryResult run(StoreLocation location, Account reader, String sql) {
        String trimmed = sql.strip();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        if (trimmed.isEmpty()) {
            throw new InvalidQueryException("the query is empty: give one SELECT statement, such as \"SELECT * FROM runs\"");
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return readOnly(location, reader, trimmed);
            } catch (SQLException e) {
                // A query is safe to run again when the process serving the store closed it under this one.
                if (!H2Errors.isConnectionLost(e) || attempt == 40) {
                    throw new InvalidQueryException(describeQueryError(e));
                }
                H2Errors.pause(e);
            }
        }
    }

    private static QueryResult readOnly(StoreLocation location, Account reader, String trimmed) throws SQLException {
        try (Connection c = reader.connect(location.url())) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (!s.execute(trimmed)) {
                    c.rollback();
                    throw new InvalidQueryException("only queries are allowed, and this statement changes the store: give a SELECT");
                }
                try (ResultSet rs = s.getResultSet()) {
                    ResultSetMetaData md = rs.getMetaData();
                    refuseJavaObjects(md);
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        columns.add(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
                    }
                    List<List<Object>> rows = new ArrayList<>();
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>(columns.size());
                        for (int i = 1; i <= columns.size(); i++) {
                            row.add(rs.getObject(i));
                        }
                        rows.add(Collections.unmodifiableList(row));
                    }
                    return new QueryResult(columns, rows);
                }
            } finally {
                c.rollback();
            }
        }
    }

    /**
     * Refuses a result with Java objects in it (JAVA_OBJECT, or an array or row of them) before a value is read: reading
     * one would rebuild whatever classes its bytes name. (H2 is set never to deserialize them either.)
     */
    private static void refuseJavaObjects(ResultSetMetaData md) throws SQLException {
        for (int i = 1; i <= md.getColumnCount(); i++) {
            if (md.getColumnTypeName(i).toUpperCase(Locale.ROOT).contains("JAVA_OBJECT")) {
                throw new InvalidQueryException("the query returns serialized Java objects (column " + md.getColumnLabel(i).toLowerCase(Locale.ROOT)
                        + " is " + md.getColumnTypeName(i) + "), which backprop never deserializes: select their bytes instead,"
                        + " with CAST(... AS VARBINARY)");
            }
        }
    }

    private static String describeQueryError(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = H2Errors.firstLine(e.getMessage());
        if (message.contains(RefusedJavaObjects.REFUSAL)) {
            return "the query turns bytes into Java objects, which backprop never does (" + RefusedJavaObjects.REFUSAL
                    + "): select the bytes instead, with CAST(... AS VARBINARY)";
        }
        if (state.equals("90040") || message.startsWith("Admin rights are required")) {
            return "the query asks for what no account of a store may do (files, other databases, Java code, settings, users): "
                    + "the sql command reads the store's tables and views only (" + message + ")";
        }
        if (state.equals("90096") || message.startsWith("Not enough rights")) {
            return "the query tries to change the store, and the sql command only reads: give a SELECT (" + message + ")";
        }
        return "the query is not valid SQL for this store: " + message;
    }
}
