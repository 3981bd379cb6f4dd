package org.backprop.store;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.backprop.events.ConcurrentAppendException;
import org.backprop.events.EpochCodec;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventHashes;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.model.Parameters;
import org.h2.api.ErrorCode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleConsumer;

/**
 * Records one run on its own connection. Small epochs are packed whole into rows of about {@value #ROW_BYTES} bytes
 * (so reading one epoch back reads little else); an epoch larger than {@value #PART_BYTES} bytes is split into parts,
 * its first in {@code epoch_blocks} and the rest in {@code epoch_parts}, because H2 2.5 corrupts its file when one
 * value exceeds about a megabyte. Each row (with its parts) is committed in a transaction of its own as soon as it is
 * full, and a partly filled row after a second at the latest: a crash loses at most the last second, never part of an
 * epoch. Small transactions also keep H2 from rewriting pages it already wrote uncommitted.
 *
 * <p>The training thread only packs epochs into rows; a writer thread of the recorder's own hashes and inserts them,
 * so training and storage use two cores. Rows are hashed and written strictly in order.
 *
 * <p>While it writes, the run's {@link WriterLease} names its session, confirmed with every commit; when the connection
 * breaks (the process serving the store exited) the recorder reconnects and carries on where the store is.
 */
final class BlockRecorder implements RunRecorder {
    static final int ROW_BYTES = 64 * 1024;
    static final int PART_BYTES = 256 * 1024;
    static final long COMMIT_NANOS = 1_000_000_000L;
    /** Rows handed to the writer but not yet written; bounds memory to a few rows whatever the speed of the disk. */
    private static final int QUEUED_ROWS = 3;
    /** Tries to reach the store again after a broken connection, over about {@value #RECONNECT_SECONDS} seconds. */
    static final int RECONNECT_SECONDS = 20;

    // Replaced by the writer thread when it reconnects; read by the training thread only once the writer is idle.
    private volatile Handle handle;
    private final Supplier<Handle> reconnect;
    private final WriterLease lease;
    private final RunStarted started;
    private final EpochCodec codec;
    private final int epochsPerRow;
    private byte[] row;
    private int rowFirstEpoch;
    private int rowEpochs;
    private long lastCommit = System.nanoTime();
    private int nextEpoch;
    private boolean ended;

    private final Writer writer;

    /** Epochs {@code first..first+count-1} packed one after another. */
    private record PackedRow(int first, int count, byte[] bytes) {
    }

    BlockRecorder(Handle handle, RunStarted started, int nextEpoch, byte[] lastHash) {
        this(handle, null, null, started, nextEpoch, lastHash);
    }

    /**
     * @param reconnect opens a new connection when this one breaks, or null to give up at once
     * @param lease the run's writer claim, confirmed with every commit and given up at the end, or null for none
     */
    BlockRecorder(Handle handle, Supplier<Handle> reconnect, WriterLease lease, RunStarted started, int nextEpoch, byte[] lastHash) {
        this.handle = handle;
        this.reconnect = reconnect;
        this.lease = lease;
        this.started = started;
        this.codec = new EpochCodec(started.config().network(), started.config().data().sampleCount());
        this.epochsPerRow = Math.max(1, ROW_BYTES / codec.epochBytes());
        this.row = new byte[epochsPerRow * codec.epochBytes()];
        this.nextEpoch = nextEpoch;
        this.rowFirstEpoch = nextEpoch;
        this.writer = new Writer(lastHash.clone());
    }

    /** The connection the recorder writes through now, for tests that break it. */
    Handle currentHandle() {
        return handle;
    }

    @Override
    public RunStarted started() {
        return started;
    }

    @Override
    public int nextEpoch() {
        return nextEpoch;
    }

    @Override
    public void append(EpochRecorded epoch) {
        if (ended) {
            throw new IllegalStateException("run " + started.runId() + " has ended; nothing more can be appended");
        }
        if (epoch.epoch() != nextEpoch || epoch.runId() != started.runId()) {
            throw new ConcurrentAppendException("run " + started.runId() + " expects epoch " + nextEpoch + " next, not epoch "
                    + epoch.epoch() + " of run " + epoch.runId());
        }
        ByteBuffer buffer = ByteBuffer.wrap(row);
        buffer.position(rowEpochs * codec.epochBytes());
        codec.write(epoch, buffer);
        rowEpochs++;
        nextEpoch++;
        if (rowEpochs == epochsPerRow || System.nanoTime() - lastCommit >= COMMIT_NANOS) {
            try {
                handOver();
            } catch (RuntimeException e) {
                ended = true;
                throw e;
            }
        }
    }

