package org.backprop.store.sql;

import java.util.ArrayList;
import java.util.List;
import org.h2.api.ErrorCode;
import org.h2.command.ddl.CreateTableData;
import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.index.Index;
import org.h2.index.IndexType;
import org.h2.message.DbException;
import org.h2.result.Row;
import org.h2.result.SearchRow;
import org.h2.result.SortOrder;
import org.h2.table.IndexColumn;
import org.h2.table.TableBase;
import org.h2.table.TableFilter;
import org.h2.table.TableType;

/**
 * A read-only table whose rows are derived from the event tables whenever it is read (the public views and
 * {@code runs}). It tells H2's planner which indexes it has and what each costs, and H2's result cache when its
 * rows may have changed ({@link DataVersion}).
 */
abstract class DerivedTable extends TableBase {
    private final DataVersion version;
    private ArrayList<Index> indexes;

    DerivedTable(CreateTableData data, String... sources) {
        super(data);
        this.version = new DataVersion(database, sources);
    }

    /** Sets the indexes, the scan first (H2 takes the first index of a table for its scan). */
    final void setIndexes(List<DerivedIndex> all) {
        if (all.isEmpty() || all.get(0).use() != DerivedIndex.Use.SCAN) {
            throw new IllegalArgumentException("the first index must be the scan");
        }
        indexes = new ArrayList<>(all);
    }

    final DerivedIndex index(String name, DerivedIndex.Use use, int... columns) {
        org.h2.table.Column[] c = new org.h2.table.Column[columns.length];
        for (int i = 0; i < columns.length; i++) {
            c[i] = getColumn(columns[i]);
        }
        return new DerivedIndex(this, name, IndexColumn.wrap(c), use);
    }

    final DataVersion version() {
        return version;
    }

    /** The rows between the bounds, each bound a row of values or null (unbounded), in the index's order or reversed. */
    abstract Cursor find(SessionLocal session, DerivedIndex index, SearchRow lower, SearchRow upper, boolean reverse);

    /**
     * What reading with {@code index} costs, in rows read (a lookup counts as several): {@code masks} says which
     * columns have which conditions ({@link org.h2.index.IndexCondition}), null when none may be used.
     */
    abstract double cost(SessionLocal session, DerivedIndex index, int[] masks, SortOrder sortOrder, TableFilter filter);

    final DbException readOnly() {
        return DbException.get(ErrorCode.FEATURE_NOT_SUPPORTED_1,
                getName() + " is derived from the recorded events and cannot be written");
    }

    @Override
    public final void fire(SessionLocal session, int type, boolean beforeAction) {
        // H2 fires SELECT before it decides whether a cached result of a query on this table may be reused.
        version().executing(session);
        super.fire(session, type, beforeAction);
    }

    @Override
    public final boolean lock(SessionLocal session, int lockType) {
        version().executing(session);
        return false;
    }

    @Override public final long getMaxDataModificationId() { return version.current(); }
    @Override public final boolean isDeterministic() { return true; }
    @Override public void close(SessionLocal session) { }
    @Override public final Index addIndex(SessionLocal s, String n, int id, IndexColumn[] c, int u, IndexType t, boolean create, String comment) {
        throw readOnly();
    }
    @Override public final void removeRow(SessionLocal session, Row row) { throw readOnly(); }
    @Override public final long truncate(SessionLocal session) { throw readOnly(); }
    @Override public final void addRow(SessionLocal session, Row row) { throw readOnly(); }
    @Override public final void checkSupportAlter() { throw readOnly(); }
    @Override public final TableType getTableType() { return TableType.EXTERNAL_TABLE_ENGINE; }
    @Override public final Index getScanIndex(SessionLocal session) { return indexes.get(0); }
    @Override public final ArrayList<Index> getIndexes() { return indexes; }
    @Override public final boolean canGetRowCount(SessionLocal session) { return false; }
    @Override public final boolean canDrop() { return true; }

    @Override
    public final long getRowCount(SessionLocal session) {
        Cursor c = find(session, (DerivedIndex) indexes.get(0), null, null, false);
        long n = 0;
        while (c.next()) {
            n++;
        }
        return n;
    }
}
