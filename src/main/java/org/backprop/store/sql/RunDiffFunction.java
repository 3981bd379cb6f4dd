package org.backprop.store.sql;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.backprop.events.EpochCodec;
import org.backprop.events.RunHistory;
import org.backprop.events.RunStarted;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.store.h2.StartedRows;
import org.backprop.store.h2.StoredEpochs;
import org.h2.tools.SimpleResultSet;
import org.h2.tools.SimpleRowSource;

/**
 * The table function {@code run_diff(a, b)}: one row per epoch comparing run a with run b, the same comparison the
 * {@code diff} command makes: when one run is a fork of the other (or both of a common ancestor) they are lined up
 * along their shared history, a fork's epoch j being history epoch k + j; {@code run_diff(a, b, FALSE)} compares each
 * run's own epochs from 0. Row n of a history of n epochs compares the weights after the last update and has no loss.
 * Rows are read one stored row at a time.
 */
public final class RunDiffFunction {
    private RunDiffFunction() {
    }

    public static ResultSet runDiff(Connection c, Long runA, Long runB) throws SQLException {
        return runDiff(c, runA, runB, Boolean.TRUE);
    }

    public static ResultSet runDiff(Connection c, Long runA, Long runB, Boolean align) throws SQLException {
        boolean columnListOnly = c.getMetaData().getURL().startsWith("jdbc:columnlist:");
        SimpleResultSet rs;
        if (columnListOnly || runA == null || runB == null) {
            rs = new SimpleResultSet();
        } else {
            List<RunHistory.Segment> ha = history(c, runA);
            List<RunHistory.Segment> hb = history(c, runB);
            boolean lined = !Boolean.FALSE.equals(align) && RunHistory.sharedEpochs(ha, hb) > 0;
            rs = new SimpleResultSet(new Rows(new Side(c, runA, lined ? ha : null), new Side(c, runB, lined ? hb : null)));
        }
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
            this.last = Math.max(a.rows, b.rows);
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

    /** A run's chain, itself first: each run and how many of its epochs its history takes (see RunHistory). */
    private static List<RunHistory.Segment> history(Connection c, long runId) throws SQLException {
        List<long[]> chain = new ArrayList<>();
        long run = runId;
        long epochs = storedEpochs(c, runId);
        while (true) {
            chain.add(new long[] {run, epochs});
            try (PreparedStatement s = c.prepareStatement("SELECT parent_run_id, fork_epoch FROM run_started WHERE run_id = ?")) {
                s.setLong(1, run);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("there is no run " + run + ": the runs view lists them", "02000");
                    }
                    long parent = rs.getLong(1);
                    if (rs.wasNull()) {
                        return RunHistory.segments(chain);
                    }
                    run = parent;
                    epochs = rs.getInt(2);
                }
            }
        }
    }

    private static int storedEpochs(Connection c, long runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT last_epoch + 1 FROM epoch_blocks WHERE run_id = ? ORDER BY run_id DESC, last_epoch DESC LIMIT 1")) {
            s.setLong(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /**
     * One run's epochs in the order the rows ask for them, read a stored row at a time: its own epochs from 0, or, lined
     * up, its history (the parts its ancestors recorded, then its own).
     */
    private static final class Side {
        private final RunConfig config;
        private final EpochCodec codec;
        private final List<RunHistory.Segment> segments;
        private final StoredEpochs[] stored;
        /** Rows of the run's epochs: its history's length, lined up, else its own epoch count. */
        private final int rows;
        private final int own;
        private int current = -1;
        private StoredEpochs.Row row;
        private Parameters after;

        Side(Connection c, long runId, List<RunHistory.Segment> history) throws SQLException {
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
            this.own = storedEpochs(c, runId);
            this.segments = history != null ? history : own == 0 ? List.of() : List.of(new RunHistory.Segment(runId, 0, own - 1, 0));
            this.stored = new StoredEpochs[segments.size()];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = new StoredEpochs(c, segments.get(i).runId(), codec.epochBytes());
            }
            // A fork with no epochs of its own still starts after its history's epochs: its weights are the fork point's.
            int start = history == null ? 0 : historyStart(c, runId);
            this.rows = start + own;
        }

        private static int historyStart(Connection c, long runId) throws SQLException {
            int start = 0;
            long run = runId;
            while (true) {
                try (PreparedStatement s = c.prepareStatement("SELECT parent_run_id, fork_epoch FROM run_started WHERE run_id = ?")) {
                    s.setLong(1, run);
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        long parent = rs.getLong(1);
                        if (rs.wasNull()) {
                            return start;
                        }
                        start += rs.getInt(2);
                        run = parent;
                    }
                }
            }
        }

        /** The weights in force at the start of the epoch (after the last update for epoch {@code rows}), or null. */
        Parameters parametersAt(int epoch) throws SQLException {
            if (epoch < rows) {
                return codec.readParameters(at(epoch));
            }
            if (epoch > rows) {
                return null;
            }
            if (after == null) {
                // With no epochs of its own a run holds its start weights (a fork's: the fork point's, which its parent's
                // rate made); else its last epoch's update, made with its own rate.
                after = own == 0 ? config.initial()
                        : codec.read(0, rows - 1, at(rows - 1)).after(config.learningRate(), config.network().trainBiases());
            }
            return after;
        }

        Double lossAt(int epoch) throws SQLException {
            if (epoch >= rows) {
                return null;
            }
            ByteBuffer epochBytes = at(epoch).order(ByteOrder.LITTLE_ENDIAN);
            return epochBytes.getDouble(epochBytes.position() + codec.lossAt() * Double.BYTES);
        }

        /** History epoch {@code epoch}, from the segment that recorded it. */
        private ByteBuffer at(int epoch) throws SQLException {
            int i = 0;
            while (i < segments.size() - 1 && epoch >= segments.get(i).historyStart() + segments.get(i).length()) {
                i++;
            }
            RunHistory.Segment seg = segments.get(i);
            int runEpoch = epoch - seg.historyStart() + seg.firstEpoch();
            if (i != current || row == null || runEpoch < row.first() || runEpoch > row.last()) {
                current = i;
                row = stored[i].nextRow(null, runEpoch, runEpoch);
                if (row == null) {
                    throw new SQLException("epoch " + runEpoch + " of run " + seg.runId() + " is not stored (the run is damaged: 'backprop verify' names what is missing)");
                }
            }
            ByteBuffer buffer = ByteBuffer.wrap(row.payload());
            buffer.position((runEpoch - row.first()) * codec.epochBytes());
            return buffer;
        }
    }
}
