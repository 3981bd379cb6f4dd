package org.backprop.store.h2;

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
 * Whether a query's rows are an aggregate's or a GROUP BY's: H2 computes those whole before handing out the first
 * anyway, lazily or not, and only a query that is not lazy reuses its subqueries' results (H2's Query.query), so
 * {@code WHERE run_id = (SELECT run_id FROM runs WHERE name = 'x')} under an aggregate would run again for every row.
 */
final class GroupedQuery {
    private static final VarHandle IS_GROUP_QUERY = groupQueryField();

    private GroupedQuery() {
    }

    private static VarHandle groupQueryField() {
        try {
            // H2 is on the class path, in the unnamed module, so its package-private field may be looked up.
            return MethodHandles.privateLookupIn(Select.class, MethodHandles.lookup()).findVarHandle(Select.class, "isGroupQuery", boolean.class);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** True when the connection is to a database in this process and the query's outermost SELECT groups its rows. */
    static boolean is(Connection c, String sql) throws SQLException {
        if (IS_GROUP_QUERY == null || !(c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local)) {
            return false;
        }
        try {
            Prepared p = local.prepare(sql);
            return p instanceof Select select && (boolean) IS_GROUP_QUERY.get(select);
        } catch (DbException e) {
            // The query itself will say what is wrong with it.
            return false;
        }
    }
}
