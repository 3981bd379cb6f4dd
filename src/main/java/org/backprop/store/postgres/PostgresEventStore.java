package org.backprop.store.postgres;

import java.sql.Connection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.backprop.events.EpochBlock;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.ImportOrigin;
import org.backprop.events.JournalEntry;
import org.backprop.events.Lineage;
import org.backprop.events.QueryRows;
import org.backprop.events.RunEvent;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.events.RunSummary;
import org.backprop.events.SheetSource;
import org.backprop.events.SqlQuery;
import org.backprop.events.StoredRun;
import org.backprop.events.SweepRecord;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.store.StoreAccess;
import org.backprop.store.StoreLocation;

/**
 * The team store: a PostgreSQL database that many machines record into and everyone queries. Every epoch is a row
 * holding its doubles as a float8[] in canonical order, appended by binary COPY from the session that holds the run's
 * lease (an advisory lock); the database refuses changes, checks that epochs follow on, and journals everything in
 * the same hash chain an H2 store keeps. Reading, listing, recording, the queue and the SQL console are classes of
 * their own; this one holds the connection they read through (each run records through a connection of its own).
 */
public final class PostgresEventStore implements EventStore {
    private final PostgresConnections connections;
    private final Connection connection;
    private final String where;
    private final PostgresReads reads;
    private final PostgresListing listing;
    private final PostgresRecording recording;
    private final PostgresJournalReads journal;
    private final PostgresQueue queue;
    /** Connections the sql console used and left in good order, for its next queries (a new one costs a server process). */
    private final java.util.concurrent.ConcurrentLinkedDeque<Connection> idleReaders = new java.util.concurrent.ConcurrentLinkedDeque<>();

    private PostgresEventStore(PostgresConnections connections, Connection connection) {
        this.connections = connections;
        this.connection = connection;
        this.where = connections.describe();
        this.reads = new PostgresReads(connection, where);
        this.listing = new PostgresListing(connection, where);
        this.recording = new PostgresRecording(connections);
        this.journal = new PostgresJournalReads(connection, where);
        this.queue = new PostgresQueue(recording, connection, where);
    }

    /**
     * Opens the store in the database the location's URL names, as {@code access} allows: only
     * {@link StoreAccess#CREATE} makes the store's schema where there is none; an older schema is migrated.
     */
    public static PostgresEventStore open(StoreLocation location, StoreAccess access, java.util.function.Consumer<String> notices) {
        PostgresConnections connections = new PostgresConnections(location);
        return new PostgresEventStore(connections, PostgresOpening.open(connections, access, notices));
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public RunRecorder start(RunConfig config, Lineage lineage, Long sweepId, SheetSource source) {
        return recording.start(config, lineage, sweepId, source);
    }

    @Override
    public RunRecorder resume(long runId) {
        RunStarted started;
        synchronized (this) {
            started = reads.started(runId);
        }
        return recording.resume(started);
    }

    @Override
    public synchronized RunStarted started(long runId) {
        return reads.started(runId);
    }

    @Override
    public synchronized List<EpochRecorded> epochs(long runId, int from, int to) {
        return reads.epochs(runId, from, to);
    }

    @Override
    public synchronized Optional<RunEvent> ended(long runId) {
        return reads.ended(runId);
    }

    @Override
    public synchronized int epochCount(long runId) {
        return reads.epochCount(runId);
    }

    @Override
    public synchronized Parameters parametersAt(long runId, int epoch) {
        return reads.parametersAt(runId, epoch);
    }

    @Override
    public synchronized long resolve(String idOrName) {
        return reads.resolve(idOrName);
    }

    @Override
    public synchronized long newSweep(boolean chained) {
        return listing.newSweep(chained);
    }

    @Override
    public synchronized Optional<SweepRecord> sweep(long sweepId) {
        return listing.sweep(sweepId);
    }

    @Override
    public synchronized List<Long> sweepRuns(long sweepId) {
        return listing.sweepRuns(sweepId);
    }

    @Override
    public synchronized List<Long> runIds() {
        return listing.runIds();
    }

    @Override
    public synchronized List<RunSummary> runs(boolean withLosses) {
        return listing.runs(withLosses);
    }

    @Override
    public synchronized Optional<RunSummary> summary(long runId) {
        return listing.run(runId);
    }

    @Override
    public synchronized StoredRun stored(long runId) {
        return PostgresStoredEvents.stored(connection, reads.started(runId), where);
    }

    @Override
    public synchronized void forEachBlock(long runId, Consumer<EpochBlock> action) {
        PostgresStoredEvents.forEachBlock(connection, reads.started(runId), where, action);
    }

    @Override
    public RunStarted importRun(RunStarted original, Iterator<RunEvent> rest, ImportOrigin origin) {
        return recording.importRun(original, rest, origin);
    }

    @Override
    public synchronized void queueSweep(long sweepId, List<RunConfig> configs) {
        queue.queue(sweepId, configs);
    }

    @Override
    public Optional<RunRecorder> claimQueuedRun(Long sweepId) {
        return queue.claim(sweepId);
    }

    @Override
    public synchronized int unfinishedQueuedRuns(Long sweepId) {
        return queue.unfinished(sweepId);
    }

    @Override
    public synchronized UUID storeId() {
        return journal.storeId();
    }

    @Override
    public synchronized Optional<JournalEntry> journalHead() {
        return journal.head();
    }

    @Override
    public synchronized Optional<JournalEntry> journalEntry(long seq) {
        return journal.entry(seq);
    }

    @Override
    public synchronized void forEachJournalEntry(long from, Consumer<JournalEntry> action) {
        journal.forEach(from, action);
    }

    @Override
    public void query(SqlQuery query, QueryRows rows) {
        PostgresQuery.run(connections, idleReaders, query, rows);
    }

    @Override
    public synchronized void close() {
        PostgresOpening.closeQuietly(connection);
        for (Connection c; (c = idleReaders.pollFirst()) != null; ) {
            PostgresOpening.closeQuietly(c);
        }
    }
}
