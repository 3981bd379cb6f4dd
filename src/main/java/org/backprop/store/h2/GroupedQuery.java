package org.backprop.store.h2;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.backprop.store.sql.QueryShape;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * Whether a query's rows are an aggregate's or a GROUP BY's: H2 computes those whole before handing out the first
 * anyway, lazily or not, and only a query that is not lazy reuses its subqueries' results (H2's Query.query), so
 * {@code WHERE run_id = (SELECT run_id FROM runs WHERE name = 'x')} under an aggregate would run again for every row.
 */
final class GroupedQuery {
    /** A parenthesis opening a query: a subquery, or a false alarm in a string literal (which costs one question). */
    private static final Pattern SUBQUERY = Pattern.compile("\\(\\s*(SELECT|WITH|VALUES|TABLE)\\b", Pattern.CASE_INSENSITIVE);

    private GroupedQuery() {
    }

    /**
     * True when the query's outermost SELECT groups its rows. Over a connection to the process serving the store the
     * server is asked ({@code bp_groups_rows}, schema 12), and only for a query with a subquery: without one, lazy or
     * not computes an aggregate the same way.
     */
    static boolean is(Connection c, String sql) throws SQLException {
        if (c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local) {
            return QueryShape.groups(local, sql);
        }
        if (!SUBQUERY.matcher(sql).find()) {
            return false;
        }
        try (PreparedStatement s = c.prepareStatement("SELECT bp_groups_rows(?)")) {
            s.setString(1, sql);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            // No answer (the serving process went away, which the query itself then meets and is run again for): lazily.
            return false;
        }
    }
}
