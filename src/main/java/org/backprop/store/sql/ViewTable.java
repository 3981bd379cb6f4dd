package org.backprop.store.sql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.h2.command.ddl.CreateTableData;
import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.result.Row;
import org.h2.result.SearchRow;
import org.h2.result.SortOrder;
import org.h2.table.Table;
import org.h2.table.TableFilter;

/**
 * A read-only table of one view's rows, derived from the event tables whenever it is read. Its indexes: the scan;
 * {@code <VIEW>_BY_RUN_AND_EPOCH}, which takes bounds on run_id and epoch and serves ORDER BY and GROUP BY on them in
 * either direction; and, for views whose epochs have several rows, {@code <VIEW>_BY_RUN_EPOCH_AND_<KEY>}, which also
 * takes bounds on the key columns (weight, layer, sample, neuron, ...) and so reads only those values of each epoch.
 */
final class ViewTable extends DerivedTable {
    /** Parameters whose layouts are kept (a layout keeps SQL values for the names and positions of its parameters). */
    private static final long LAYOUT_PARAMETERS = 4_000_000;

    private final ViewKind kind;
    private final ViewCosts costs;
    private final Map<Long, RunLayout> layouts = new LinkedHashMap<>(16, 0.75f, true);
    private long layoutsVersion = -1;
    private long layoutParameters;

    ViewTable(CreateTableData data, ViewKind kind) {
        super(data, EventTables.RUN_STARTED, EventTables.EPOCH_BLOCKS, EventTables.EPOCH_PARTS);
        this.kind = kind;
        this.costs = new ViewCosts(this);
        List<DerivedIndex> indexes = new ArrayList<>();
        indexes.add(index(getName() + "_SCAN", DerivedIndex.Use.SCAN));
        // One sorted index only. A second on the same columns ordered another way (run_id DESC, epoch ASC) would serve
        // mixed orders, but when H2 2.3 swaps one such index for another to serve an ORDER BY it forgets that an IN
        // list hands the rows over in the list's order: "run_id IN (3, 7, 5) ORDER BY run_id DESC" came back as 3, 7, 5.
        indexes.add(index(getName() + "_BY_RUN_AND_EPOCH", DerivedIndex.Use.SORTED, 0, 1));
        if (kind.keyColumns.length > 0) {
            int[] columns = new int[2 + kind.keyColumns.length];
            columns[1] = 1;
            System.arraycopy(kind.keyColumns, 0, columns, 2, kind.keyColumns.length);
            indexes.add(index(getName() + "_BY_RUN_EPOCH_AND_" + kind.keyName, DerivedIndex.Use.BOUNDS, columns));
        }
        setIndexes(indexes);
    }

    ViewKind kind() {
        return kind;
    }

    @Override
    Cursor find(SessionLocal session, DerivedIndex index, SearchRow lower, SearchRow upper, boolean reverse) {
        return new ViewCursor(kind, readers, session, lower, upper, reverse);
    }

    private final ViewCursor.Layouts readers = new ViewCursor.Layouts() {
        @Override
        public RunLayout layout(Table runStarted, Row started) {
            return ViewTable.this.layout(runStarted, started);
        }

        @Override
        public StoredRows storedRows(SessionLocal session, RunLayout layout) {
            // A join looks the view up once per row of its other side, mostly in the same run and epoch: the reader
            // of the last run looked up keeps the stored row it last read.
            StoredRows last = lastStoredRows;
            if (last != null && last.reusableFor(session, layout.id)) {
                return last;
            }
            StoredRows rows = new StoredRows(session, layout.id, layout.epochBytes());
            lastStoredRows = rows;
            return rows;
        }
    };
    private volatile StoredRows lastStoredRows;

    @Override
    double cost(SessionLocal session, DerivedIndex index, int[] masks, SortOrder sortOrder, TableFilter filter) {
        return costs.cost(session, index, masks, sortOrder, filter);
    }

    @Override
    public long getRowCountApproximation(SessionLocal session) {
        return costs.statistics(session).rows();
    }

    /** The layout of the run whose start event is {@code started}, a row of {@code run_started}. */
    RunLayout layout(Table runStarted, Row started) {
        long id = started.getValue(EventTables.column(runStarted, "RUN_ID")).getLong();
        synchronized (layouts) {
            // Start events never change; a store changed behind the application's back still shows what it holds.
            long version = runStarted.getMaxDataModificationId();
            if (version != layoutsVersion) {
                layouts.clear();
                layoutParameters = 0;
                layoutsVersion = version;
            }
            RunLayout layout = layouts.get(id);
            if (layout == null) {
                layout = RunLayout.of(runStarted, started);
                while (!layouts.isEmpty() && layoutParameters + layout.parameters() > LAYOUT_PARAMETERS) {
                    var eldest = layouts.entrySet().iterator();
                    layoutParameters -= eldest.next().getValue().parameters();
                    eldest.remove();
                }
                layouts.put(id, layout);
                layoutParameters += layout.parameters();
            }
            return layout;
        }
    }
}
