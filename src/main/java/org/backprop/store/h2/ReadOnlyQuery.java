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
import org.backprop.events.QueryCancelledException;
import org.backprop.events.QueryRows;
import org.backprop.events.SqlQuery;
import org.backprop.store.SqlText;
import org.backprop.store.StoreLocation;

/**
 * The {@code sql} console: one query on a connection of the read-only user, so nothing it says can change the store;
 * statements other than one query are refused before they reach the database. Rows are handed on as H2 produces them
 * (lazily, so a large result is never held whole, here or in a process serving the store), the query stops at its
 * timeout, and cancelling it stops it where it runs.
 */
final class ReadOnlyQuery {
    /** H2's state for a statement cancelled or timed out. */
    private static final String CANCELLED = "57014";

    private ReadOnlyQuery() {
    }

    static void run(StoreLocation location, Account reader, SqlQuery query, QueryRows rows) {
        String trimmed = SqlText.oneQuery(query.sql());
        for (int attempt = 0; ; attempt++) {
            boolean[] started = new boolean[1];
            try {
                readOnly(location, reader, trimmed, query, rows, started);
                return;
            } catch (SQLException e) {
                if (CANCELLED.equals(e.getSQLState())) {
                    throw query.cancelled() ? new QueryCancelledException("the query was cancelled (Ctrl-C) where it ran; the store is as it was", e)
                            : new InvalidQueryException("the query ran longer than its " + query.timeout().toSeconds() + " s: narrow it (a run_id or"
                            + " epoch condition), or give a longer --timeout");
                }
                // A query is safe to run again when the process serving the store closed it under this one, as long as
                // none of its rows were handed on yet.
                if (!H2Errors.isConnectionLost(e) || attempt == 40 || started[0]) {
                    throw new InvalidQueryException(describeQueryError(e));
                }
                H2Errors.pause(e);
            }
        }
    }

    private static void readOnly(StoreLocation location, Account reader, String trimmed, SqlQuery query, QueryRows rows, boolean[] started)
            throws SQLException {
        try (Connection c = StoreHost.connect(location, reader, false)) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // Rows are computed as they are fetched instead of all before the first (H2's default); an aggregate's
                // are computed whole either way, and without lazy execution H2 reuses its subqueries' results.
                s.execute("SET LAZY_QUERY_EXECUTION " + (GroupedQuery.is(c, trimmed) ? "FALSE" : "TRUE"));
                s.setQueryTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, query.timeout().toSeconds())));
                s.setFetchSize(1000);
                query.whenCancelled(() -> {
                    try {
                        s.cancel();
                    } catch (SQLException e) {
                        // The statement is done or closed: there is nothing left to cancel.
                    }
                });
                if (query.cancelled()) {
                    throw new QueryCancelledException("the query was cancelled (Ctrl-C) before it ran; the store is as it was", null);
                }
                if (!s.execute(trimmed)) {
                    c.rollback();
                    throw new InvalidQueryException("only queries are allowed, and this statement changes the store: give a SELECT");
                }
                try (ResultSet rs = s.getResultSet()) {
                    // The query's own rows stay lazy; its subqueries, run as its rows are fetched, need not be: H2 reuses
                    // a subquery's result only when they are not (Query.query), and else runs "run_id = (SELECT run_id
                    // FROM runs WHERE name = 'x')" again for every row of a view.
                    try (Statement eager = c.createStatement()) {
                        eager.execute("SET LAZY_QUERY_EXECUTION FALSE");
                    }
                    hand(rs, rows, started);
                }
            } finally {
                query.whenCancelled(() -> { });
                c.rollback();
            }
        }
    }

    private static void hand(ResultSet rs, QueryRows rows, boolean[] started) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        refuseJavaObjects(md);
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
        started[0] = true;
        rows.columns(Collections.unmodifiableList(columns));
        while (rs.next()) {
            List<Object> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                row.add(rs.getObject(i));
            }
            rows.row(Collections.unmodifiableList(row));
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
        // 90096: not enough rights (the reader's); 90097: the store was opened read-only for the query.
        if (state.equals("90096") || state.equals("90097") || message.startsWith("Not enough rights")) {
            return "the query tries to change the store, and the sql command only reads: give a SELECT (" + message + ")";
        }
        return "the query is not valid SQL for this store: " + message;
    }
}