    private void handOver() {
        if (rowEpochs > 0) {
            byte[] bytes = rowEpochs == epochsPerRow ? row : java.util.Arrays.copyOf(row, rowEpochs * codec.epochBytes());
            writer.submit(new PackedRow(rowFirstEpoch, rowEpochs, bytes));
            if (bytes == row) {
                row = new byte[row.length];
            }
            rowFirstEpoch += rowEpochs;
            rowEpochs = 0;
        }
        lastCommit = System.nanoTime();
    }

    @Override
    public void flush() {
        try {
            handOver();
            writer.awaitWritten();
        } catch (RuntimeException e) {
            // What is buffered can no longer follow what is stored; this recorder is done.
            ended = true;
            throw e;
        }
    }

    /** Hashes and inserts rows in order on a thread of its own; the first failure ends it and is rethrown to the trainer. */
    private final class Writer implements Runnable {
        private final java.util.concurrent.ArrayBlockingQueue<PackedRow> queue = new java.util.concurrent.ArrayBlockingQueue<>(QUEUED_ROWS);
        private final EventHashes hashes = new EventHashes();
        private final Thread thread;
        private final Object lock = new Object();
        private long submitted;
        private long written;
        private RuntimeException failure;
        private byte[] lastHash;
        private int expected;

        Writer(byte[] lastHash) {
            this.lastHash = lastHash;
            this.expected = nextEpoch;
            this.thread = Thread.ofPlatform().daemon().name("backprop-writer-run-" + started.runId()).unstarted(this);
        }

        void submit(PackedRow packed) {
            synchronized (lock) {
                rethrow();
                submitted++;
            }
            if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
                thread.start();
            }
            try {
                while (!queue.offer(packed, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    synchronized (lock) {
                        rethrow();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while recording run " + started.runId(), e);
            }
        }

        void awaitWritten() {
            synchronized (lock) {
                while (written < submitted && failure == null) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StoreException("interrupted while recording run " + started.runId(), e);
                    }
                }
                rethrow();
            }
        }

        byte[] lastHash() {
            synchronized (lock) {
                return lastHash;
            }
        }

        private void rethrow() {
            if (failure != null) {
                throw failure;
            }
        }

