package org.backprop.events;

import java.util.List;
import java.util.Optional;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/** The port to the append-only store of run events: start and append runs, and load what they recorded. */
public interface EventStore extends AutoCloseable {

    /** Records a new run's start event and returns the recorder that appends the rest of it. */
    RunRecorder start(RunConfig config, Lineage lineage, Long sweepId);

    /** The start event of a run. */
    RunStarted started(long runId);

    /** The run's epochs {@code from..to} inclusive, in order (as many as exist). */
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

    @Override
    void close();
}
