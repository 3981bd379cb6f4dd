package org.backprop.events;

import org.backprop.model.Parameters;

/**
 * Appends one run's events in order. Epochs are buffered and committed whole, several per transaction, at least
 * about once a second; {@link #close()} commits what is buffered.
 */
public interface RunRecorder extends AutoCloseable {
    RunStarted started();

    /** The number of the epoch the next {@link #append} must carry. */
    int nextEpoch();

    void append(EpochRecorded epoch);

    /** Commits the buffered epochs now. */
    void flush();

    /** Records that the run trained every planned epoch. */
    default RunCompleted complete(Parameters finalParameters) {
        return complete(finalParameters, null);
    }

    /** Records that the run completed; {@code reason} says why it stopped before its planned end (null when it did not). */
    RunCompleted complete(Parameters finalParameters, String reason);

    RunFailed fail(int epoch, String reason);

    @Override
    void close();
}
