package org.backprop.store.sql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.tools.SimpleResultSet;
import org.h2.value.Value;

/**
 * The table functions that schema 1 defined its views with. Schema 5 replaced them with {@link ViewTableEngine}
 * tables, which read only the runs and epochs a query selects; these remain because migrating a new store runs
 * schema 1 first, and they give the same rows as the tables, every run and epoch.
 */
public final class ViewFunctions {
    private ViewFunctions() {
    }

    public static ResultSet forwardValues(Connection c) throws SQLException {
        return rows(c, ViewKind.FORWARD_VALUES);
    }

    public static ResultSet losses(Connection c) throws SQLException {
        return rows(c, ViewKind.LOSSES);
    }

    public static ResultSet epochLosses(Connection c) throws SQLException {
        return rows(c, ViewKind.EPOCH_LOSSES);
    }

    public static ResultSet gradients(Connection c) throws SQLException {
        return rows(c, ViewKind.GRADIENTS);
    }

    public static ResultSet weightUpdates(Connection c) throws SQLException {
        return rows(c, ViewKind.WEIGHT_UPDATES);
    }

    public static ResultSet epochSheet(Connection c) throws SQLException {
        return rows(c, ViewKind.EPOCH_SHEET);
    }

    private static ResultSet rows(Connection c, ViewKind kind) throws SQLException {
        // H2 first calls a table function with a placeholder connection, only to learn its columns.
        boolean columnsOnly = c.getMetaData().getURL().startsWith("jdbc:columnlist:");
        ViewCursor rows = columnsOnly ? null
                : new ViewCursor(kind, RunLayout::of, (SessionLocal) c.unwrap(JdbcConnection.class).getSession(), null, null, false);
        SimpleResultSet rs = new SimpleResultSet(new org.h2.tools.SimpleRowSource() {
            @Override
            public Object[] readRow() {
                if (rows == null || !rows.next()) {
                    return null;
                }
                Object[] row = new Object[kind.columns];
                for (int i = 0; i < row.length; i++) {
                    row[i] = toObject(rows.get().getValue(i));
                }
                return row;
            }

            @Override
            public void close() {
            }

            @Override
            public void reset() {
                throw new UnsupportedOperationException("the rows of a view are read once");
            }
        });
        for (String definition : kind.columnDefinitions) {
            String[] nameAndType = definition.split(" ");
            switch (nameAndType[1]) {
                case "BIGINT" -> rs.addColumn(nameAndType[0], Types.BIGINT, 19, 0);
                case "INTEGER" -> rs.addColumn(nameAndType[0], Types.INTEGER, 10, 0);
                case "VARCHAR" -> rs.addColumn(nameAndType[0], Types.VARCHAR, 20, 0);
                default -> rs.addColumn(nameAndType[0], Types.DOUBLE, 17, 0);
            }
        }
        return rs;
    }

    private static Object toObject(Value v) {
        return switch (v.getValueType()) {
            case Value.NULL -> null;
            case Value.BIGINT -> v.getLong();
            case Value.INTEGER -> v.getInt();
            case Value.DOUBLE -> v.getDouble();
            default -> v.getString();
        };
    }
}
