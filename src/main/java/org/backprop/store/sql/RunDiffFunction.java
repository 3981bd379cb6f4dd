package org.backprop.store.sql;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import org.backprop.events.EpochCodec;
import org.backprop.events.RunStarted;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.store.h2.StartedRows;
import org.backprop.store.h2.StoredEpochs;
import org.h2.tools.SimpleResultSet;
import org.h2.tools.SimpleRowSource;

/**
 * The table function {@code run_diff(a, b)}: one row per epoch 0..max(epochs of a, epochs of b) comparing run a with
 * run b, the same comparison the {@code diff} command makes. Row n of a run with n epochs compares its weights after
 * the last update and has no loss. Rows are read one stored row at a time.
 */
public final class RunDiffFunction {
    private RunDiffFunction() {
    }

    public static ResultSet runDiff(Connection c, Long runA, Long runB) throws SQLException {
        boolean columnListOnly = c.getMetaData().getURL().startsWith("jdbc:columnlist:");
        SimpleResultSet rs = columnListOnly || runA == null || runB == null ? new SimpleResultSet()
                : new SimpleResultSet(new Rows(new Side(c, runA), new Side(c, runB)));
        rs.addColumn("EPOCH", Types.INTEGER, 10, 0);
        rs.addColumn("LOSS_A", Types.DOUBLE, 17, 0);
        rs.addColumn("LOSS_B", Types.DOUBLE, 17, 0);
        rs.addColumn("LOSS_DIFFERENCE", Types.DOUBLE, 17, 0);
        rs.addColumn("MAX_WEIGHT_DIFFERENCE", Types.DOUBLE, 17, 0);
        rs.addColumn("WEIGHTS_EQUAL", Types.BOOLEAN, 1, 0);
        return rs;
    }

    private static final class Rows implements SimpleRowSource {
        private final Side a;
        private final Side b;
        private final int last;
        private int epoch;

        Rows(Side a, Side b) {
            this.a = a;
            this.b = b;
            this.last = Math.max(a.count, b.count);
        }

        @Override
        public Object[] readRow() throws SQLException {
            if (epoch > last) {
                return null;
            }
            int e = epoch++;
            Parameters pa = a.parametersAt(e);
            Parameters pb = b.parametersAt(e);
            Double la = a.lossAt(e);
            Double lb = b.lossAt(e);
            boolean both = pa != null && pb != null && pa.sameShape(pb);
            return new Object[] {e, la, lb, la != null && lb != null ? lb - la : null,
                both ? pa.largestDifference(pb) : null, both ? pa.equals(pb) : null};
        }

        @Override
        public void close() {
        }

        @Override
        public void reset() {
            epoch = 0;
        }
    }

    /** One run's stored epochs, read a stored row at a time as the epochs are asked for in order. */
    private static final class Side {
        private final RunConfig config;
        private final EpochCodec codec;
        private final StoredEpochs stored;
        private final int count;
        private StoredEpochs.Row row;
        private Parameters after;

        Side(Connection c, long runId) throws SQLException {
            RunStarted started;
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM run_started WHERE run_id = ?")) {
                s.setLong(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("there is no run " + runId + ": the runs view lists them", "02000");
                    }
                    started = StartedRows.readStarted(rs);
                }
            }
            this.config = started.config();
            this.codec = EpochCodec.of(config);
            this.stored = new StoredEpochs(c, runId, codec.epochBytes());
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT last_epoch + 1 FROM epoch_blocks WHERE run_id = ? ORDER BY run_id DESC, last_epoch DESC LIMIT 1")) {
                s.setLong(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    this.count = rs.next() ? rs.getInt(1) : 0;
                }
            }
        }

        /** The weights in force at the start of the epoch (after the last update for epoch {@code count}), or null. */
        Parameters parametersAt(int epoch) throws SQLException {
            if (epoch < count) {
                return codec.readParameters(at(epoch));
            }
            if (epoch > count) {
                return null;
            }
            if (after == null) {
                after = count == 0 ? config.initial()
                        : codec.read(0, count - 1, at(count - 1)).after(config.learningRate(), config.network().trainBiases());
            }
            return after;
        }

        Double lossAt(int epoch) throws SQLException {
            if (epoch >= count) {
                return null;
            }
            ByteBuffer epochBytes = at(epoch).order(ByteOrder.LITTLE_ENDIAN);
            return epochBytes.getDouble(epochBytes.position() + codec.lossAt() * Double.BYTES);
        }

        private ByteBuffer at(int epoch) throws SQLException {
            if (row == null || epoch < row.first() || epoch > row.last()) {
                row = stored.nextRow(null, epoch, epoch);
                if (row == null) {
                    throw new SQLException("epoch " + epoch + " of a run is not stored (the run is damaged: 'backprop verify' names what is missing)");
                }
            }
            ByteBuffer buffer = ByteBuffer.wrap(row.payload());
            buffer.position((epoch - row.first()) * codec.epochBytes());
            return buffer;
        }
    }
}
