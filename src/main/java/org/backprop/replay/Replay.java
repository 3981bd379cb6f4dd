package org.backprop.replay;

import java.util.function.Consumer;
import org.backprop.events.EpochCodec;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.RunStarted;
import org.backprop.events.UnknownRunException;
import org.backprop.model.Parameters;

/** Walks one recorded run from its events alone: epochs by number or range, and the weights in force at any epoch. */
public final class Replay {
    /** Epochs read per query when walking a range, so a long run is never held in memory whole. */
    private static final int CHUNK_BYTES = 4 << 20;

    private final EventStore store;
    private final RunStarted started;
    private final int epochCount;
    private final int chunk;

    public Replay(EventStore store, long runId) {
        this.store = store;
        this.started = store.started(runId);
        this.epochCount = store.epochCount(runId);
        EpochCodec codec = EpochCodec.of(started.config());
        this.chunk = Math.max(1, CHUNK_BYTES / codec.epochBytes());
    }

    public RunStarted started() {
        return started;
    }

    public long runId() {
        return started.runId();
    }

    /** How many epochs the run has recorded: they are numbered 0 to {@code epochCount() - 1}. */
    public int epochCount() {
        return epochCount;
    }

    /** Throws, naming the run's epochs, unless {@code epoch} is one of them. */
    public void checkEpoch(int epoch) {
        if (epochCount == 0) {
            throw new UnknownRunException("run " + runId() + " has no epochs recorded, so it has no epoch " + epoch);
        }
        if (epoch < 0 || epoch >= epochCount) {
            throw new UnknownRunException("run " + runId() + " has no epoch " + epoch + " (its epochs are 0 to " + (epochCount - 1) + ")");
        }
    }

    public EpochRecorded epoch(int epoch) {
        checkEpoch(epoch);
        // The store refuses an epoch it lacks (DamagedRunException), so the one asked for is there.
        return store.epochs(runId(), epoch, epoch).get(0);
    }

    /** Hands the epochs {@code from..to} to {@code action} in order, reading a few megabytes at a time. */
    public void forEach(int from, int to, Consumer<EpochRecorded> action) {
        checkEpoch(from);
        checkEpoch(to);
        if (from > to) {
            throw new UnknownRunException("the range " + from + " to " + to + " of run " + runId() + " is empty: give the lower epoch first");
        }
        for (int a = from; a <= to; a += chunk) {
            int b = (int) Math.min(to, (long) a + chunk - 1);
            store.epochs(runId(), a, b).forEach(action);
        }
    }

    /**
     * The weights and biases in force at the start of {@code epoch}; {@code epochCount()} means after the last recorded
     * epoch. Reads one stored row, however long the run.
     */
    public Parameters stateAt(int epoch) {
        if (epoch != epochCount) {
            checkEpoch(epoch);
        }
        return store.parametersAt(runId(), epoch);
    }
}
