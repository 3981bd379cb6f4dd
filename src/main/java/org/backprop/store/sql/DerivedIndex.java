package org.backprop.store.sql;

import org.h2.command.query.AllColumnsForPlan;
import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.index.Index;
import org.h2.index.IndexType;
import org.h2.message.DbException;
import org.h2.result.Row;
import org.h2.result.SearchRow;
import org.h2.result.SortOrder;
import org.h2.table.IndexColumn;
import org.h2.table.TableFilter;

/**
 * An index of a derived table, as H2's planner sees it. A derived table has three kinds, which H2 treats
 * differently (see {@code Table.getBestPlanItem}, {@code TableFilter.prepare} and {@code Select.getIndexSorts}):
 * <ul>
 * <li>{@link Use#SCAN}, every row: H2 passes it no bounds and prices it with no conditions;</li>
 * <li>{@link Use#SORTED}, on the table's leading columns: bounds on them, rows in their order forwards or backwards,
 * so H2 may use it for ORDER BY and GROUP BY;</li>
 * <li>{@link Use#BOUNDS}, on more columns (an epoch's key columns): H2 keeps the conditions on all of them and
 * passes them as bounds, but the rows come in the sorted index's order only, so it is not offered for sorting
 * (an index without CREATE SQL, like H2's own primary-key scans).</li>
 * </ul>
 */
final class DerivedIndex extends Index {
    enum Use { SCAN, SORTED, BOUNDS }

    private final DerivedTable table;
    private final Use use;

    DerivedIndex(DerivedTable table, String name, IndexColumn[] columns, Use use) {
        super(table, 0, name, columns, 0, use == Use.SCAN ? IndexType.createScan(false) : IndexType.createNonUnique(false));
        this.table = table;
        this.use = use;
    }

    Use use() {
        return use;
    }

    @Override
    public Cursor find(SessionLocal session, SearchRow first, SearchRow last, boolean reverse) {
        table.version().executing(session);
        // H2 hands a reverse scan its upper bound first (IndexCursor swaps start and end, as MVStore's indexes expect).
        return use == Use.SCAN ? table.find(session, this, null, null, reverse)
                : reverse ? table.find(session, this, last, first, true) : table.find(session, this, first, last, false);
    }

    @Override
    public double getCost(SessionLocal session, int[] masks, TableFilter[] filters, int filter, SortOrder sortOrder,
                          AllColumnsForPlan allColumnsSet) {
        return table.cost(session, this, use == Use.SCAN ? null : masks, sortOrder, filters == null ? null : filters[filter]);
    }

    @Override
    public boolean isFindUsingFullTableScan() {
        return use == Use.SCAN;
    }

    @Override
    public String getCreateSQL() {
        return use == Use.SORTED ? super.getCreateSQL() : null;
    }

    @Override
    public String getPlanSQL() {
        return use == Use.SCAN ? table.getSQL(TRACE_SQL_FLAGS | ADD_PLAN_INFORMATION) + ".tableScan" : super.getPlanSQL();
    }

    @Override
    public long getRowCount(SessionLocal session) {
        return table.getRowCount(session);
    }

    @Override
    public long getRowCountApproximation(SessionLocal session) {
        return table.getRowCountApproximation(session);
    }

    @Override public void close(SessionLocal session) { }
    @Override public void add(SessionLocal session, Row row) { throw table.readOnly(); }
    @Override public void remove(SessionLocal session, Row row) { throw table.readOnly(); }
    @Override public void remove(SessionLocal session) { }
    @Override public void truncate(SessionLocal session) { throw table.readOnly(); }
    @Override public boolean needRebuild() { return false; }

    @Override
    public DbException getDuplicateKeyException(String key) {
        return table.readOnly();
    }
}
