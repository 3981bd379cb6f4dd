package org.backprop.store.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import org.backprop.events.CanonicalConfig;
import org.backprop.events.EndedRuns;
import org.backprop.events.EpochCodec;
import org.backprop.events.EventHashes;
import org.backprop.events.ImportOrigin;
import org.backprop.events.Lineage;
import org.backprop.events.PackedRecorder;
import org.backprop.events.RunEvent;
import org.backprop.events.RunImport;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.events.SheetSource;
import org.backprop.events.ResumeRefusedException;
import org.backprop.events.StoreException;
import org.backprop.model.RunConfig;

/**
 * Starting, resuming and importing runs of a team store: the start event and the run's lease, then a recorder whose
 * blocks a {@link PostgresBlockWriter} copies in through the run's own connection, which holds the lease.
 */
final class PostgresRecording {
    /** About how many bytes of whole epochs one block holds: the journal's granularity, the same as an H2 store's. */
    static final int ROW_BYTES = 64 * 1024;
    /** Connection-lost errors while a run starts are tried again this often (the server restarting, say). */
    private static final int START_ATTEMPTS = 40;

    private final PostgresConnections connections;
    private final String where;

    PostgresRecording(PostgresConnections connections) {
        this.connections = connections;
        this.where = connections.describe();
    }

    RunRecorder start(RunConfig config, Lineage lineage, Long sweepId, SheetSource source) {
        for (int attempt = 0; ; attempt++) {
            Connection writer = null;
            RunStarted tried = null;
            try {
                writer = writer();
                // The start event and the lease commit together, so the run never looks interrupted.
                Stored stored = insertStart(writer, config, lineage, sweepId, source, null, Instant.now());
                tried = stored.started();
                if (!RunLease.tryAcquire(writer, tried.runId())) {
                    throw new IllegalStateException("a new run's lease is held already: run " + tried.runId());
                }
                writer.commit();
                return recorder(writer, stored.started(), 0, stored.hash());
            } catch (SQLException e) {
                if (writer != null) {
                    PostgresOpening.closeQuietly(writer);
                }
                if (!PostgresErrors.isConnectionLost(e) || attempt == START_ATTEMPTS) {
                    throw PostgresErrors.unexpected(where, "starting a run", e);
                }
                pause();
                // The commit may have gone through before the connection broke: then carry on with that run.
                if (tried != null && isStored(tried)) {
                    return resume(tried);
                }
            } catch (RuntimeException e) {
                if (writer != null) {
                    PostgresOpening.closeQuietly(writer);
                }
                throw e;
            }
        }
    }

    /** A connection for one run's writer: not in autocommit mode, tuned for whole blocks of epochs. */
    Connection writer() throws SQLException {
        Connection c;
        try {
            c = connections.open();
        } catch (SQLException e) {
            throw PostgresOpening.cannotConnect(connections, e);
        }
        c.setAutoCommit(false);
        tuneWriter(c);
        return c;
    }

