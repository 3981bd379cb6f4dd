package org.backprop.events;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/** The port to the append-only store of run events: start and append runs, and load what they recorded. */
public interface EventStore extends AutoCloseable {

    /** Records a new run's start event and returns the recorder that appends the rest of it. */
    default RunRecorder start(RunConfig config, Lineage lineage, Long sweepId) {
        return start(config, lineage, sweepId, null);
    }

    /**
     * The same for a run whose values come from a spreadsheet ({@code source} not null): its start event names the
     * sheet, and the recorder takes the sheet's values as epochs.
     */
    RunRecorder start(RunConfig config, Lineage lineage, Long sweepId, SheetSource source);

    /** The start event of a run. */
    RunStarted started(long runId);

    /**
     * The run's epochs {@code from..to} inclusive, in order, up to its last stored epoch; a run whose store lacks an
     * epoch in that range (it was changed behind the application's back) is a {@link DamagedRunException}.
     */
    List<EpochRecorded> epochs(long runId, int from, int to);

    /** The run's terminal event, if it has ended. */
    Optional<RunEvent> ended(long runId);

    /** Number of epochs recorded for the run. */
    int epochCount(long runId);

    /** The weights and biases in force at the start of {@code epoch} (or after the last recorded epoch when it equals the count). */
    Parameters parametersAt(long runId, int epoch);

    /** Resolves a run given by id or by a unique name. */
    long resolve(String idOrName);

    /** Records a new learning-rate sweep and returns its id, which no other sweep of this store has or will get. */
    long newSweep(boolean chained);

    /** The runs of a sweep in the order they were started; empty when the store has no such sweep. */
    List<Long> sweepRuns(long sweepId);

    /** The ids of every run in the store, oldest first. */
    List<Long> runIds();

    /** The run's start and terminal events exactly as stored, with their stored hashes. */
    StoredRun stored(long runId);

    /**
     * Hands the run's stored rows of epochs to {@code action} one at a time, in order of first epoch, exactly as stored:
     * a row someone removed or added behind the application's back shows up as a gap or an overlap.
     */
    void forEachBlock(long runId, Consumer<EpochBlock> action);

    /**
     * Appends a run recorded elsewhere as a new run of this store, all in one transaction: its configuration and start
     * time, then {@code rest} in order (its epochs, then at most one terminal event, each keeping its own time). The run
     * gets a new id and a hash chain of its own; its lineage and sweep are not carried over, as they name runs of
     * the other store. If {@code rest} throws, nothing is written.
     */
    RunStarted importRun(RunStarted original, Iterator<RunEvent> rest);

    @Override
    void close();
}
