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
import org.backprop.events.ConcurrentAppendException;
import org.backprop.events.EpochCodec;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventHashes;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunFailed;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.model.Parameters;
import org.jdbi.v3.core.Handle;

/**
 * Records one run on its own connection. Small epochs are packed whole into rows of about {@value #ROW_BYTES} bytes
 * (so reading one epoch back reads little else); an epoch larger than {@value #PART_BYTES} bytes is split into parts,
 * its first in {@code epoch_blocks} and the rest in {@code epoch_parts}, because H2 2.5 corrupts its file when one
 * value exceeds about a megabyte. Each row (with its parts) is committed in a transaction of its own as soon as it is
 * full, and a partly filled row after a second at the latest: a crash loses at most the last second, never part of an
 * epoch. Small transactions also keep H2 from rewriting pages it already wrote uncommitted.
 */
final class BlockRecorder implements RunRecorder {
    static final int ROW_BYTES = 64 * 1024;
    static final int PART_BYTES = 256 * 1024;
    static final long COMMIT_NANOS = 1_000_000_000L;

    private final Handle handle;
    private final RunStarted started;
    private final EpochCodec codec;
    private final EventHashes hashes = new EventHashes();
    private final int epochsPerRow;
    private final byte[] row;
    private final byte[] rowHashes;
    private final ByteBuffer rowBuffer;
    private int rowFirstEpoch;
    private int rowEpochs;
    private long lastCommit = System.nanoTime();
    private int nextEpoch;
    private byte[] lastHash;
    private boolean ended;

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
        if (rowEpochs == epochsPerRow || System.nanoTime() - lastCommit >= COMMIT_NANOS) {
            flush();
        }
    }

    @Override
    public void flush() {
        if (rowEpochs > 0) {
            writeRow();
        }
        lastCommit = System.nanoTime();
    }

    private void writeRow() {
        int bytes = rowEpochs * codec.epochBytes();
        int first = Math.min(bytes, PART_BYTES);
        byte[] blockHashes = Arrays.copyOf(rowHashes, rowEpochs * EventHashes.LENGTH);
        try {
            handle.useTransaction(h -> {
                Connection c = h.getConnection();
                try (PreparedStatement block = c.prepareStatement(
                        "INSERT INTO epoch_blocks (run_id, first_epoch, last_epoch, payload, hashes) VALUES (?, ?, ?, ?, ?)")) {
                    block.setLong(1, started.runId());
                    block.setInt(2, rowFirstEpoch);
                    block.setInt(3, rowFirstEpoch + rowEpochs - 1);
                    block.setBytes(4, Arrays.copyOf(row, first));
                    block.setBytes(5, blockHashes);
                    block.executeUpdate();
                }
                if (bytes > first) {
                    try (PreparedStatement part = c.prepareStatement(
                            "INSERT INTO epoch_parts (run_id, epoch, part, payload) VALUES (?, ?, ?, ?)")) {
                        for (int from = first, n = 1; from < bytes; from += PART_BYTES, n++) {
                            part.setLong(1, started.runId());
                            part.setInt(2, rowFirstEpoch);
                            part.setInt(3, n);
                            part.setBytes(4, Arrays.copyOfRange(row, from, Math.min(bytes, from + PART_BYTES)));
                            part.addBatch();
                        }
                        part.executeBatch();
                    }
                }
            });
        } catch (SQLException | RuntimeException e) {
            // The buffered epochs cannot follow what is stored any more; this recorder is done.
            ended = true;
            if (RunStore.isDuplicateKey(e) || String.valueOf(e.getMessage()).contains("expects epoch")) {
                throw new ConcurrentAppendException("another writer appended to run " + started.runId()
                        + " first (this writer expected epoch " + rowFirstEpoch + " to be next)", e);
            }
            throw new StoreException("epochs " + rowFirstEpoch + ".." + (rowFirstEpoch + rowEpochs - 1) + " of run " + started.runId()
                    + " could not be written: " + RunStore.firstLine(e.getMessage()), e);
        }
        lastHash = Arrays.copyOfRange(blockHashes, blockHashes.length - EventHashes.LENGTH, blockHashes.length);
        rowFirstEpoch += rowEpochs;
        rowEpochs = 0;
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
