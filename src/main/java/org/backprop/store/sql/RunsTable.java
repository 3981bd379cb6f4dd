package org.backprop.store.sql;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.backprop.store.sql.ViewBounds.Range;
import org.h2.command.ddl.CreateTableData;
import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.index.Index;
import org.h2.index.IndexCondition;
import org.h2.message.DbException;
import org.h2.result.Row;
import org.h2.result.SearchRow;
import org.h2.result.SortOrder;
import org.h2.table.Table;
import org.h2.table.TableFilter;
import org.h2.value.Value;
import org.h2.value.ValueBigint;
import org.h2.value.ValueInteger;
import org.h2.value.ValueNull;
import org.h2.value.ValueVarchar;

/**
 * The {@code runs} table: one row per run, its start event's columns, its terminal event's status, reason and time
 * (or {@code running} while a writer's session is open, else {@code interrupted}), the epochs recorded and the epoch
 * it failed at, and its final and lowest epoch loss (read only when asked for). Schema 1 to 9 had it as a view; as a table it has an index on run_id for joins with the views, and
 * H2 may reuse what it computed from it within a statement (a view calling the session check could not be).
 */
final class RunsTable extends DerivedTable {
    private static final String[] FROM_STARTED = {"RUN_ID", "NAME", "LEARNING_RATE", "EPOCHS", null, "PARENT_RUN_ID", "FORK_EPOCH",
        "CREATED_AT", "SWEEP_ID", "LAYERS", "ACTIVATIONS", "SAMPLE_COUNT"};
    private static final int STATUS = 4;
    private static final int EPOCHS_RECORDED = 12;
    private static final int REASON = 13;
    private static final int ENDED_AT = 14;
    private static final int FAILED_EPOCH = 15;
    private static final int FINAL_ERROR = 16;
    private static final int BEST_ERROR = 17;
    private static final int BEST_EPOCH = 18;
    private static final int COLUMNS = 19;

    RunsTable(CreateTableData data) {
        super(data, EventTables.RUN_STARTED, EventTables.RUN_ENDED, EventTables.EPOCH_BLOCKS, EventTables.EPOCH_PARTS, EventTables.RUN_WRITERS);
        if (getColumns().length != COLUMNS) {
            throw new IllegalArgumentException("the runs table has " + COLUMNS + " columns, run_id to best_epoch");
        }
        setIndexes(List.of(index("RUNS_SCAN", DerivedIndex.Use.SCAN), index("RUNS_BY_RUN_ID", DerivedIndex.Use.SORTED, 0)));
    }

    @Override
    Cursor find(SessionLocal session, DerivedIndex index, SearchRow lower, SearchRow upper, boolean reverse) {
        Range ids = ViewBounds.range(lower, upper, 0).within(1, Long.MAX_VALUE);
        Tables t = new Tables(session);
        if (ids.isEmpty()) {
            return new RunsCursor(t, null);
        }
        int[] column = {EventTables.column(t.started, "RUN_ID")};
        SearchRow from = EventTables.searchRow(t.started, column, ValueBigint.get(ids.lo()));
        SearchRow to = EventTables.searchRow(t.started, column, ValueBigint.get(ids.hi()));
        Index byId = EventTables.index(t.started, "RUN_ID");
        return new RunsCursor(t, reverse ? byId.find(session, to, from, true) : byId.find(session, from, to, false));
    }

    @Override
    double cost(SessionLocal session, DerivedIndex index, int[] masks, SortOrder sortOrder, TableFilter filter) {
        double rows = Math.max(1, EventTables.table(session, EventTables.RUN_STARTED).getRowCountApproximation(session));
        double cost;
        if (index.use() == DerivedIndex.Use.SCAN) {
            // Dearer than the index with a condition on run_id: see ViewCosts.
            cost = 3 + rows;
        } else if (masks == null || masks[0] == 0) {
            cost = 4 + rows;
        } else {
            cost = 2 + ((masks[0] & IndexCondition.EQUALITY) == IndexCondition.EQUALITY ? 1 : Math.max(1, rows / 3));
        }
        boolean sorted = sortOrder == null || (index.use() == DerivedIndex.Use.SORTED && sortOrder.getColumn(0, filter) == getColumn(0));
        return cost + (sorted ? 0 : 10 + rows / 10);
    }

