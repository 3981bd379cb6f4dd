package org.backprop.store.postgres;

import java.sql.Connection;
import java.util.Deque;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.backprop.events.InvalidQueryException;
import org.backprop.events.QueryCancelledException;
import org.backprop.events.QueryRows;
import org.backprop.events.SqlQuery;
import org.backprop.store.SqlText;

/**
 * The {@code sql} console of a team store: one query in a read-only transaction under the reader role
 * ({@code backprop_reader}, SELECT only), with the server's statement timeout set to the query's; its rows are
 * fetched a thousand at a time and handed on as they come, and cancelling it stops it where it runs.
 */
final class PostgresQuery {
    /** PostgreSQL's state for a statement cancelled or timed out. */
    private static final String CANCELLED = "57014";
    private static final String READER = "backprop_reader";

    private PostgresQuery() {
    }

    /**
     * Runs the query on a connection of {@code idle} (or a new one), which goes back there when the query ran to its
     * end: its settings were all the transaction's own, and the rollback ends them.
     */
    static void run(PostgresConnections connections, Deque<Connection> idle, SqlQuery query, QueryRows rows) {
        String sql = SqlText.oneQuery(query.sql());
        Connection pooled = idle.pollFirst();
        // A connection the server dropped meanwhile (it restarted, say) is not used again.
        while (pooled != null && !isValid(pooled)) {
            PostgresOpening.closeQuietly(pooled);
            pooled = idle.pollFirst();
        }
        Connection c = pooled != null ? pooled : PostgresOpening.connect(connections);
        boolean reusable = false;
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION READ ONLY");
                s.execute("SET LOCAL ROLE " + READER);
                s.execute("SET LOCAL statement_timeout = " + Math.max(1000, Math.min(Integer.MAX_VALUE, query.timeout().toMillis())));
            } catch (SQLException e) {
                if ("42501".equals(e.getSQLState())) {
                    throw new InvalidQueryException("the sql command reads a team store as the role " + READER + ", which this login role is"
                            + " not a member of: have the store's owner run GRANT " + READER + " TO <your role>");
                }
                throw e;
            }
            try (Statement s = c.createStatement()) {
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
                if (!s.execute(sql)) {
                    throw new InvalidQueryException("only queries are allowed, and this statement changes the store: give a SELECT");
                }
                try (ResultSet rs = s.getResultSet()) {
                    hand(rs, rows);
                }
                reusable = !query.cancelled();
            } finally {
                query.whenCancelled(() -> { });
            }
        } catch (SQLException e) {
            if (CANCELLED.equals(e.getSQLState())) {
                throw query.cancelled() ? new QueryCancelledException("the query was cancelled (Ctrl-C) where it ran; the store is as it was", e)
                        : new InvalidQueryException("the query ran longer than its " + query.timeout().toSeconds() + " s: narrow it (a run_id or"
                        + " epoch condition), or give a longer --timeout");
            }
            if (PostgresErrors.isConnectionLost(e) || PostgresErrors.faultOf(e, connections.describe(), "") != null) {
                throw PostgresErrors.unexpected(connections.describe(), "running the query", e);
            }
            throw new InvalidQueryException(describe(e));
        } finally {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // Nothing was written: the transaction was read-only.
                reusable = false;
            }
            if (reusable) {
                idle.offerFirst(c);
            } else {
                PostgresOpening.closeQuietly(c);
            }
        }
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void hand(ResultSet rs, QueryRows rows) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> columns = new ArrayList<>(n);
        String[] types = new String[n + 1];
        for (int i = 1; i <= n; i++) {
            columns.add(md.getColumnLabel(i).toLowerCase(Locale.ROOT));
            types[i] = md.getColumnTypeName(i);
        }
        rows.columns(Collections.unmodifiableList(columns));
        while (rs.next()) {
            List<Object> row = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                row.add(value(rs, i, types[i]));
            }
            rows.row(Collections.unmodifiableList(row));
        }
    }

    /** A value as an H2 store's console hands it over: times as java.time values, everything else as PgJDBC reads it. */
    private static Object value(ResultSet rs, int i, String type) throws SQLException {
        return switch (type) {
            case "timestamptz" -> rs.getObject(i, OffsetDateTime.class);
            case "timestamp" -> rs.getObject(i, LocalDateTime.class);
            case "date" -> rs.getObject(i, LocalDate.class);
            case "int2" -> {
                int v = rs.getInt(i);
                yield rs.wasNull() ? null : v;
            }
            default -> rs.getObject(i);
        };
    }

    private static String describe(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = PostgresErrors.firstLine(e);
        // 25006: a write (or any change) in a read-only transaction.
        if (state.equals("25006")) {
            return "the query tries to change the store, and the sql command only reads: give a SELECT (" + message + ")";
        }
        if (state.equals("42501")) {
            return "the query asks for what the sql command's role may not read: it reads the store's tables and views only (" + message + ")";
        }
        return "the query is not valid SQL for this store: " + message;
    }
}