        void stop() {
            thread.interrupt();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    PackedRow packed = queue.take();
                    byte[] rowHashes = new byte[packed.count() * EventHashes.LENGTH];
                    byte[] previous = lastHash;
                    int previousOffset = 0;
                    for (int i = 0; i < packed.count(); i++) {
                        hashes.epoch(previous, previousOffset, packed.first() + i, packed.bytes(), i * codec.epochBytes(),
                                codec.epochBytes(), rowHashes, i * EventHashes.LENGTH);
                        previous = rowHashes;
                        previousOffset = i * EventHashes.LENGTH;
                    }
                    RuntimeException error = null;
                    try {
                        writeRow(packed, rowHashes);
                    } catch (RuntimeException e) {
                        error = e;
                    }
                    synchronized (lock) {
                        if (error != null) {
                            failure = error;
                        } else {
                            lastHash = java.util.Arrays.copyOfRange(rowHashes, rowHashes.length - EventHashes.LENGTH, rowHashes.length);
                            written++;
                        }
                        lock.notifyAll();
                    }
                    if (error != null) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // Stopped by close() after everything submitted was written.
            }
        }
    }

    private void writeRow(PackedRow packed, byte[] rowHashes) {
        int bytes = packed.count() * codec.epochBytes();
        int first = Math.min(bytes, PART_BYTES);
        byte[] row = packed.bytes();
        write(packed.first(), (h, retry) -> {
            if (retry && alreadyStored(h, packed, rowHashes)) {
                return;
            }
            confirmLease(h);
            Connection c = h.getConnection();
            try (PreparedStatement block = c.prepareStatement(
                    "INSERT INTO epoch_blocks (run_id, first_epoch, last_epoch, payload, hashes) VALUES (?, ?, ?, ?, ?)")) {
                block.setLong(1, started.runId());
                block.setInt(2, packed.first());
                block.setInt(3, packed.first() + packed.count() - 1);
                block.setBytes(4, first == row.length ? row : Arrays.copyOf(row, first));
                block.setBytes(5, rowHashes);
                block.executeUpdate();
            }
            if (bytes > first) {
                try (PreparedStatement part = c.prepareStatement(
                        "INSERT INTO epoch_parts (run_id, epoch, part, payload) VALUES (?, ?, ?, ?)")) {
                    for (int from = first, n = 1; from < bytes; from += PART_BYTES, n++) {
                        part.setLong(1, started.runId());
                        part.setInt(2, packed.first());
                        part.setInt(3, n);
                        part.setBytes(4, Arrays.copyOfRange(row, from, Math.min(bytes, from + PART_BYTES)));
                        part.addBatch();
                    }
                    part.executeBatch();
                }
            }
        });
    }

    /**
     * After a broken connection: whether the row was committed before the connection broke (then it is this writer's,
     * its hashes say so). A store that lost the epochs before it, or holds someone else's, ends this recorder.
     */
    private boolean alreadyStored(Handle h, PackedRow packed, byte[] rowHashes) {
        int stored = RunStore.storedEpochs(h, started.runId());
        if (stored < packed.first()) {
            throw new StoreException("the store lost epochs " + stored + " to " + (packed.first() - 1) + " of run " + started.runId()
                    + " when the process serving it stopped: the run is interrupted; 'backprop resume " + started.runId()
                    + "' computes them again");
        }
        if (stored == packed.first()) {
            return false;
        }
        Optional<byte[]> there = h.createQuery("SELECT hashes FROM epoch_blocks WHERE run_id = :run AND first_epoch = :first")
                .bind("run", started.runId()).bind("first", packed.first()).mapTo(byte[].class).findOne();
        if (there.isEmpty() || !Arrays.equals(there.get(), rowHashes)) {
            throw new ConcurrentAppendException("another writer appended to run " + started.runId() + " while this one was reconnecting");
        }
        return true;
    }

    /** One transaction's work; {@code retry} is true when an earlier try may have been committed before the connection broke. */
    @FunctionalInterface
    private interface Work {
        void run(Handle h, boolean retry) throws SQLException;
    }

    /**
     * Runs the work in one transaction. When the connection breaks it reconnects (backing off, for about
     * {@value #RECONNECT_SECONDS} seconds) and runs it again; any other failure ends this recorder.
     */
    private void write(int expectedEpoch, Work work) {
        Exception lost = null;
        long deadline = System.nanoTime() + RECONNECT_SECONDS * 1_000_000_000L;
        for (int attempt = 0; ; attempt++) {
            try {
                if (lost != null) {
                    reopen(attempt);
                }
                boolean retry = lost != null;
                handle.useTransaction((HandleConsumer<SQLException>) h -> work.run(h, retry));
                return;
            } catch (SQLException | RuntimeException e) {
                if (reconnect == null || !isConnectionLost(e) || System.nanoTime() > deadline) {
                    throw translate(e, lost, expectedEpoch);
                }
                lost = e;
            }
        }
    }

    private void reopen(int attempt) {
        try {
            handle.close();
        } catch (RuntimeException ignored) {
            // The old connection is broken; closing it only tidies up.
        }
        try {
            Thread.sleep(Math.min(2000L, 50L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while reconnecting to the store for run " + started.runId(), e);
        }
        handle = reconnect.get();
    }

    private RuntimeException translate(Exception e, Exception lost, int expectedEpoch) {
        if (e instanceof ConcurrentAppendException || e instanceof StoreException) {
            return (RuntimeException) e;
        }
        if (RunStore.isDuplicateKey(e) || String.valueOf(e.getMessage()).contains("expects epoch")) {
            return new ConcurrentAppendException("another writer appended to run " + started.runId()
                    + " first (this writer expected epoch " + expectedEpoch + " to be next)", e);
        }
        if (isConnectionLost(e) && lost != null) {
            return new StoreException("the connection to the store broke while recording run " + started.runId()
                    + " and could not be made again within " + RECONNECT_SECONDS + " s: the run is interrupted; 'backprop resume "
                    + started.runId() + "' continues it once the store is reachable", e);
        }
        return new StoreException("run " + started.runId() + " could not be written at epoch " + expectedEpoch + ": "
                + RunStore.firstLine(e.getMessage()), e);
    }

    /**
     * True for the errors of a connection that broke or a database that closed under it, and for those of reopening
     * it while another process takes the store over (not for bad SQL or data).
     */
    static boolean isConnectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = String.valueOf(sql.getSQLState());
                int code = sql.getErrorCode();
                if (state.startsWith("08") || code == ErrorCode.CONNECTION_BROKEN_1 || code == ErrorCode.DATABASE_IS_CLOSED
                        || code == ErrorCode.DATABASE_CALLED_AT_SHUTDOWN || code == ErrorCode.OBJECT_CLOSED
                        || code == ErrorCode.DATABASE_IS_IN_EXCLUSIVE_MODE || code == ErrorCode.DATABASE_ALREADY_OPEN_1) {
                    return true;
                }
            }
            for (Throwable s : t.getSuppressed()) {
                if (isConnectionLost(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void confirmLease(Handle h) {
        if (lease == null) {
            return;
        }
        try {
            lease.confirm(h);
        } catch (ResumeRefusedException e) {
            throw new ConcurrentAppendException("run " + started.runId() + " was taken over by another writer: " + e.getMessage(), e);
        }
    }

    @Override
    public RunCompleted complete(Parameters finalParameters) {
        flush();
        RunCompleted completed = new RunCompleted(started.runId(), nextEpoch, finalParameters, now());
        insertEnd("completed", nextEpoch, null, EpochCodec.pack(finalParameters), completed.endedAt());
        return completed;
    }

    @Override
    public RunFailed fail(int epoch, String reason) {
        flush();
        RunFailed failed = new RunFailed(started.runId(), epoch, reason, now());
        insertEnd("failed", epoch, reason, null, failed.endedAt());
        return failed;
    }

    /** Ends the run with a terminal event made elsewhere, keeping its time: how an imported run ends. */
    void end(RunEvent event) {
        flush();
        switch (event) {
            case RunCompleted done -> insertEnd(EventHashes.COMPLETED, done.epochs(), null, EpochCodec.pack(done.finalParameters()), done.endedAt());
            case RunFailed failed -> insertEnd(EventHashes.FAILED, failed.epoch(), failed.reason(), null, failed.endedAt());
            case RunStarted s -> throw new IllegalArgumentException("a start event does not end run " + started.runId());
            case EpochRecorded e -> throw new IllegalArgumentException("an epoch does not end run " + started.runId());
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private void insertEnd(String status, int epoch, String reason, byte[] finalParameters, Instant at) {
        byte[] hash = new EventHashes().end(writer.lastHash(), status, epoch, reason, finalParameters);
        write(epoch, (h, retry) -> {
            if (retry) {
                Optional<byte[]> there = h.createQuery("SELECT hash FROM run_ended WHERE run_id = :run")
                        .bind("run", started.runId()).mapTo(byte[].class).findOne();
                if (there.isPresent()) {
                    if (!Arrays.equals(there.get(), hash)) {
                        throw new ConcurrentAppendException("run " + started.runId() + " was ended by another writer");
                    }
                    return;
                }
            }
            h.createUpdate("""
                        INSERT INTO run_ended (run_id, status, epoch, reason, final_parameters, hash, ended_at)
                        VALUES (:run, :status, :epoch, :reason, :final, :hash, :at)""")
                    .bind("run", started.runId()).bind("status", status).bind("epoch", epoch).bind("reason", reason)
                    .bind("final", finalParameters).bind("hash", hash).bind("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                    .execute();
            if (lease != null) {
                lease.release(h);
            }
        });
        ended = true;
    }

    @Override
    public void close() {
        try {
            if (!ended) {
                flush();
                if (lease != null) {
                    write(nextEpoch, (h, retry) -> lease.release(h));
                }
            }
        } finally {
            ended = true;
            writer.stop();
            handle.close();
        }
    }
}
