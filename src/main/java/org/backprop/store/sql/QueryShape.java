package org.backprop.store.sql;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import org.h2.command.Prepared;
import org.h2.command.query.Select;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.message.DbException;

/**
 * Whether a query's outermost SELECT aggregates or groups its rows, as H2 prepares it: in the session that asks, or,
 * as the SQL function {@code bp_groups_rows(sql)} (schema 12), in the session of a console connected over the network
 * to the process serving the store, which alone can prepare it there. Preparing does not run the query (H2 only
 * evaluates what it folds at that point, such as a table function's columns), and checks the caller's rights as
 * running it would.
 */
public final class QueryShape {
    private static final VarHandle IS_GROUP_QUERY = groupQueryField();

    private QueryShape() {
    }

    private static VarHandle groupQueryField() {
        try {
            // H2 is on the class path, in the unnamed module, so its package-private field may be looked up.
            return MethodHandles.privateLookupIn(Select.class, MethodHandles.lookup()).findVarHandle(Select.class, "isGroupQuery", boolean.class);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** The function {@code bp_groups_rows(sql)}: H2 hands it the calling session's connection. */
    public static boolean groupsRows(Connection c, String sql) throws SQLException {
        return sql != null && c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session && groups(session, sql);
    }

    /** Whether the query, prepared in this session, groups its rows at its outermost SELECT (false if it does not prepare). */
    public static boolean groups(SessionLocal session, String sql) {
        if (IS_GROUP_QUERY == null) {
            return false;
        }
        try {
            Prepared p = session.prepare(sql);
            return p instanceof Select select && (boolean) IS_GROUP_QUERY.get(select);
        } catch (DbException e) {
            // The query itself will say what is wrong with it.
            return false;
        }
    }
}
