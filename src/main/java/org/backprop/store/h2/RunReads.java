package org.backprop.store.h2;

import java.nio.ByteBuffer;
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
import org.backprop.events.StoreException;
import org.backprop.events.UnknownRunException;
import org.backprop.model.Parameters;
import org.backprop.store.StoreLocation;
import org.jdbi.v3.core.Handle;

/** Reads runs' events back from the event tables: start events (cached), epochs, terminal events, state at an epoch. */
final class RunReads {
    private final StoreLocation location;
    private final Handle handle;
    private final Map<Long, RunStarted> startedRuns = new HashMap<>();

    RunReads(StoreLocation location, Handle handle) {
        this.location = location;
        this.handle = handle;
    }

    RunStarted started(long runId) {
        // Start events never change, so one read per run serves every later question about it.
        RunStarted cached = startedRuns.get(runId);
        if (cached != null) {
            return cached;
        }
        RunStarted started = handle.createQuery("SELECT * FROM run_started WHERE run_id = :id").bind("id", runId)
                .map((rs, ctx) -> StartedRows.readStarted(rs)).findOne()
                .orElseThrow(() -> new UnknownRunException("there is no run " + runId + " in " + location.describe()
                        + ": 'backprop runs' lists the runs"));
        startedRuns.put(runId, started);
        return started;
    }

    List<EpochRecorded> epochs(long runId, int from, int to) {
        RunStarted started = started(runId);
        EpochCodec codec = EpochCodec.of(started.config());
        StoredEpochs stored = new StoredEpochs(handle.getConnection(), runId, codec.epochBytes());
        List<EpochRecorded> out = new ArrayList<>();
        int expected = Math.max(from, 0);
        try {
            for (StoredEpochs.Row row = stored.nextRow(null, from, to); row != null; row = stored.nextRow(row, from, to)) {
                ByteBuffer payload = ByteBuffer.wrap(row.payload());
                for (int e = Math.max(from, row.first()); e <= Math.min(to, row.last()); e++) {
                    // A row that does not follow on from the last: the epochs between are missing from the store.
                    if (e != expected) {
                        throw DamagedRunException.missingEpoch(runId, expected, epochCount(runId));
                    }
                    payload.position((e - row.first()) * codec.epochBytes());
                    out.add(codec.read(runId, e, payload));
                    expected++;
                }
            }
            if (expected <= to) {
                int count = epochCount(runId);
                if (expected < count) {
                    throw DamagedRunException.missingEpoch(runId, expected, count);
                }
            }
        } catch (SQLException e) {
            throw unreadable(runId, e);
        }
        return out;
    }

    Optional<RunEvent> ended(long runId) {
        RunStarted started = started(runId);
        int weights = started.config().network().weightCount();
        return handle.createQuery("SELECT * FROM run_ended WHERE run_id = :id").bind("id", runId)
                .map((rs, ctx) -> readEnd(rs, runId, weights)).findOne();
    }

    static RunEvent readEnd(ResultSet rs, long runId, int weights) throws SQLException {
        Instant at = rs.getObject("ended_at", OffsetDateTime.class).toInstant();
        return EventHashes.COMPLETED.equals(rs.getString("status"))
                ? new RunCompleted(runId, rs.getInt("epoch"), EpochCodec.unpack(rs.getBytes("final_parameters"), weights), at, rs.getString("reason"))
                : new RunFailed(runId, rs.getInt("epoch"), rs.getString("reason"), at);
    }

    int epochCount(long runId) {
        return RunRecording.storedEpochs(handle, runId);
    }

    Parameters parametersAt(long runId, int epoch) {
        RunStarted started = started(runId);
        if (epoch == 0) {
            return started.config().initial();
        }
        EpochCodec codec = EpochCodec.of(started.config());
        StoredEpochs stored = new StoredEpochs(handle.getConnection(), runId, codec.epochBytes());
        try {
            // One index lookup finds the row holding the epoch; its first part holds the parameters of a small epoch.
            StoredEpochs.Row row = epoch < 0 ? null : stored.rowHolding(epoch);
            if (row != null && row.last() >= epoch) {
                return codec.readParameters(ByteBuffer.wrap(stored.slice(row, (epoch - row.first()) * codec.epochBytes(), codec.parameterBytes())));
            }
            int count = epochCount(runId);
            if (epoch >= 0 && epoch < count) {
                throw DamagedRunException.missingEpoch(runId, epoch, count);
            }
            if (epoch == count && count > 0) {
                EpochRecorded last = epochs(runId, count - 1, count - 1).get(0);
                return last.after(started.config().learningRate(), started.config().network().trainBiases());
            }
            throw new UnknownRunException("run " + runId + " has no epoch " + epoch
                    + (count == 0 ? " (it has recorded no epochs yet)" : " (its epochs are 0 to " + (count - 1) + ", and " + count + " is the state after the last)"));
        } catch (SQLException e) {
            throw unreadable(runId, e);
        }
    }

    private StoreException unreadable(long runId, SQLException e) {
        return new StoreException("run " + runId + " cannot be read from " + location.describe() + ": " + H2Errors.firstLine(e.getMessage()), e);
    }

    long resolve(String idOrName) {
        if (idOrName.matches("[0-9]{1,18}")) {
            long id = Long.parseLong(idOrName);
            if (handle.createQuery("SELECT COUNT(*) FROM run_started WHERE run_id = :id").bind("id", id).mapTo(Integer.class).one() == 1) {
                return id;
            }
        }
        List<Long> ids = handle.createQuery("SELECT run_id FROM run_started WHERE name = :name ORDER BY run_id")
                .bind("name", idOrName).mapTo(Long.class).list();
        if (ids.size() == 1) {
            return ids.get(0);
        }
        if (ids.isEmpty()) {
            throw new UnknownRunException("there is no run '" + idOrName + "' in " + location.describe() + ": 'backprop runs' lists the runs");
        }
        throw new UnknownRunException("the name '" + idOrName + "' belongs to runs " + ids + ": give the run id instead");
    }
}
