package org.backprop.store.sql;

import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.index.Index;
import org.h2.message.DbException;
import org.h2.result.Row;
import org.h2.result.SearchRow;
import org.h2.table.IndexColumn;
import org.h2.table.Table;
import org.h2.value.Value;
import org.h2.value.ValueBigint;

/**
 * The event tables as the view tables read them: through H2's own indexes, inside the database and within the
 * querying session, so that reading a stored row is an index lookup rather than a nested SQL statement.
 */
final class EventTables {
    static final String RUN_STARTED = "RUN_STARTED";
    static final String RUN_ENDED = "RUN_ENDED";
    static final String RUN_WRITERS = "RUN_WRITERS";
    static final String EPOCH_BLOCKS = "EPOCH_BLOCKS";
    static final String EPOCH_PARTS = "EPOCH_PARTS";
    static final String PLANNED_RUNS = "PLANNED_RUNS";

    private EventTables() {
    }

    /** The table, which a store always has (the migrations made it). */
    static Table table(SessionLocal session, String name) {
        Table t = session.getDatabase().getMainSchema().findTableOrView(session, name);
        if (t == null) {
            throw DbException.getInternalError("the store has no table " + name);
        }
        return t;
    }

    /** The index whose columns are exactly these, in this order (the primary keys and unique indexes of the migrations). */
    static Index index(Table table, String... columns) {
        for (Index index : table.getIndexes()) {
            IndexColumn[] c = index.getIndexColumns();
            if (index.getIndexType().isScan() || c == null || c.length != columns.length) {
                continue;
            }
            boolean same = true;
            for (int i = 0; i < columns.length && same; i++) {
                same = c[i].column.getName().equals(columns[i]);
            }
            if (same) {
                return index;
            }
        }
        throw DbException.getInternalError("table " + table.getName() + " has no index on " + String.join(", ", columns));
    }

    static int column(Table table, String name) {
        return table.getColumn(name).getColumnId();
    }

    /** A search row of the table with the given values in the given columns, the others unbounded. */
    static SearchRow searchRow(Table table, int[] columns, Value... values) {
        SearchRow row = table.getTemplateRow();
        for (int i = 0; i < columns.length; i++) {
            row.setValue(columns[i], values[i]);
        }
        return row;
    }

    /** The one row of a table keyed by run_id, or null. */
    static Row rowOfRun(SessionLocal session, Table table, long runId) {
        Index byRun = index(table, "RUN_ID");
        SearchRow key = searchRow(table, new int[] {column(table, "RUN_ID")}, ValueBigint.get(runId));
        Cursor c = byRun.find(session, key, key, false);
        return c.next() ? c.get() : null;
    }
}
