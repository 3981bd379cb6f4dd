package org.backprop.store;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
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
import org.jdbi.v3.core.Handle;

/**
 * Records one run: packs whole epochs into rows of about {@value #ROW_BYTES} bytes (so that reading one epoch back
 * reads little else), chains their hashes, and hands the sealed rows to a {@link BlockWriter}, which commits several
 * rows a transaction, at least about once a second. A live run's writer works on a {@link CommitThread} of its own, so
 * that storing overlaps with training; an import's works on the caller's thread, inside the caller's transaction.
 */
final class BlockRecorder implements RunRecorder {
    static final int ROW_BYTES = 64 * 1024;
    /** A partly filled row is handed over when it is this old, so that a crash loses only about the last second. */
    static final long SEAL_NANOS = BlockWriter.COMMIT_NANOS / 2;

    private final BlockWriter writer;
    private final CommitThread thread;
    private final RunStarted started;
    private final EpochCodec codec;
    private final EventHashes hashes = new EventHashes();
    private final int epochsPerRow;
    private final byte[] row;
    private final byte[] rowHashes;
    private final ByteBuffer rowBuffer;
    private int rowFirstEpoch;
    private int rowEpochs;
    private long lastSeal = System.nanoTime();
    private int nextEpoch;
    private byte[] lastHash;
    private boolean ended;

    /** Writes on the caller's thread through the handle, in the caller's transaction if one is open; no lease. */
    BlockRecorder(Handle handle, RunStarted started, int nextEpoch, byte[] lastHash) {
        this(new BlockWriter(handle, null, null, started.runId()), false, started, nextEpoch, lastHash);
    }

    /**
     * Writes on a commit thread of its own.
     *
     * @param reconnect opens a new connection when this one breaks, or null to give up at once
     * @param lease the run's writer claim, confirmed with every commit and given up at the end, or null for none
     */
    BlockRecorder(Handle handle, Supplier<Handle> reconnect, WriterLease lease, RunStarted started, int nextEpoch, byte[] lastHash) {
        this(new BlockWriter(handle, reconnect, lease, started.runId()), true, started, nextEpoch, lastHash);
    }

    private BlockRecorder(BlockWriter writer, boolean ownThread, RunStarted started, int nextEpoch, byte[] lastHash) {
        this.writer = writer;
        this.started = started;
        this.codec = EpochCodec.of(started.config());
        this.epochsPerRow = Math.max(1, ROW_BYTES / codec.epochBytes());
        this.row = new byte[epochsPerRow * codec.epochBytes()];
        this.rowHashes = new byte[epochsPerRow * EventHashes.LENGTH];
        this.rowBuffer = ByteBuffer.wrap(row);
        this.nextEpoch = nextEpoch;
        this.rowFirstEpoch = nextEpoch;
        this.lastHash = lastHash.clone();
        this.thread = ownThread ? new CommitThread(writer, started.runId()) : null;
    }

    @Override
    public RunStarted started() {
        return started;
    }

    /** The connection the recorder writes through now, for tests that break it. */
    Handle currentHandle() {
        return writer.handle();
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
        if (rowEpochs == epochsPerRow || System.nanoTime() - lastSeal >= SEAL_NANOS) {
            sealRow();
        }
    }

    /** Hands the row filled so far to the writer and starts the next one. */
    private void sealRow() {
        lastSeal = System.nanoTime();
        if (rowEpochs == 0) {
            return;
        }
        byte[] payload = Arrays.copyOf(row, rowEpochs * codec.epochBytes());
        byte[] blockHashes = Arrays.copyOf(rowHashes, rowEpochs * EventHashes.LENGTH);
        BlockWriter.Block block = new BlockWriter.Block(rowFirstEpoch, rowFirstEpoch + rowEpochs - 1, payload, blockHashes);
        lastHash = Arrays.copyOfRange(blockHashes, blockHashes.length - EventHashes.LENGTH, blockHashes.length);
        rowFirstEpoch += rowEpochs;
        rowEpochs = 0;
        if (thread != null) {
            guarded(() -> thread.put(block));
        } else {
            onWriter(() -> writer.add(block));
        }
    }

    /** Commits every epoch appended so far, and returns once they are committed. */
    @Override
    public void flush() {
        sealRow();
        onWriter(writer::commit);
    }

    /** Runs the work on the writer's thread and waits for it; a failure ends this recorder. */
    private void onWriter(Runnable work) {
        guarded(thread == null ? work : () -> thread.call(work));
    }

    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            ended = true;
            throw e;
        }
    }

    @Override
    public RunCompleted complete(Parameters finalParameters) {
        RunCompleted completed = new RunCompleted(started.runId(), nextEpoch, finalParameters, now());
        end(completed);
        return completed;
    }

    @Override
    public RunFailed fail(int epoch, String reason) {
        RunFailed failed = new RunFailed(started.runId(), epoch, reason, now());
        end(failed);
        return failed;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** Commits what is appended and then the terminal event, chained to the last epoch's hash. */
    void end(RunEvent event) {
        sealRow();
        switch (event) {
            case RunCompleted done -> end(EventHashes.COMPLETED, done.epochs(), null, EpochCodec.pack(done.finalParameters()), done.endedAt());
            case RunFailed failed -> end(EventHashes.FAILED, failed.epoch(), failed.reason(), null, failed.endedAt());
            case RunStarted s -> throw new IllegalArgumentException("a start event does not end run " + started.runId());
            case EpochRecorded e -> throw new IllegalArgumentException("an epoch does not end run " + started.runId());
        }
        ended = true;
    }

    private void end(String status, int epoch, String reason, byte[] finalParameters, Instant at) {
        byte[] hash = hashes.end(lastHash, status, epoch, reason, finalParameters, at);
        onWriter(() -> writer.insertEnd(status, epoch, reason, finalParameters, hash, at));
    }

    @Override
    public void close() {
        try {
            if (!ended) {
                sealRow();
                onWriter(writer::commitAndRelease);
            }
        } finally {
            ended = true;
            if (thread != null) {
                thread.stop();
            }
            writer.close();
        }
    }
}