    @Override
    public long getRowCountApproximation(SessionLocal session) {
        return EventTables.table(session, EventTables.RUN_STARTED).getRowCountApproximation(session);
    }

    /** The event tables a row of runs is read from, with the column numbers it needs. */
    private static final class Tables {
        final SessionLocal session;
        final Table started;
        final Table ended;
        final Table writers;
        final Table blocks;
        final int[] startedColumns = new int[FROM_STARTED.length];

        Tables(SessionLocal session) {
            this.session = session;
            this.started = EventTables.table(session, EventTables.RUN_STARTED);
            this.ended = EventTables.table(session, EventTables.RUN_ENDED);
            this.writers = EventTables.table(session, EventTables.RUN_WRITERS);
            this.blocks = EventTables.table(session, EventTables.EPOCH_BLOCKS);
            for (int i = 0; i < FROM_STARTED.length; i++) {
                startedColumns[i] = FROM_STARTED[i] == null ? -1 : EventTables.column(started, FROM_STARTED[i]);
            }
        }
    }

    private final class RunsCursor implements Cursor {
        private final Tables tables;
        private final Cursor started;
        private Row current;

        RunsCursor(Tables tables, Cursor started) {
            this.tables = tables;
            this.started = started;
        }

        @Override
        public boolean next() {
            current = started != null && started.next() ? new RunsRow(tables, started.get()) : null;
            return current != null;
        }

        @Override public Row get() { return current; }
        @Override public SearchRow getSearchRow() { return current; }
        @Override public boolean previous() { throw DbException.getUnsupportedException("stepping back in runs; scan in reverse instead"); }
    }

    /**
     * What a row of runs adds to the start event: the terminal event's status, reason, time and failed epoch (or
     * running or interrupted), the epochs recorded, and the writer's session that made it running.
     */
    private record Progress(Value status, Value reason, Value endedAt, Value failedEpoch, int epochsRecorded, SessionLocal writer) {
    }

    /** The progress and losses of runs as of one data version; a new version starts empty ones. */
    private record Known(long version, Map<Long, Progress> runs, Map<Long, RunLosses> losses) {
    }

    private volatile Known known = new Known(-1, Map.of(), Map.of());

