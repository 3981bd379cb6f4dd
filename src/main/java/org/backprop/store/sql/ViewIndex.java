package org.backprop.store.sql;

import java.sql.SQLException;
import org.h2.command.query.AllColumnsForPlan;
import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.index.Index;
import org.h2.index.IndexCondition;
import org.h2.index.IndexType;
import org.h2.message.DbException;
import org.h2.result.Row;
import org.h2.result.SearchRow;
import org.h2.result.SortOrder;
import org.h2.table.IndexColumn;
import org.h2.table.TableFilter;
import org.h2.value.Value;

/** The one index of a view table, on (run_id, epoch): bounds on either column narrow what is read. */
final class ViewIndex extends Index {
    static final long UNKNOWN_ROWS = 1_000_000_000L;

    private final ViewTable table;

    ViewIndex(ViewTable table, IndexColumn[] columns) {
        super(table, 0, table.getName() + "_BY_RUN_AND_EPOCH", columns, 0, IndexType.createNonUnique(false));
        this.table = table;
    }

    @Override
    public Cursor find(SessionLocal session, SearchRow first, SearchRow last, boolean reverse) {
        long runFrom = Math.max(1, bound(first, 0, Long.MIN_VALUE));
        long runTo = bound(last, 0, Long.MAX_VALUE);
        int epochFrom = (int) Math.max(0, Math.min(Integer.MAX_VALUE, bound(first, 1, 0)));
        int epochTo = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, bound(last, 1, Integer.MAX_VALUE)));
        try {
            return new ViewCursor(new ViewRows(session.createConnection(false), table.kind(), runFrom, runTo, epochFrom, epochTo));
        } catch (SQLException e) {
            throw DbException.convert(e);
        }
    }

    private static long bound(SearchRow row, int column, long otherwise) {
        if (row == null) {
            return otherwise;
        }
        Value v = row.getValue(column);
        return v == null || v == org.h2.value.ValueNull.INSTANCE ? otherwise : v.getLong();
    }

    @Override
    public double getCost(SessionLocal session, int[] masks, TableFilter[] filters, int filter, SortOrder sortOrder,
                          AllColumnsForPlan allColumnsSet) {
        double rows = UNKNOWN_ROWS;
        if (masks != null) {
            if ((masks[0] & IndexCondition.EQUALITY) != 0) {
                rows /= 1_000;
            } else if ((masks[0] & IndexCondition.RANGE) != 0) {
                rows /= 10;
            }
            if ((masks[1] & IndexCondition.EQUALITY) != 0) {
                rows /= 100_000;
            } else if ((masks[1] & IndexCondition.RANGE) != 0) {
                rows /= 100;
            }
        }
        return 10 + rows;
    }

    @Override public void close(SessionLocal session) { }
    @Override public void add(SessionLocal session, Row row) { throw DbException.getUnsupportedException("writing " + table.getName()); }
    @Override public void remove(SessionLocal session, Row row) { throw DbException.getUnsupportedException("writing " + table.getName()); }
    @Override public void remove(SessionLocal session) { }
    @Override public void truncate(SessionLocal session) { throw DbException.getUnsupportedException("writing " + table.getName()); }
    @Override public boolean needRebuild() { return false; }
    @Override public long getRowCountApproximation(SessionLocal session) { return UNKNOWN_ROWS; }

    @Override
    public long getRowCount(SessionLocal session) {
        Cursor c = find(session, null, null, false);
        long n = 0;
        while (c.next()) {
            n++;
        }
        return n;
    }

    /** Hands H2 one derived row at a time. */
    private static final class ViewCursor implements Cursor {
        private final ViewRows rows;
        private Row current;

        ViewCursor(ViewRows rows) {
            this.rows = rows;
        }

        @Override
        public Row get() {
            return current;
        }

        @Override
        public SearchRow getSearchRow() {
            return current;
        }

        @Override
        public boolean next() {
            try {
                Value[] values = rows.next();
                current = values == null ? null : Row.get(values, SearchRow.MEMORY_CALCULATE);
                return current != null;
            } catch (SQLException e) {
                throw DbException.convert(e);
            }
        }

        @Override
        public boolean previous() {
            throw DbException.getUnsupportedException("reverse scan of a view table");
        }
    }
}
