package org.backprop.store.sql;

import org.backprop.store.sql.StoredRows.StoredRow;
import org.backprop.store.sql.ViewBounds.Range;
import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.index.Index;
import org.h2.message.DbException;
import org.h2.result.Row;
import org.h2.result.SearchRow;
import org.h2.table.Table;
import org.h2.value.Value;
import org.h2.value.ValueBigint;
import org.h2.value.ValueInteger;

/**
 * The rows of one view between an index's bounds, in the index's order: run by run (by run_id), stored row by stored
 * row and epoch by epoch (by epoch), both ascending or, for a reverse scan, both descending; within an epoch its
 * selected rows in their fixed order. Only one stored row's bytes are held at a time, and of those only the parts
 * that hold a value some row was asked for.
 */
final class ViewCursor implements Cursor {
    /** Where a cursor gets the layout of a run from its start event, and a reader of its stored rows (a view table keeps them). */
    interface Layouts {
        RunLayout layout(Table runStarted, Row started);

        default StoredRows storedRows(SessionLocal session, RunLayout layout) {
            return new StoredRows(session, layout.id, layout.epochBytes());
        }
    }

    private final Layouts layouts;
    private final SessionLocal session;
    private final ViewKind kind;
    private final SearchRow lower;
    private final SearchRow upper;
    private final boolean reverse;
    private final int epochFrom;
    private final int epochTo;
    private final Cursor runs;
    private final Table runStarted;
    private RunLayout layout;
    private KeySelection selection;
    private StoredRows.Walk walk;
    private StoredRow stored;
    private int epoch;
    private int lastEpoch;
    private Value epochValue;
    private int run;
    private int k;
    private int end;
    private Row current;

    /** The rows between {@code lower} and {@code upper} (each null, or a row of bounds as H2's index cursor makes them). */
    ViewCursor(ViewKind kind, Layouts layouts, SessionLocal session, SearchRow lower, SearchRow upper, boolean reverse) {
        this.layouts = layouts;
        this.session = session;
        this.kind = kind;
        this.lower = lower;
        this.upper = upper;
        this.reverse = reverse;
        Range epochs = ViewBounds.range(lower, upper, 1).within(0, Integer.MAX_VALUE);
        Range runIds = ViewBounds.range(lower, upper, 0).within(1, Long.MAX_VALUE);
        this.epochFrom = (int) epochs.lo();
        this.epochTo = (int) epochs.hi();
        this.runStarted = EventTables.table(session, EventTables.RUN_STARTED);
        this.runs = epochs.isEmpty() || runIds.isEmpty() ? null : runsBetween(runIds);
    }

    private Cursor runsBetween(Range ids) {
        Index byId = EventTables.index(runStarted, "RUN_ID");
        int[] column = {EventTables.column(runStarted, "RUN_ID")};
        SearchRow from = EventTables.searchRow(runStarted, column, ValueBigint.get(ids.lo()));
        SearchRow to = EventTables.searchRow(runStarted, column, ValueBigint.get(ids.hi()));
        return reverse ? byId.find(session, to, from, true) : byId.find(session, from, to, false);
    }

    @Override
    public boolean next() {
        while (true) {
            if (k < end) {
                current = new ViewRow(kind, layout, stored, epoch, epochValue, k++);
                return true;
            }
            if (selection != null && stored != null && ++run < selection.runs()) {
                k = selection.start(run);
                end = selection.end(run);
            } else if (stored != null && epoch != lastEpoch) {
                startEpoch(reverse ? epoch - 1 : epoch + 1);
            } else if (walk != null && (stored = walk.next()) != null) {
                int from = Math.max(stored.first, epochFrom);
                int to = Math.min(stored.last, epochTo);
                if (from > to) {
                    stored = null;
                    continue;
                }
                lastEpoch = reverse ? from : to;
                startEpoch(reverse ? to : from);
            } else if (!nextRun()) {
                current = null;
                return false;
            }
        }
    }

    private void startEpoch(int e) {
        epoch = e;
        epochValue = ValueInteger.get(e);
        run = 0;
        k = selection.start(0);
        end = selection.end(0);
    }

    private boolean nextRun() {
        walk = null;
        stored = null;
        while (runs != null && runs.next()) {
            layout = layouts.layout(runStarted, runs.get());
            if (!kind.includes(layout)) {
                continue;
            }
            selection = kind.select(session, layout, lower, upper);
            if (selection.isEmpty()) {
                continue;
            }
            walk = layouts.storedRows(session, layout).walk(epochFrom, epochTo, reverse);
            return true;
        }
        return false;
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
    public boolean previous() {
        // H2 2.3 never steps a cursor back (MVStore's cursors refuse too): a backward scan is find(..., reverse).
        throw DbException.getUnsupportedException("stepping back in a view table; scan in reverse instead");
    }

    /** One row of a view: its values are read from the stored row when H2 asks for them. */
    private static final class ViewRow extends DerivedRow {
        private final ViewKind kind;
        private final RunLayout layout;
        private final StoredRow stored;
        private final int epoch;
        private final Value epochValue;
        private final int k;

        ViewRow(ViewKind kind, RunLayout layout, StoredRow stored, int epoch, Value epochValue, int k) {
            this.kind = kind;
            this.layout = layout;
            this.stored = stored;
            this.epoch = epoch;
            this.epochValue = epochValue;
            this.k = k;
        }

        @Override
        Value compute(int column) {
            return switch (column) {
                case 0 -> layout.runId;
                case 1 -> epochValue;
                default -> kind.value(layout, stored, epoch, k, column);
            };
        }

        @Override
        public int getColumnCount() {
            return kind.columns;
        }
    }
}
