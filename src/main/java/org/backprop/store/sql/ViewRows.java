package org.backprop.store.sql;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.backprop.store.h2.StoredEpochs;
import org.h2.value.Value;
import org.h2.value.ValueInteger;

/**
 * Walks the rows of one view for the runs and epochs within the given bounds: run by run, stored row by stored row,
 * epoch by epoch, value by value. Only one stored row is in memory at a time.
 */
final class ViewRows {
    private final Connection connection;
    private final ViewKind kind;
    private final int epochFrom;
    private final int epochTo;
    private final List<Long> runs;
    private int runIndex = -1;
    private RunLayout run;
    private StoredEpochs stored;
    private StoredEpochs.Row storedRow;
    private ByteBuffer payload;
    private int payloadFirst;
    private int epoch;
    private int lastEpoch;
    private Value epochValue;
    private int k;
    private int perEpoch;

    ViewRows(Connection connection, ViewKind kind, long runFrom, long runTo, int epochFrom, int epochTo) throws SQLException {
        this.connection = connection;
        this.kind = kind;
        this.epochFrom = epochFrom;
        this.epochTo = epochTo;
        this.runs = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT run_id FROM run_started WHERE run_id BETWEEN ? AND ? ORDER BY run_id")) {
            s.setLong(1, runFrom);
            s.setLong(2, runTo);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    runs.add(rs.getLong(1));
                }
            }
        }
    }

    /** The next row, or null after the last; the array is new for every row. */
    Value[] next() throws SQLException {
        while (payload == null || k >= perEpoch) {
            if (payload != null && epoch < lastEpoch) {
                epoch++;
                epochValue = ValueInteger.get(epoch);
                k = 0;
            } else if (!nextStoredRow()) {
                return null;
            }
        }
        Value[] values = new Value[kind.columns];
        values[0] = run.runId;
        values[1] = epochValue;
        kind.fill(run, payload, (epoch - payloadFirst) * run.epochDoubles, k++, values);
        return values;
    }

    private boolean nextStoredRow() throws SQLException {
        while (true) {
            StoredEpochs.Row row = stored == null ? null : stored.nextRow(storedRow, epochFrom, epochTo);
            if (row != null) {
                storedRow = row;
                payload = ByteBuffer.wrap(row.payload()).order(ByteOrder.LITTLE_ENDIAN);
                payloadFirst = row.first();
                epoch = Math.max(row.first(), epochFrom);
                lastEpoch = Math.min(row.last(), epochTo);
                epochValue = ValueInteger.get(epoch);
                k = 0;
                perEpoch = kind.rowsPerEpoch(run);
                if (epoch <= lastEpoch) {
                    return true;
                }
                continue;
            }
            payload = null;
            if (++runIndex >= runs.size()) {
                return false;
            }
            run = RunLayout.load(connection, runs.get(runIndex));
            stored = null;
            storedRow = null;
            if (run == null || !kind.includes(run)) {
                continue;
            }
            stored = new StoredEpochs(connection, run.id, run.epochBytes());
        }
    }
}
