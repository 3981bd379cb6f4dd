package org.backprop.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.backprop.events.DamagedRunException;
import org.backprop.events.EpochCodec;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventHashes;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.events.UnknownRunException;
import org.backprop.model.Parameters;

/** Reads runs' events back from a team store: start events (cached), epochs, terminal events, state at an epoch. */
final class PostgresReads {
    /** Rows a long read fetches at a time: it never holds a whole run. */
    static final int FETCH = 512;

    private final Connection connection;
    private final String where;
    private final Map<Long, RunStarted> startedRuns = new HashMap<>();

    PostgresReads(Connection connection, String where) {
        this.connection = connection;
        this.where = where;
    }

    RunStarted started(long runId) {
        // Start events never change, so one read per run serves every later question about it.
        RunStarted cached = startedRuns.get(runId);
        if (cached != null) {
            return cached;
        }
        RunStarted started = find(connection, runId, where).orElseThrow(() -> new UnknownRunException("there is no run " + runId + " in " + where
                + ": 'backprop runs' lists the runs"));
        startedRuns.put(runId, started);
        return started;
    }

    static Optional<RunStarted> find(Connection c, long runId, String where) {
        try (PreparedStatement s = c.prepareStatement("SELECT " + StartedRows.COLUMNS + " FROM run_started WHERE run_id = ?")) {
            s.setLong(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(StartedRows.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "reading run " + runId, e);
        }
    }

    List<EpochRecorded> epochs(long runId, int from, int to) {
        RunStarted started = started(runId);
        EpochCodec codec = EpochCodec.of(started.config());
        List<EpochRecorded> out = new ArrayList<>();
        int[] expected = {Math.max(from, 0)};
        byte[] bytes = new byte[codec.epochBytes()];
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        streaming(connection, where, "reading run " + runId, () -> {
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT epoch, array_send(vals) FROM epochs WHERE run_id = ? AND epoch BETWEEN ? AND ? ORDER BY epoch")) {
                s.setFetchSize(FETCH);
                s.setLong(1, runId);
                s.setInt(2, from);
                s.setInt(3, to);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        int epoch = rs.getInt(1);
                        // A row that does not follow on from the last: the epochs between are missing from the store.
                        if (epoch != expected[0]) {
                            throw DamagedRunException.missingEpoch(runId, expected[0], epochCount(runId));
                        }
                        canonical(rs.getBytes(2), codec, bytes, runId, epoch);
                        buffer.clear();
                        out.add(codec.read(runId, epoch, buffer));
                        expected[0]++;
                    }
                }
            }
        });
        if (expected[0] <= to) {
            int count = epochCount(runId);
            if (expected[0] < count) {
                throw DamagedRunException.missingEpoch(runId, expected[0], count);
            }
        }
        return out;
    }

    /** One stored epoch's doubles as its canonical bytes, into {@code out}; a row of the wrong size is damage. */
    static void canonical(byte[] binary, EpochCodec codec, byte[] out, long runId, int epoch) {
        int count = Float8Arrays.count(binary);
        if (count != codec.epochDoubles()) {
            throw new DamagedRunException("run " + runId + "'s epoch " + epoch + " holds " + count + " doubles where its network has "
                    + codec.epochDoubles() + ": the store was changed behind the application's back ('backprop verify " + runId + "' says what differs)");
        }
        Float8Arrays.toLittleEndian(binary, count, out, 0);
    }

    Optional<RunEvent> ended(long runId) {
        RunStarted started = started(runId);
        return ending(connection, runId, started.config().network().weightCount(), where).map(End::event);
    }

    /** A stored terminal event and its hash. */
    record End(RunEvent event, byte[] hash) {
    }

    static Optional<End> ending(Connection c, long runId, int weights, String where) {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT status, epoch, reason, array_send(final_parameters), ended_at, hash FROM run_ended WHERE run_id = ?")) {
            s.setLong(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Instant at = rs.getObject(5, OffsetDateTime.class).toInstant();
                byte[] finals = rs.getBytes(4);
                RunEvent event = EventHashes.COMPLETED.equals(rs.getString(1)) && finals != null
                        ? new RunCompleted(runId, rs.getInt(2), StartedRows.parameters(Float8Arrays.doubles(finals), weights), at)
                        : new RunFailed(runId, rs.getInt(2), rs.getString(3), at);
                return Optional.of(new End(event, rs.getBytes(6)));
            }
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "reading the end of run " + runId, e);
        }
    }

    int epochCount(long runId) {
        return epochCount(connection, runId, where);
    }

    static int epochCount(Connection c, long runId, String where) {
        try (PreparedStatement s = c.prepareStatement("SELECT epoch + 1 FROM epochs WHERE run_id = ? ORDER BY epoch DESC LIMIT 1")) {
            s.setLong(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "counting the epochs of run " + runId, e);
        }
    }

    Parameters parametersAt(long runId, int epoch) {
        RunStarted started = started(runId);
        if (epoch == 0) {
            return started.config().initial();
        }
        Parameters p = started.config().initial();
        int count = p.weightCount() + p.biasCount();
        if (epoch > 0) {
            try (PreparedStatement s = connection.prepareStatement("SELECT array_send(vals[1:?]) FROM epochs WHERE run_id = ? AND epoch = ?")) {
                s.setInt(1, count);
                s.setLong(2, runId);
                s.setInt(3, epoch);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        return StartedRows.parameters(Float8Arrays.doubles(rs.getBytes(1)), p.weightCount());
                    }
                }
            } catch (SQLException e) {
                throw PostgresErrors.unexpected(where, "reading run " + runId, e);
            }
        }
        int recorded = epochCount(runId);
        if (epoch >= 0 && epoch < recorded) {
            throw DamagedRunException.missingEpoch(runId, epoch, recorded);
        }
        if (epoch == recorded && recorded > 0) {
            EpochRecorded last = epochs(runId, recorded - 1, recorded - 1).get(0);
            return last.after(started.config().learningRate(), started.config().network().trainBiases());
        }
        throw new UnknownRunException("run " + runId + " has no epoch " + epoch
                + (recorded == 0 ? " (it has recorded no epochs yet)" : " (its epochs are 0 to " + (recorded - 1) + ", and " + recorded + " is the state after the last)"));
    }

    long resolve(String idOrName) {
        try {
            if (idOrName.matches("[0-9]{1,18}")) {
                long id = Long.parseLong(idOrName);
                try (PreparedStatement s = connection.prepareStatement("SELECT 1 FROM run_started WHERE run_id = ?")) {
                    s.setLong(1, id);
                    try (ResultSet rs = s.executeQuery()) {
                        if (rs.next()) {
                            return id;
                        }
                    }
                }
            }
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement s = connection.prepareStatement("SELECT run_id FROM run_started WHERE name = ? ORDER BY run_id")) {
                s.setString(1, idOrName);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            if (ids.size() == 1) {
                return ids.get(0);
            }
            if (ids.isEmpty()) {
                throw new UnknownRunException("there is no run '" + idOrName + "' in " + where + ": 'backprop runs' lists the runs");
            }
            throw new UnknownRunException("the name '" + idOrName + "' belongs to runs " + ids + ": give the run id instead");
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "finding run " + idOrName, e);
        }
    }

    /** Work that reads many rows: in a transaction of its own, so that PgJDBC fetches them a few at a time. */
    interface Reading {
        void run() throws SQLException;
    }

    static void streaming(Connection c, String where, String doing, Reading reading) {
        try {
            c.setAutoCommit(false);
            try {
                reading.run();
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, doing, e);
        }
    }
}
