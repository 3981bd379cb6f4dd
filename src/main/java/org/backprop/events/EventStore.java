package org.backprop.events;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/**
 * The port to the append-only store of run events: start, resume and import runs, load what they recorded, list the
 * runs and sweeps, and answer read-only SQL over the views. Every command works through it alone, whichever store
 * adapter {@code Main} chose for the {@code --db} it was given.
 */
public interface EventStore extends AutoCloseable {

    /** How to name this store to a person (a file path, or a URL without its credentials). */
    String describe();

    /** Records a new run's start event and returns the recorder that appends the rest of it. */
    default RunRecorder start(RunConfig config, Lineage lineage, Long sweepId) {
        return start(config, lineage, sweepId, null);
    }

    /**
     * The same for a run whose values come from a spreadsheet ({@code source} not null): its start event names the
     * sheet, and the recorder takes the sheet's values as epochs.
     */
    RunRecorder start(RunConfig config, Lineage lineage, Long sweepId, SheetSource source);

    /**
     * Continues a run that has no terminal event and no live writer (it was interrupted): the recorder appends after
     * the last stored epoch, chained to its hash. Train it with the parameters {@code parametersAt(run, nextEpoch)}.
     * A run that has ended, or that a live process still writes, is a {@link ResumeRefusedException}.
     */
    RunRecorder resume(long runId);

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

    /** The sweep, if the store has one with this id. */
    Optional<SweepRecord> sweep(long sweepId);

    /** The runs of a sweep in the order they were started; empty when the store has no such sweep. */
    List<Long> sweepRuns(long sweepId);

    /** The ids of every run in the store, oldest first. */
    List<Long> runIds();

    /**
     * Every run, oldest first, as the {@code runs} view shows them (with the status a person would want to know, and
     * each run's final and lowest loss, which reads every epoch stored).
     */
    default List<RunSummary> runs() {
        return runs(true);
    }

    /**
     * Every run, oldest first; without losses, {@link RunSummary#finalError}, {@code bestError} and {@code bestEpoch}
     * are null and no epoch is read (for a listing that needs names and progress only, or reads the losses itself).
     */
    List<RunSummary> runs(boolean withLosses);

    /** One run as the {@code runs} view shows it, if the store has it. */
    default Optional<RunSummary> summary(long runId) {
        return runs().stream().filter(r -> r.runId() == runId).findFirst();
    }

    /**
     * Records the planned runs of a sweep ({@link #newSweep}) that is not trained here ({@code sweep --queue}): a start
     * event per configuration, in order, all in one transaction, for workers to claim ({@link #claimQueuedRun}). A store
     * that keeps no queue (one in memory, for tests) refuses with {@link #NO_QUEUE}.
     */
    default void queueSweep(long sweepId, List<RunConfig> configs) {
        throw new StoreException(NO_QUEUE);
    }

    /**
     * Claims the first run of a queued sweep (of {@code sweepId}, or of any when null) that has not ended and that no
     * live process trains: planned, or interrupted when its worker died. The recorder holds the run's lease and continues
     * it from its last stored epoch (train it with {@code parametersAt(run, nextEpoch)}); empty when no run is there to
     * claim now. Workers claiming at once get different runs.
     */
    default Optional<RunRecorder> claimQueuedRun(Long sweepId) {
        throw new StoreException(NO_QUEUE);
    }

    /** How many runs of queued sweeps (of {@code sweepId}, or of all when null) have not ended: planned, training or interrupted. */
    default int unfinishedQueuedRuns(Long sweepId) {
        throw new StoreException(NO_QUEUE);
    }

    /** Why a store without a queue refuses to queue a sweep or give a worker a run. */
    String NO_QUEUE = "this store keeps no queue for workers: queue the sweep in a store they all reach, an H2 file or server"
            + " or a PostgreSQL database (--db jdbc:postgresql://HOST/DATABASE, see the README's Team store), or drop --queue";

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
     * the other store, and its start event records {@code origin} instead. If {@code rest} throws, nothing is written.
     */
    RunStarted importRun(RunStarted original, Iterator<RunEvent> rest, ImportOrigin origin);

    /** The store's id, made when the store was created; a copy of the store has the same id, another store another. */
    UUID storeId();

    /** The journal's newest entry: how many entries and events the store holds, and the head of its chain. */
    Optional<JournalEntry> journalHead();

    /** The journal's entry with this number, if the store has it. */
    Optional<JournalEntry> journalEntry(long seq);

    /**
     * Hands the journal's entries from number {@code from} on to {@code action}, in order, exactly as stored (a gap or a
     * changed entry is handed over as it is, for the checks to find).
     */
    void forEachJournalEntry(long from, Consumer<JournalEntry> action);

    /**
     * Runs one read-only SQL query over the store's views and tables, on a connection that cannot write, and hands its
     * rows to {@code rows} as they come; anything but one query, and a query that runs past its timeout, are
     * {@link InvalidQueryException}s, and a query cancelled meanwhile is a {@link QueryCancelledException}.
     */
    void query(SqlQuery query, QueryRows rows);

    /** The same, with all rows collected: for results known to be small. */
    default QueryResult query(String sql) {
        List<String> columns = new java.util.ArrayList<>();
        List<List<Object>> all = new java.util.ArrayList<>();
        query(new SqlQuery(sql, java.time.Duration.ofMinutes(10)), new QueryRows() {
            @Override
            public void columns(List<String> names) {
                columns.addAll(names);
            }

            @Override
            public void row(List<Object> values) {
                all.add(values);
            }
        });
        return new QueryResult(columns, all);
    }

    @Override
    void close();
}