    /**
     * A writer's session keeps a commit's rows in memory while the store checks and journals them, and notices while
     * a statement runs when its client has gone (PostgreSQL 14 and newer).
     */
    static void tuneWriter(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET work_mem = '64MB'");
            if (c.getMetaData().getDatabaseMajorVersion() >= 14) {
                s.execute("SET client_connection_check_interval = '10s'");
            }
        }
        c.commit();
    }

    private RunRecorder recorder(Connection writer, RunStarted started, int nextEpoch, byte[] lastHash) {
        EpochCodec codec = EpochCodec.of(started.config());
        return new PackedRecorder(new PostgresBlockWriter(writer, connections, started.runId(), codec, where), true, started, nextEpoch,
                lastHash, ROW_BYTES);
    }

    /** True when the store holds exactly this start event (its hash covers its id, time and configuration). */
    private boolean isStored(RunStarted started) {
        byte[] hash = new EventHashes().start(started);
        try (Connection c = connections.open(); PreparedStatement s = c.prepareStatement("SELECT hash FROM run_started WHERE run_id = ?")) {
            s.setLong(1, started.runId());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && Arrays.equals(rs.getBytes(1), hash);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** A recorder that carries on after the last stored epoch of a run without a terminal event or a live writer. */
    RunRecorder resume(RunStarted started) {
        Connection writer = null;
        try {
            writer = writer();
            return continuing(writer, started);
        } catch (SQLException e) {
            PostgresOpening.closeQuietly(writer);
            throw PostgresErrors.unexpected(where, "resuming run " + started.runId(), e);
        } catch (RuntimeException e) {
            if (writer != null) {
                PostgresOpening.closeQuietly(writer);
            }
            throw e;
        }
    }

    /**
     * Takes the run's lease on {@code writer} and returns the recorder that continues it; a run that has ended is
     * refused, and one another session writes is refused with who it is.
     */
    RunRecorder continuing(Connection writer, RunStarted started) throws SQLException {
        long id = started.runId();
        if (!RunLease.tryAcquire(writer, id)) {
            String holder = RunLease.holder(writer, id).orElse(null);
            writer.commit();
            if (holder == null) {
                // It was let go of a moment ago.
                return continuing(writer, started);
            }
            throw RunLease.busy(id, holder);
        }
        Optional<ResumeRefusedException> refusal = refusalIfEnded(writer, started);
        if (refusal.isPresent()) {
            RunLease.release(writer, id);
            writer.commit();
            throw refusal.get();
        }
        int stored = PostgresReads.epochCount(writer, id, where);
        byte[] last = lastHash(writer, id);
        writer.commit();
        return recorder(writer, started, stored, last);
    }

    /** Why the run cannot go on, when it has an end event. */
    private Optional<ResumeRefusedException> refusalIfEnded(Connection c, RunStarted started) throws SQLException {
        long id = started.runId();
        try (PreparedStatement s = c.prepareStatement("SELECT status, epoch, reason, hash FROM run_ended WHERE run_id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                RunEvent end;
                try {
                    end = PostgresReads.ending(c, id, started.config().network().weightCount(), where).map(PostgresReads.End::event).orElse(null);
                } catch (RuntimeException unreadable) {
                    end = null;
                }
                return Optional.of(EndedRuns.refusal(id, end, rs.getString(1), rs.getInt(2), rs.getString(3), rs.getBytes(4), lastHash(c, id),
                        PostgresReads.epochCount(c, id, where)));
            }
        }
    }

    /** The hash of the run's newest event: its last epoch's, or its start event's when it has no epochs. */
    static byte[] lastHash(Connection c, long runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT coalesce((SELECT hash FROM epochs WHERE run_id = ? ORDER BY epoch DESC LIMIT 1),
                                (SELECT hash FROM run_started WHERE run_id = ?))""")) {
            s.setLong(1, runId);
            s.setLong(2, runId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    RunStarted importRun(RunStarted original, Iterator<RunEvent> rest, ImportOrigin origin) {
        Connection writer = null;
        try {
            writer = writer();
            Stored stored = insertStart(writer, original.config(), null, null, original.source(), origin, original.createdAt());
            long id = stored.started().runId();
            // Only the holder of a run's lease may append to it: the import holds it until it commits.
            try (PreparedStatement s = writer.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                s.setInt(1, RunLease.KEY);
                s.setInt(2, Math.toIntExact(id));
                s.executeQuery().close();
            }
            PackedRecorder recorder = new PackedRecorder(new PostgresBlockWriter(writer, null, id, EpochCodec.of(original.config()), where), false,
                    stored.started(), 0, stored.hash(), ROW_BYTES);
            RunImport.appendAll(recorder, original.runId(), rest);
            writer.commit();
            return stored.started();
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "importing a run", e);
        } finally {
            if (writer != null) {
                PostgresOpening.closeQuietly(writer);
            }
        }
    }

    /** A start event as stored, with its hash. */
    record Stored(RunStarted started, byte[] hash) {
    }

    /**
     * Stores a start event in the writer's transaction, under the next run id. The journal's lock, which the insert's
     * trigger takes anyway, is taken first: run ids are handed out one at a time, in the order they are journaled, and
     * never skipped (a skipped id reads as a deleted run).
     */
    static Stored insertStart(Connection writer, RunConfig config, Lineage lineage, Long sweepId, SheetSource source, ImportOrigin origin,
                              Instant createdAt) throws SQLException {
        try (PreparedStatement s = writer.prepareStatement("SELECT pg_advisory_xact_lock(?, 0)")) {
            s.setInt(1, RunLease.KEY);
            s.executeQuery().close();
        }
        long runId;
        try (PreparedStatement s = writer.prepareStatement("SELECT coalesce(max(run_id), 0) + 1 FROM run_started");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            runId = rs.getLong(1);
        }
        // Whole microseconds, so the instant reads back from the database exactly as it was hashed.
        RunStarted started = new RunStarted(runId, config, lineage, sweepId, createdAt.truncatedTo(ChronoUnit.MICROS), source, origin);
        String json = CanonicalConfig.json(started);
        byte[] hash = new EventHashes().start(json.getBytes(StandardCharsets.UTF_8), EpochCodec.pack(config.initial()));
        StartedRows.insert(writer, started, json, hash);
        return new Stored(started, hash);
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store", e);
        }
    }
}
