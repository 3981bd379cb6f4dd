package org.backprop.store.sql;

import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.index.Index;
import org.h2.index.IndexCondition;
import org.h2.result.SearchRow;
import org.h2.result.SortOrder;
import org.h2.table.Column;
import org.h2.table.Table;
import org.h2.table.TableFilter;
import org.h2.value.ValueBigint;

/**
 * What reading a view with one of its indexes costs, for H2's planner: the rows it reads, from the store's own
 * counts (runs, epochs, rows per epoch), narrowed by the conditions H2 can pass to the index. H2 multiplies the costs
 * of the tables of a join, taking each inner cost per outer row; with honest counts that makes it put {@code runs}
 * or a view with one row per epoch outside and look the bigger view up by run and epoch inside, which reads each
 * selected stored row once.
 */
final class ViewCosts {
    /** A lookup (an index search and a stored row fetched) costs about as much as making this many rows. */
    private static final double LOOKUP = 20;

    /** What the view holds: runs it has rows for, their epochs, and its rows. */
    record Statistics(long runs, long epochs, long rows, long version) {
        double epochsPerRun() {
            return runs == 0 ? 1 : Math.max(1.0, (double) epochs / runs);
        }

        double rowsPerEpoch() {
            return epochs == 0 ? 1 : Math.max(1.0, (double) rows / epochs);
        }
    }

    private final ViewTable table;
    private volatile Statistics statistics;

    ViewCosts(ViewTable table) {
        this.table = table;
    }

    double cost(SessionLocal session, DerivedIndex index, int[] masks, SortOrder sortOrder, TableFilter filter) {
        Statistics s = statistics(session);
        double rows = Math.max(1, s.rows());
        boolean bounded = false;
        if (masks != null) {
            for (Column c : index.getColumns()) {
                bounded |= masks[c.getColumnId()] != 0;
            }
            // At most half the rows even in a store of one run, so that a join still reads runs first.
            rows *= fraction(masks[0], Math.max(2, s.runs()));
            rows *= fraction(masks[1], s.epochsPerRun());
            if (index.use() == DerivedIndex.Use.BOUNDS) {
                for (int column : table.kind().keyColumns) {
                    boolean name = column == table.kind().parameterColumn;
                    // A parameter's name picks one row of an epoch; a layer, sample or neuron number a group of them.
                    rows *= fraction(masks[column], name ? s.rowsPerEpoch() : Math.sqrt(s.rowsPerEpoch()));
                }
            }
            rows = Math.max(rows, 1);
        }
        double cost = LOOKUP + rows;
        if (index.use() == DerivedIndex.Use.SCAN) {
            // An index with a condition must win a tie: H2 drops the conditions of a plan that scans, and then may
            // still swap the sorted index in to serve an ORDER BY, which would read every run without bounds.
            cost += 1;
        } else if (!bounded) {
            // With no condition to pass it, an index reads what the scan reads.
            cost += 2;
        } else if (index.use() == DerivedIndex.Use.BOUNDS) {
            // With no bounds on the key columns it reads what the sorted index reads: let that one win, it sorts too.
            cost += 1;
        }
        if (sortOrder != null && !servesOrder(index, sortOrder, filter)) {
            cost += 100 + rows / 10;
        }
        return cost;
    }

    /** The share of the rows a condition of this kind on a column with about {@code distinct} values keeps. */
    private static double fraction(int mask, double distinct) {
        if ((mask & IndexCondition.EQUALITY) == IndexCondition.EQUALITY) {
            return 1 / Math.max(1, distinct);
        }
        if ((mask & IndexCondition.RANGE) == IndexCondition.RANGE) {
            return 0.25;
        }
        if ((mask & (IndexCondition.START | IndexCondition.END)) != 0) {
            return 1.0 / 3;
        }
        return 1;
    }

    /** Whether the index gives the rows in the order asked for (its columns first, all one way). */
    private static boolean servesOrder(DerivedIndex index, SortOrder sortOrder, TableFilter filter) {
        if (index.use() != DerivedIndex.Use.SORTED) {
            return false;
        }
        int[] types = sortOrder.getSortTypes();
        Column[] columns = index.getColumns();
        boolean descending = (types[0] & SortOrder.DESCENDING) != 0;
        for (int i = 0; i < Math.min(types.length, columns.length); i++) {
            Column c = sortOrder.getColumn(i, filter);
            if (c == null || !c.equals(columns[i]) || ((types[i] & SortOrder.DESCENDING) != 0) != descending) {
                return false;
            }
        }
        return true;
    }

    /** The view's counts as of the event tables' last change (counted again only when they change). */
    Statistics statistics(SessionLocal session) {
        Table runStarted = EventTables.table(session, EventTables.RUN_STARTED);
        Table blocks = EventTables.table(session, EventTables.EPOCH_BLOCKS);
        long version = Math.max(runStarted.getMaxDataModificationId(), blocks.getMaxDataModificationId());
        Statistics s = statistics;
        if (s != null && s.version() == version) {
            return s;
        }
        Index byLast = EventTables.index(blocks, "RUN_ID", "LAST_EPOCH");
        int[] runColumn = {EventTables.column(blocks, "RUN_ID")};
        int lastColumn = EventTables.column(blocks, "LAST_EPOCH");
        long runs = 0;
        long epochs = 0;
        long rows = 0;
        Cursor started = EventTables.index(runStarted, "RUN_ID").find(session, null, null, false);
        while (started.next()) {
            RunLayout layout = table.layout(runStarted, started.get());
            if (!table.kind().includes(layout)) {
                continue;
            }
            SearchRow run = EventTables.searchRow(blocks, runColumn, ValueBigint.get(layout.id));
            Cursor last = byLast.find(session, run, run, true);
            long count = last.next() ? last.getSearchRow().getValue(lastColumn).getLong() + 1 : 0;
            runs++;
            epochs += count;
            rows += count * table.kind().rowsPerEpoch(layout);
        }
        s = new Statistics(runs, epochs, rows, version);
        statistics = s;
        return s;
    }
}
