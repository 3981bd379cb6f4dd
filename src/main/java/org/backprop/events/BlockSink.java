package org.backprop.events;

/**
 * A store adapter's side of recording one run: it takes the sealed blocks a {@link PackedRecorder} makes, commits
 * several a transaction, and writes the terminal event. One thread uses it at a time (the recorder's, or its
 * {@link CommitThread}'s).
 */
public interface BlockSink {
    /** Takes a sealed block, and commits the waiting ones when they are enough or old enough. */
    void add(SealedBlock block);

    /** Commits the waiting blocks if the last commit is {@link PackedRecorder#COMMIT_NANOS} old. */
    void commitIfDue();

    /** How long until the waiting blocks are due to be committed (a long time when none wait). */
    long nanosUntilDue();

    /** Commits the waiting blocks now. */
    void commit();

    /** Commits what waits, then the terminal event, and gives up the run's writer claim with it. */
    void end(RunEnding ending);

    /** Commits what waits and gives up the writer claim, leaving the run without a terminal event (interrupted). */
    void commitAndRelease();

    /** Lets go of the connection. */
    void close();
}
