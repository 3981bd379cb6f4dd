package org.backprop.store.sql;

import java.util.ArrayList;
import java.util.List;
import org.h2.api.ErrorCode;
import org.h2.command.ddl.CreateTableData;
import org.h2.engine.SessionLocal;
import org.h2.index.Index;
import org.h2.index.IndexType;
import org.h2.message.DbException;
import org.h2.result.Row;
import org.h2.table.IndexColumn;
import org.h2.table.TableBase;
import org.h2.table.TableType;

/** A read-only table of one view's rows, derived from the event tables whenever it is read. */
final class ViewTable extends TableBase {
    private final ViewKind kind;
    private final ViewIndex index;

    ViewTable(CreateTableData data, ViewKind kind) {
        super(data);
        this.kind = kind;
        this.index = new ViewIndex(this, IndexColumn.wrap(new org.h2.table.Column[] {getColumn(0), getColumn(1)}));
    }

    ViewKind kind() {
        return kind;
    }

    private DbException readOnly() {
        return DbException.get(ErrorCode.FEATURE_NOT_SUPPORTED_1,
                getName() + " is derived from the recorded events and cannot be written");
    }

    @Override public void close(SessionLocal session) { }
    @Override public Index addIndex(SessionLocal s, String n, int id, IndexColumn[] c, int u, IndexType t, boolean create, String comment) {
        throw readOnly();
    }
    @Override public void removeRow(SessionLocal session, Row row) { throw readOnly(); }
    @Override public long truncate(SessionLocal session) { throw readOnly(); }
    @Override public void addRow(SessionLocal session, Row row) { throw readOnly(); }
    @Override public void checkSupportAlter() { throw readOnly(); }
    @Override public TableType getTableType() { return TableType.EXTERNAL_TABLE_ENGINE; }
    @Override public Index getScanIndex(SessionLocal session) { return index; }
    @Override public ArrayList<Index> getIndexes() { return new ArrayList<>(List.of(index)); }
    // The rows change whenever the event tables do.
    @Override public long getMaxDataModificationId() { return database.getModificationDataId(); }
    @Override public boolean isDeterministic() { return false; }
    @Override public boolean canGetRowCount(SessionLocal session) { return false; }
    @Override public boolean canDrop() { return true; }
    @Override public long getRowCount(SessionLocal session) { return index.getRowCount(session); }
    @Override public long getRowCountApproximation(SessionLocal session) { return ViewIndex.UNKNOWN_ROWS; }
}
