package org.backprop.store;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.backprop.events.ConcurrentAppendException;
import org.backprop.events.EpochCodec;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventHashes;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunFailed;
import org.backprop.events.RunEvent;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.model.Parameters;
import org.h2.api.ErrorCode;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Records one run on its own connection. Epochs are packed into rows of about {@value #ROW_BYTES} bytes (so that
 * reading one epoch back reads little else), and rows are committed together, whole, once a second or every
 * {@value #COMMIT_BYTES} bytes, whichever comes first. While it writes, the run's {@link WriterLease} names its session;
 * when the connection breaks (the process serving the store exited) it reconnects and carries on where the store is.
 */
final class BlockRecorder implements RunRecorder {
    static final int ROW_BYTES = 64 * 1024;
    static final int PART_BYTES = 256 * 1024;
    /** Below H2's write buffer: a bigger transaction has its pages written twice, once uncommitted (see the README). */
    static final int COMMIT_BYTES = 4 * 1024 * 1024;
    static final long COMMIT_NANOS = 1_000_000_000L;
    /** Tries to reach the store again after a broken connection, over about {@value #RECONNECT_SECONDS} seconds. */
    static final int RECONNECT_SECONDS = 60;

    private Handle handle;
    private final Supplier<Handle> reconnect;
    private final WriterLease lease;
    private final RunStarted started;
    private final EpochCodec codec;
    private final EventHashes hashes = new EventHashes();
    private final int epochsPerRow;
    private final byte[] row;
    private final byte[] rowHashes;
    private final ByteBuffer rowBuffer;
    private final List<Block> pending = new ArrayList<>();
    private int rowFirstEpoch;
    private int rowEpochs;
    private long pendingBytes;
    private long lastCommit = System.nanoTime();
    private int nextEpoch;
    private byte[] lastHash;
    private boolean ended;

    private record Block(int first, int last, byte[] payload, byte[] hashes) {
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
        this.rowHashes = new byte[epochsPerRow * EventHashes.LENGTH];
        this.rowBuffer = ByteBuffer.wrap(row);
        this.nextEpoch = nextEpoch;
        this.rowFirstEpoch = nextEpoch;
        this.lastHash = lastHash.clone();
    }

    @Override
    public RunStarted started() {
        return started;
    }

    /** The connection the recorder writes through now, for tests that break it. */
    Handle currentHandle() {
        return handle;
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
        int offset = rowEpochs * codec.epochBytes();
        rowBuffer.position(offset);
        codec.write(epoch, rowBuffer);
        byte[] previous = rowEpochs == 0 ? lastHash : rowHashes;
        int previousOffset = rowEpochs == 0 ? 0 : (rowEpochs - 1) * EventHashes.LENGTH;
        hashes.epoch(previous, previousOffset, epoch.epoch(), row, offset, codec.epochBytes(), rowHashes, rowEpochs * EventHashes.LENGTH);
        rowEpochs++;
        nextEpoch++;
        if (rowEpochs == epochsPerRow) {
            sealRow();
        }
        if (pendingBytes >= COMMIT_BYTES || System.nanoTime() - lastCommit >= COMMIT_NANOS) {
            flush();
        }
    }

    private void sealRow() {
        if (rowEpochs == 0) {
            return;
        }
        byte[] payload = Arrays.copyOf(row, rowEpochs * codec.epochBytes());
        byte[] blockHashes = Arrays.copyOf(rowHashes, rowEpochs * EventHashes.LENGTH);
        pending.add(new Block(rowFirstEpoch, rowFirstEpoch + rowEpochs - 1, payload, blockHashes));
        pendingBytes += payload.length;
        lastHash = Arrays.copyOfRange(blockHashes, blockHashes.length - EventHashes.LENGTH, blockHashes.length);
        rowFirstEpoch += rowEpochs;
        rowEpochs = 0;
    }

    @Override
    public void flush() {
        sealRow();
        if (!pending.isEmpty()) {
            write((h, retry) -> {
                if (retry) {
                    dropStoredBlocks(h);
                }
                confirmLease(h);
                PreparedBatch batch = h.prepareBatch("""
                        INSERT INTO epoch_blocks (run_id, first_epoch, last_epoch, payload, hashes)
                        VALUES (:run, :first, :last, :payload, :hashes)""");
                PreparedBatch parts = h.prepareBatch("INSERT INTO epoch_parts (run_id, epoch, part, payload) VALUES (:run, :epoch, :part, :payload)");
                boolean anyParts = false;
                for (Block b : pending) {
                    byte[] payload = b.payload();
                    // An epoch over PART_BYTES keeps its first part here and the rest in epoch_parts (see schema 5).
                    byte[] head = payload.length > PART_BYTES ? Arrays.copyOf(payload, PART_BYTES) : payload;
                    batch.bind("run", started.runId()).bind("first", b.first()).bind("last", b.last())
                            .bind("payload", head).bind("hashes", b.hashes()).add();
                    for (int from = PART_BYTES, n = 1; payload.length > PART_BYTES && from < payload.length; from += PART_BYTES, n++) {
                        parts.bind("run", started.runId()).bind("epoch", b.first()).bind("part", n)
                                .bind("payload", Arrays.copyOfRange(payload, from, Math.min(payload.length, from + PART_BYTES))).add();
                        anyParts = true;
                    }
                }
                if (!pending.isEmpty()) {
                    batch.execute();
                }
                if (anyParts) {
                    parts.execute();
                }
            });
            pending.clear();
            pendingBytes = 0;
        }
        lastCommit = System.nanoTime();
    }

    /** One transaction's work; {@code retry} is true when an earlier try may have been committed before the connection broke. */
    @FunctionalInterface
    private interface Work {
        void run(Handle h, boolean retry);
    }

    /**
     * Runs the work in one transaction. When the connection breaks it reconnects (backing off, for about
     * {@value #RECONNECT_SECONDS} seconds) and runs it again; any other failure ends this recorder.
     */
    private void write(Work work) {
        RuntimeException lost = null;
        long deadline = System.nanoTime() + RECONNECT_SECONDS * 1_000_000_000L;
        for (int attempt = 0; ; attempt++) {
            try {
                if (lost != null) {
                    reopen(attempt);
                }
                boolean retry = lost != null;
                handle.useTransaction((HandleConsumer<RuntimeException>) h -> work.run(h, retry));
                return;
            } catch (RuntimeException e) {
                if (reconnect == null || !isConnectionLost(e) || System.nanoTime() > deadline) {
                    ended = true;
                    throw translate(e, lost);
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

    private RuntimeException translate(RuntimeException e, RuntimeException lost) {
        if (e instanceof ConcurrentAppendException || e instanceof StoreException) {
            return e;
        }
        if (RunStore.isDuplicateKey(e) || String.valueOf(e.getMessage()).contains("expects epoch")) {
            return new ConcurrentAppendException("another writer appended to run " + started.runId()
                    + " first (this writer expected epoch " + (pending.isEmpty() ? nextEpoch : pending.get(0).first()) + " to be next)", e);
        }
        if (isConnectionLost(e) && lost != null) {
            return new StoreException("the connection to the store broke while recording run " + started.runId()
                    + " and could not be made again within " + RECONNECT_SECONDS + " s: the run is interrupted; 'backprop resume "
                    + started.runId() + "' continues it once the store is reachable", e);
        }
        return e;
    }

    /**
     * True for the errors of a connection that broke or a database that closed under it, and for those of reopening
     * it while another process takes the store over (not for bad SQL or data).
     */
    static boolean isConnectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
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

    /**
     * After a broken connection: the pending blocks the store already holds (the commit went through before the
     * connection broke) are dropped, once their hashes are seen to be this writer's.
     */
    private void dropStoredBlocks(Handle h) {
        int stored = RunStore.storedEpochs(h, started.runId());
        int first = pending.get(0).first();
        if (stored < first) {
            throw new StoreException("the store lost epochs " + stored + " to " + (first - 1) + " of run " + started.runId()
                    + " when the process serving it stopped: the run is interrupted; 'backprop resume " + started.runId()
                    + "' computes them again");
        }
        while (!pending.isEmpty() && pending.get(0).first() < stored) {
            Block b = pending.get(0);
            Optional<byte[]> there = h.createQuery("SELECT hashes FROM epoch_blocks WHERE run_id = :run AND first_epoch = :first")
                    .bind("run", started.runId()).bind("first", b.first()).mapTo(byte[].class).findOne();
            if (there.isEmpty() || !Arrays.equals(there.get(), b.hashes())) {
                throw new ConcurrentAppendException("another writer appended to run " + started.runId() + " while this one was reconnecting");
            }
            pending.remove(0);
            pendingBytes -= b.payload().length;
        }
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

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private void insertEnd(String status, int epoch, String reason, byte[] finalParameters, Instant at) {
        byte[] hash = hashes.end(lastHash, status, epoch, reason, finalParameters);
        write((h, retry) -> {
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

    void end(RunEvent event) {
        flush();
        switch (event) {
            case RunCompleted done -> insertEnd(EventHashes.COMPLETED, done.epochs(), null, EpochCodec.pack(done.finalParameters()), done.endedAt());
            case RunFailed failed -> insertEnd(EventHashes.FAILED, failed.epoch(), failed.reason(), null, failed.endedAt());
            case RunStarted s -> throw new IllegalArgumentException("a start event does not end run " + started.runId());
            case EpochRecorded e -> throw new IllegalArgumentException("an epoch does not end run " + started.runId());
        }
    }

    @Override
    public void close() {
        try {
            if (!ended) {
                flush();
                if (lease != null) {
                    write((h, retry) -> lease.release(h));
                }
            }
        } finally {
            ended = true;
            handle.close();
        }
    }
}
