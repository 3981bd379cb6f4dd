package org.backprop.store.postgres;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.backprop.events.BlockSink;
import org.backprop.events.ConcurrentAppendException;
import org.backprop.events.EpochCodec;
import org.backprop.events.EventHashes;
import org.backprop.events.PackedRecorder;
import org.backprop.events.RunEnding;
import org.backprop.events.SealedBlock;
import org.backprop.events.StoreException;
import org.backprop.events.StoreFaultException;
import org.backprop.events.StoreLostException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes one run's sealed blocks into a team store through the connection that holds the run's lease: whole epochs by
 * {@code COPY ... FROM STDIN (FORMAT binary)}, one row per epoch, committed once {@value #COMMIT_BYTES} bytes wait
 * or {@link PackedRecorder#COMMIT_NANOS} after the last commit. Each epoch row names the first epoch of its block, so
 * the store journals the blocks the recorder sealed. When the connection breaks it reconnects, takes the lease again
 * and carries on where the store is. An import's writer works inside the importer's transaction instead, and
 * commits nothing itself.
 */
final class PostgresBlockWriter implements BlockSink {
    /** Bytes of epochs a transaction takes at most (a bigger block alone). */
    static final int COMMIT_BYTES = 4 * 1024 * 1024;
    /** Tries to reach the store again after a broken connection, over about {@value #RECONNECT_SECONDS} seconds. */
    static final int RECONNECT_SECONDS = 60;
    private static final String COPY = "COPY epochs (run_id, epoch, block_first, vals, hash) FROM STDIN (FORMAT binary)";
    private static final byte[] COPY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final VarHandle BE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private Connection connection;
    private final PostgresConnections reconnect;
    private final long runId;
    private final int epochBytes;
    private final String where;
    private final List<SealedBlock> pending = new ArrayList<>();
    private long pendingBytes;
    private long lastCommit = System.nanoTime();
    private byte[] buffer = new byte[256 * 1024];

    /**
     * @param connection the connection holding the run's lease, not in autocommit mode
     * @param reconnect makes a new connection when this one breaks, or null for an import's writer, which works in the
     *                  caller's transaction and leaves committing to it
     */
    PostgresBlockWriter(Connection connection, PostgresConnections reconnect, long runId, EpochCodec codec, String where) {
        this.connection = connection;
        this.reconnect = reconnect;
        this.runId = runId;
        this.epochBytes = codec.epochBytes();
        this.where = where;
    }

    @Override
    public void add(SealedBlock block) {
        pending.add(block);
        pendingBytes += block.payload().length;
        if (pendingBytes >= COMMIT_BYTES) {
            commit();
        } else {
            commitIfDue();
        }
    }

    @Override
    public void commitIfDue() {
        if (nanosUntilDue() <= 0) {
            commit();
        }
    }

    @Override
    public long nanosUntilDue() {
        return pending.isEmpty() ? PackedRecorder.COMMIT_NANOS : lastCommit + PackedRecorder.COMMIT_NANOS - System.nanoTime();
    }

    @Override
    public void commit() {
        if (!pending.isEmpty()) {
            write(retry -> {
                if (retry) {
                    dropStoredBlocks();
                }
                copy();
            }, false);
            pending.clear();
            pendingBytes = 0;
        }
        lastCommit = System.nanoTime();
    }

    /** Records the terminal event, whose hash the recorder computed, with the epochs that wait; then lets go of the lease. */
    @Override
    public void end(RunEnding ending) {
        write(retry -> {
            if (retry) {
                byte[] there = storedEndHash();
                if (there != null) {
                    if (!Arrays.equals(there, ending.hash())) {
                        throw new ConcurrentAppendException("run " + runId + " was ended by someone else while this process was reconnecting:"
                                + " the store was written behind backprop's back");
                    }
                    return;
                }
                dropStoredBlocks();
            }
            copy();
            insertEnd(ending);
        }, true);
        pending.clear();
        pendingBytes = 0;
        release();
    }

    @Override
    public void commitAndRelease() {
        commit();
        release();
    }

    @Override
    public void close() {
        if (reconnect != null) {
            PostgresOpening.closeQuietly(connection);
        }
    }

    private void release() {
        if (reconnect == null) {
            return;
        }
        try {
            RunLease.release(connection, runId);
            connection.commit();
        } catch (SQLException e) {
            // Closing the connection lets go of the lease as well.
        }
    }

    /** One transaction's work; {@code retry} is true when an earlier try may have been committed before the connection broke. */
    @FunctionalInterface
    private interface Work {
        void run(boolean retry) throws SQLException;
    }

    private void write(Work work, boolean ending) {
        if (reconnect == null) {
            try {
                work.run(false);
                return;
            } catch (SQLException e) {
                throw translate(e, false, ending);
            }
        }
        boolean lost = false;
        long deadline = System.nanoTime() + RECONNECT_SECONDS * 1_000_000_000L;
        for (int attempt = 0; ; attempt++) {
            try {
                if (lost) {
                    reopen(attempt);
                }
                work.run(lost);
                connection.commit();
                return;
            } catch (SQLException e) {
                rollbackQuietly();
                if (!PostgresErrors.isConnectionLost(e) || System.nanoTime() > deadline) {
                    throw translate(e, lost, ending);
                }
                lost = true;
            }
        }
    }

    private void copy() throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
        try {
            int doubles = epochBytes / Double.BYTES;
            int rowBytes = 2 + 12 + 8 + 8 + 4 + Float8Arrays.binarySize(doubles) + 4 + EventHashes.LENGTH;
            if (buffer.length < rowBytes + COPY_HEADER.length + 2) {
                buffer = new byte[rowBytes + COPY_HEADER.length + 2];
            }
            System.arraycopy(COPY_HEADER, 0, buffer, 0, COPY_HEADER.length);
            int at = COPY_HEADER.length;
            for (SealedBlock b : pending) {
                byte[] payload = b.payload();
                byte[] hashes = b.hashes();
                for (int epoch = b.first(), i = 0; epoch <= b.last(); epoch++, i++) {
                    if (at + rowBytes > buffer.length) {
                        in.writeToCopy(buffer, 0, at);
                        at = 0;
                    }
                    BE_SHORT.set(buffer, at, (short) 5);
                    BE_INT.set(buffer, at + 2, 8);
                    BE_LONG.set(buffer, at + 6, runId);
                    BE_INT.set(buffer, at + 14, 4);
                    BE_INT.set(buffer, at + 18, epoch);
                    BE_INT.set(buffer, at + 22, 4);
                    BE_INT.set(buffer, at + 26, b.first());
                    BE_INT.set(buffer, at + 30, Float8Arrays.binarySize(doubles));
                    at = Float8Arrays.write(payload, i * epochBytes, doubles, buffer, at + 34);
                    BE_INT.set(buffer, at, EventHashes.LENGTH);
                    System.arraycopy(hashes, i * EventHashes.LENGTH, buffer, at + 4, EventHashes.LENGTH);
                    at += 4 + EventHashes.LENGTH;
                }
            }
            if (at + 2 > buffer.length) {
                in.writeToCopy(buffer, 0, at);
                at = 0;
            }
            BE_SHORT.set(buffer, at, (short) -1);
            in.writeToCopy(buffer, 0, at + 2);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void insertEnd(RunEnding ending) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                INSERT INTO run_ended (run_id, status, epoch, reason, final_parameters, hash, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            s.setLong(1, runId);
            s.setString(2, ending.status());
            s.setInt(3, ending.epoch());
            s.setString(4, ending.reason());
            byte[] finals = ending.finalParameters();
            s.setArray(5, finals == null ? null : StartedRows.float8(connection, doubles(finals)));
            s.setBytes(6, ending.hash());
            s.setObject(7, OffsetDateTime.ofInstant(ending.at(), ZoneOffset.UTC));
            s.executeUpdate();
        }
    }

    private static double[] doubles(byte[] littleEndian) {
        double[] out = new double[littleEndian.length / Double.BYTES];
        java.nio.ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }

    private byte[] storedEndHash() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT hash FROM run_ended WHERE run_id = ?")) {
            s.setLong(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /**
     * After a broken connection: the waiting blocks the store already holds (the commit went through before the
     * connection broke) are dropped, once their hashes are seen to be this writer's.
     */
    private void dropStoredBlocks() throws SQLException {
        int stored = PostgresReads.epochCount(connection, runId, where);
        if (pending.isEmpty()) {
            return;
        }
        int first = pending.get(0).first();
        if (stored < first) {
            throw new StoreException("the store lost epochs " + stored + " to " + (first - 1) + " of run " + runId
                    + " while the connection was broken: the run is interrupted; 'backprop resume " + runId + "' computes them again");
        }
        while (!pending.isEmpty() && pending.get(0).first() < stored) {
            SealedBlock b = pending.get(0);
            try (PreparedStatement s = connection.prepareStatement(
                    "SELECT string_agg(hash, ''::bytea ORDER BY epoch) FROM epochs WHERE run_id = ? AND epoch BETWEEN ? AND ?")) {
                s.setLong(1, runId);
                s.setInt(2, b.first());
                s.setInt(3, b.last());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (!Arrays.equals(rs.getBytes(1), b.hashes())) {
                        throw new ConcurrentAppendException("another writer appended to run " + runId + " while this one was reconnecting");
                    }
                }
            }
            pending.remove(0);
            pendingBytes -= b.payload().length;
        }
    }

    private void reopen(int attempt) throws SQLException {
        PostgresOpening.closeQuietly(connection);
        try {
            Thread.sleep(Math.min(2000L, 50L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while reconnecting to the store for run " + runId, e);
        }
        connection = reconnect.open();
        connection.setAutoCommit(false);
        PostgresRecording.tuneWriter(connection);
        if (!RunLease.tryAcquire(connection, runId)) {
            connection.commit();
            String holder = RunLease.holder(connection, runId).orElse("another session");
            throw new ConcurrentAppendException("run " + runId + " was taken over by another writer (process " + holder + ") while this"
                    + " process was reconnecting: 'backprop runs' shows who writes it");
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // A broken connection has nothing to roll back: the server did so when it lost the session.
        }
    }

    private RuntimeException translate(SQLException e, boolean lost, boolean ending) {
        StoreFaultException fault = PostgresErrors.faultOf(e, where, "'backprop resume " + runId + "' (what was committed before is kept)");
        if (fault != null) {
            return fault;
        }
        String state = PostgresErrors.state(e);
        if (state.equals(PostgresErrors.RUN_ENDED) || ending && PostgresErrors.isDuplicateKey(e)) {
            return new ConcurrentAppendException("run " + runId + " was ended by someone else: the store holds an end event this"
                    + " process did not write, so the store was written behind backprop's back; 'backprop verify " + runId
                    + "' says what it holds", e);
        }
        if (state.equals(PostgresErrors.NOT_IN_ORDER) || PostgresErrors.isDuplicateKey(e)) {
            return new ConcurrentAppendException("someone else appended to run " + runId + " while this process was writing it"
                    + (pending.isEmpty() ? "" : " (this process expected epoch " + pending.get(0).first() + " to be next)")
                    + ", so the store was written behind backprop's back; 'backprop verify " + runId + "' says what it holds", e);
        }
        if (state.equals(PostgresErrors.NOT_LEASE_HOLDER)) {
            return new ConcurrentAppendException("run " + runId + " was taken over by another writer while this process was writing"
                    + " it: the store refused this process's epochs; 'backprop runs' shows who writes it", e);
        }
        if (PostgresErrors.isConnectionLost(e)) {
            return new StoreLostException("the connection to the store broke while recording run " + runId
                    + (lost ? " and could not be made again within " + RECONNECT_SECONDS + " s" : "") + ": the run is interrupted;"
                    + " 'backprop resume " + runId + "' continues it once the store is reachable", e);
        }
        return PostgresErrors.unexpected(where, "recording run " + runId, e);
    }
}
