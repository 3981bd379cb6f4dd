package org.backprop.events;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import org.backprop.model.Parameters;

/**
 * Records one run into any store: packs whole epochs into blocks of about {@code rowBytes} bytes (so that reading one
 * epoch back reads little else), chains their hashes, and hands the sealed blocks to the store's {@link BlockSink},
 * which commits several a transaction, at least about once a second. A live run's sink works on a
 * {@link CommitThread} of its own, so that storing overlaps with training; an import's works on the caller's thread,
 * inside the caller's transaction.
 */
public final class PackedRecorder implements RunRecorder {
    /** A store commits what waits at least this often, so a crash loses only about the last second. */
    public static final long COMMIT_NANOS = 1_000_000_000L;
    /** A partly filled block is handed over when it is this old. */
    static final long SEAL_NANOS = COMMIT_NANOS / 2;

    private final BlockSink sink;
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

    /**
     * A recorder for a run whose newest stored event has hash {@code lastHash}, appending from {@code nextEpoch}.
     *
     * @param ownThread whether the sink works on a commit thread of its own (a live run) or on the caller's (an import)
     * @param rowBytes about how many bytes of whole epochs one block holds (at least one epoch)
     */
    public PackedRecorder(BlockSink sink, boolean ownThread, RunStarted started, int nextEpoch, byte[] lastHash, int rowBytes) {
        this.sink = sink;
        this.started = started;
        this.codec = EpochCodec.of(started.config());
        this.epochsPerRow = Math.max(1, rowBytes / codec.epochBytes());
        this.row = new byte[epochsPerRow * codec.epochBytes()];
        this.rowHashes = new byte[epochsPerRow * EventHashes.LENGTH];
        this.rowBuffer = ByteBuffer.wrap(row);
        this.nextEpoch = nextEpoch;
        this.rowFirstEpoch = nextEpoch;
        this.lastHash = lastHash.clone();
        this.thread = ownThread ? new CommitThread(sink, started.runId()) : null;
    }

    @Override
    public RunStarted started() {
        return started;
    }

    /** The store's side of this recording, for the adapter's own tests. */
    public BlockSink sink() {
        return sink;
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

    /** Hands the block filled so far to the sink and starts the next one. */
    private void sealRow() {
        lastSeal = System.nanoTime();
        if (rowEpochs == 0) {
            return;
        }
        byte[] payload = Arrays.copyOf(row, rowEpochs * codec.epochBytes());
        byte[] blockHashes = Arrays.copyOf(rowHashes, rowEpochs * EventHashes.LENGTH);
        SealedBlock block = new SealedBlock(rowFirstEpoch, rowFirstEpoch + rowEpochs - 1, payload, blockHashes);
        lastHash = Arrays.copyOfRange(blockHashes, blockHashes.length - EventHashes.LENGTH, blockHashes.length);
        rowFirstEpoch += rowEpochs;
        rowEpochs = 0;
        if (thread != null) {
            guarded(() -> thread.put(block));
        } else {
            onSink(() -> sink.add(block));
        }
    }

    /** Commits every epoch appended so far, and returns once they are committed. */
    @Override
    public void flush() {
        sealRow();
        onSink(sink::commit);
    }

    /** Runs the work on the sink's thread and waits for it; a failure ends this recorder. */
    private void onSink(Runnable work) {
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
    public RunCompleted complete(Parameters finalParameters, String reason) {
        RunCompleted completed = new RunCompleted(started.runId(), nextEpoch, finalParameters, now(), reason);
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
    public void end(RunEvent event) {
        sealRow();
        RunEnding ending = switch (event) {
            case RunCompleted done -> ending(EventHashes.COMPLETED, done.epochs(), done.reason(), EpochCodec.pack(done.finalParameters()), done.endedAt());
            case RunFailed failed -> ending(EventHashes.FAILED, failed.epoch(), failed.reason(), null, failed.endedAt());
            case RunStarted s -> throw new IllegalArgumentException("a start event does not end run " + started.runId());
            case EpochRecorded e -> throw new IllegalArgumentException("an epoch does not end run " + started.runId());
        };
        onSink(() -> sink.end(ending));
        ended = true;
    }

    private RunEnding ending(String status, int epoch, String reason, byte[] finalParameters, Instant at) {
        return new RunEnding(status, epoch, reason, finalParameters, hashes.end(lastHash, status, epoch, reason, finalParameters, at), at);
    }

    @Override
    public void close() {
        try {
            if (!ended) {
                sealRow();
                onSink(sink::commitAndRelease);
            }
        } finally {
            ended = true;
            if (thread != null) {
                thread.stop();
            }
            sink.close();
        }
    }
}
