package org.backprop.store;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Records one run on its own connection. Epochs are packed into rows of about {@value #ROW_BYTES} bytes (so that
 * reading one epoch back reads little else), and rows are committed together, whole, once a second or every
 * {@value #COMMIT_BYTES} bytes, whichever comes first.
 */
final class BlockRecorder implements RunRecorder {
    static final int ROW_BYTES = 64 * 1024;
    static final int COMMIT_BYTES = 16 * 1024 * 1024;
    static final long COMMIT_NANOS = 1_000_000_000L;

    private final Handle handle;
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
        this.handle = handle;
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
            try {
                handle.useTransaction(h -> {
                    PreparedBatch batch = h.prepareBatch("""
                            INSERT INTO epoch_blocks (run_id, first_epoch, last_epoch, payload, hashes)
                            VALUES (:run, :first, :last, :payload, :hashes)""");
                    for (Block b : pending) {
                        batch.bind("run", started.runId()).bind("first", b.first()).bind("last", b.last())
                                .bind("payload", b.payload()).bind("hashes", b.hashes()).add();
                    }
                    batch.execute();
                });
            } catch (RuntimeException e) {
                // The buffered epochs cannot follow what is stored any more; this recorder is done.
                ended = true;
                if (RunStore.isDuplicateKey(e) || String.valueOf(e.getMessage()).contains("expects epoch")) {
                    throw new ConcurrentAppendException("another writer appended to run " + started.runId()
                            + " first (this writer expected epoch " + pending.get(0).first() + " to be next)", e);
                }
                throw e;
            }
            pending.clear();
            pendingBytes = 0;
        }
        lastCommit = System.nanoTime();
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
        byte[] hash = hashes.end(lastHash, status, epoch, reason, finalParameters);
        handle.useTransaction(h -> h.createUpdate("""
                        INSERT INTO run_ended (run_id, status, epoch, reason, final_parameters, hash, ended_at)
                        VALUES (:run, :status, :epoch, :reason, :final, :hash, :at)""")
                .bind("run", started.runId()).bind("status", status).bind("epoch", epoch).bind("reason", reason)
                .bind("final", finalParameters).bind("hash", hash).bind("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .execute());
        ended = true;
    }

    @Override
    public void close() {
        try {
            if (!ended) {
                flush();
            }
        } finally {
            handle.close();
        }
    }
}