    private Known known() {
        long version = version().unadjusted();
        Known k = known;
        if (k.version() != version) {
            k = new Known(version, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
            known = k;
        }
        return k;
    }

    /**
     * A run's progress, looked up once per data version and kept while a writer it names is connected: a correlated
     * subquery on runs (EXISTS ... WHERE r.run_id = t.run_id) asks for it once per row of the outer query.
     */
    private Progress progress(Tables t, long runId) {
        Known k = known();
        Progress p = k.runs().get(runId);
        if (p != null && (p.writer() == null || !p.writer().isClosed())) {
            return p;
        }
        p = lookUp(t, runId);
        // A session with changes of its own not yet committed sees them; no other may be told of them.
        if (!t.session.hasPendingTransaction()) {
            k.runs().put(runId, p);
        }
        return p;
    }

    /** The run's losses, read once per data version (a run's every epoch is read for them), as {@link #progress} is. */
    private RunLosses losses(Tables t, long runId, int epochsRecorded) {
        Known k = known();
        RunLosses l = k.losses().get(runId);
        if (l == null) {
            l = RunLosses.read(t.session, runId, epochsRecorded);
            if (!t.session.hasPendingTransaction()) {
                k.losses().put(runId, l);
            }
        }
        return l;
    }

    private Progress lookUp(Tables t, long runId) {
        Row ended = EventTables.rowOfRun(t.session, t.ended, runId);
        int epochs = epochsRecorded(t, runId);
        if (ended != null) {
            Value status = ended.getValue(EventTables.column(t.ended, "STATUS"));
            Value failed = "failed".equals(status.getString()) ? ended.getValue(EventTables.column(t.ended, "EPOCH")) : ValueNull.INSTANCE;
            return new Progress(status, ended.getValue(EventTables.column(t.ended, "REASON")), ended.getValue(EventTables.column(t.ended, "ENDED_AT")),
                    failed, epochs, null);
        }
        SessionLocal writer = liveWriter(t, runId);
        String status = writer != null ? "running" : epochs == 0 && isPlanned(t, runId) ? "planned" : "interrupted";
        return new Progress(ValueVarchar.get(status), ValueNull.INSTANCE, ValueNull.INSTANCE, ValueNull.INSTANCE, epochs, writer);
    }

    /** Whether the run is one of a queued sweep's (schema 11's planned_runs; a store of schema 10 has none). */
    private static boolean isPlanned(Tables t, long runId) {
        Table planned = t.session.getDatabase().getMainSchema().findTableOrView(t.session, EventTables.PLANNED_RUNS);
        return planned != null && EventTables.rowOfRun(t.session, planned, runId) != null;
    }

    /** The open session of a writer that registered for the run, or null; the answer holds until that session closes. */
    private SessionLocal liveWriter(Tables t, long runId) {
        Row writer = EventTables.rowOfRun(t.session, t.writers, runId);
        if (writer == null) {
            return null;
        }
        SessionLocal open = WriterSessions.openSession(t.session.getDatabase(), writer.getValue(EventTables.column(t.writers, "SESSION_ID")).getInt(),
                writer.getValue(EventTables.column(t.writers, "SESSION_START")));
        if (open != null) {
            version().dependsOnOpen(open);
        }
        return open;
    }

    /** One past the last epoch of the run's last stored row (the one that starts last), 0 when none is stored. */
    private static int epochsRecorded(Tables t, long runId) {
        Index byFirst = EventTables.index(t.blocks, "RUN_ID", "FIRST_EPOCH");
        Index byLast = EventTables.index(t.blocks, "RUN_ID", "LAST_EPOCH");
        int[] runColumn = {EventTables.column(t.blocks, "RUN_ID")};
        SearchRow run = EventTables.searchRow(t.blocks, runColumn, ValueBigint.get(runId));
        Cursor first = byFirst.find(t.session, run, run, true);
        if (!first.next()) {
            return 0;
        }
        Cursor last = byLast.find(t.session, run, run, true);
        int lastColumn = EventTables.column(t.blocks, "LAST_EPOCH");
        // In a whole store the row that starts last also ends last, and the index on last_epoch says where.
        if (last.next() && last.getSearchRow().getKey() == first.getSearchRow().getKey()) {
            return last.getSearchRow().getValue(lastColumn).getInt() + 1;
        }
        return first.get().getValue(lastColumn).getInt() + 1;
    }

    /** A row of runs: its start event's columns as stored, the rest looked up only when asked for. */
    private final class RunsRow extends DerivedRow {
        private final Tables t;
        private final Row started;
        private final long runId;
        private Progress progress;
        private RunLosses losses;

        RunsRow(Tables t, Row started) {
            this.t = t;
            this.started = started;
            this.runId = started.getValue(t.startedColumns[0]).getLong();
        }

        @Override
        public int getColumnCount() {
            return COLUMNS;
        }

        @Override
        Value compute(int column) {
            if (column < FROM_STARTED.length && column != STATUS) {
                return started.getValue(t.startedColumns[column]);
            }
            if (progress == null) {
                progress = progress(t, runId);
            }
            if (column >= FINAL_ERROR && losses == null) {
                losses = losses(t, runId, progress.epochsRecorded());
            }
            return switch (column) {
                case STATUS -> progress.status();
                case EPOCHS_RECORDED -> ValueInteger.get(progress.epochsRecorded());
                case REASON -> progress.reason();
                case ENDED_AT -> progress.endedAt();
                case FAILED_EPOCH -> progress.failedEpoch();
                case FINAL_ERROR -> losses.finalError();
                case BEST_ERROR -> losses.bestError();
                case BEST_EPOCH -> losses.bestEpoch();
                default -> throw new IllegalArgumentException("column " + column);
            };
        }
    }
}
