package org.backprop.store.h2;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.backprop.events.EpochBlock;
import org.backprop.events.EpochCodec;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.ImportOrigin;
import org.backprop.events.JournalEntry;
import org.backprop.events.Lineage;
import org.backprop.events.QueryRows;
import org.backprop.events.RunEvent;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.events.SheetSource;
import org.backprop.events.RunSummary;
import org.backprop.events.SqlQuery;
import org.backprop.events.StoredRun;
import org.backprop.events.SweepRecord;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.store.StoreAccess;
import org.backprop.store.StoreLocation;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The H2 event store: runs as append-only rows written through Jdbi, epochs packed several to a row, every event
 * hash-chained. The application's connection may only select and insert; the schema is Flyway's. Opening, reading,
 * listing, recording and the SQL console are classes of their own; this one holds the connection they share.
 */
public final class H2EventStore implements EventStore {
    private final StoreLocation location;
    private final StoreCredentials credentials;
    private final Jdbi jdbi;
    /** The connection the store was opened with, until it breaks and a new one replaces it. */
    private Connection connection;
    private Handle handle;
    private RunReads reads;
    private RunListing listing;
    private final RunRecording recording;
    private JournalReads journal;
    private final H2Queue queue;

    private H2EventStore(H2Opening.Opened opened) {
        this.location = opened.location();
        this.credentials = opened.credentials();
        this.jdbi = opened.jdbi();
        this.connection = opened.connection();
        this.recording = new RunRecording(jdbi, location.describe());
        this.queue = new H2Queue(jdbi, recording);
        use(H2Opening.configured(Jdbi.create(connection)).open());
    }

    private void use(Handle h) {
        this.handle = h;
        this.reads = new RunReads(location, h);
        this.listing = new RunListing(h);
        this.journal = new JournalReads(h);
    }

    /**
     * A read through the store's connection. A file store outlives the process that served it to this one: when that
     * process exits, the connection breaks, and the read is made again through whichever process serves it next.
     */
    private <T> T read(Supplier<T> read) {
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (RuntimeException e) {
                // The next server may end too before the read is through (processes ending one after another).
                if (location.file() == null || !H2Errors.isConnectionLost(e) || attempt == READ_ATTEMPTS) {
                    throw e;
                }
                BlockWriter.closeQuietly(handle);
                closeConnection();
                use(jdbi.open());
            }
        }
    }

    private static final int READ_ATTEMPTS = 10;

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing only lets go: everything was committed. It fails when the process serving the store has
                // gone and H2 tries to reconnect only to say goodbye, which nobody needs to hear about.
            }
            connection = null;
        }
    }

    /** Opens the store as {@code access} allows; refuses a file that is not a store, and migrates an older schema. */
    public static H2EventStore open(StoreLocation location, StoreAccess access) {
        return open(location, access, notice -> { });
    }

    /**
     * Opens the store as {@code access} allows, telling {@code notices} what the person running the command should
     * know (such as an old store given credentials of its own).
     */
    public static H2EventStore open(StoreLocation location, StoreAccess access, Consumer<String> notices) {
        return new H2EventStore(H2Opening.open(location, access, notices));
    }

    /** Opens the store, creating it on first use. */
    public static H2EventStore open(StoreLocation location) {
        return open(location, StoreAccess.CREATE);
    }

    /** Opens a store that exists already. */
    public static H2EventStore openExisting(StoreLocation location) {
        return open(location, StoreAccess.WRITE);
    }

    /** A new connection of the application's user, for a second writer in tests. */
    Handle writerHandle() {
        return jdbi.open();
    }

    public StoreLocation location() {
        return location;
    }

    @Override
    public String describe() {
        return location.describe();
    }

    @Override
    public RunRecorder start(RunConfig config, Lineage lineage, Long sweepId, SheetSource source) {
        return recording.start(config, lineage, sweepId, source);
    }

    @Override
    public RunRecorder resume(long runId) {
        RunStarted started;
        synchronized (this) {
            started = read(() -> reads.started(runId));
        }
        return recording.resume(started);
    }

    @Override
    public void queueSweep(long sweepId, List<RunConfig> configs) {
        queue.queue(sweepId, configs);
    }

    @Override
    public Optional<RunRecorder> claimQueuedRun(Long sweepId) {
        List<Long> candidates;
        synchronized (this) {
            // Looked at again when the process serving the store ends under the look (a worker whose last run was done).
            candidates = read(() -> queue.candidates(handle, sweepId));
        }
        return queue.claim(candidates, this::started);
    }

    @Override
    public synchronized int unfinishedQueuedRuns(Long sweepId) {
        return read(() -> queue.unfinished(handle, sweepId));
    }

    /** The process writing the run now, as pid@host, if one is. */
    public synchronized Optional<String> liveWriter(long runId) {
        return read(() -> WriterLease.holder(handle, runId).filter(WriterLease.Holder::alive).map(WriterLease.Holder::process));
    }

    @Override
    public synchronized RunStarted started(long runId) {
        return read(() -> reads.started(runId));
    }

    @Override
    public synchronized List<EpochRecorded> epochs(long runId, int from, int to) {
        return read(() -> reads.epochs(runId, from, to));
    }

    @Override
    public synchronized Optional<RunEvent> ended(long runId) {
        return read(() -> reads.ended(runId));
    }

    @Override
    public synchronized int epochCount(long runId) {
        return read(() -> reads.epochCount(runId));
    }

    @Override
    public synchronized Parameters parametersAt(long runId, int epoch) {
        return read(() -> reads.parametersAt(runId, epoch));
    }

    @Override
    public synchronized long resolve(String idOrName) {
        return read(() -> reads.resolve(idOrName));
    }

    @Override
    public synchronized long newSweep(boolean chained) {
        return listing.newSweep(chained);
    }

    @Override
    public synchronized Optional<SweepRecord> sweep(long sweepId) {
        return read(() -> listing.sweep(sweepId));
    }

    @Override
    public synchronized List<Long> sweepRuns(long sweepId) {
        return read(() -> listing.sweepRuns(sweepId));
    }

    @Override
    public synchronized List<Long> runIds() {
        return read(() -> listing.runIds());
    }

    @Override
    public synchronized List<RunSummary> runs(boolean withLosses) {
        return read(() -> listing.runs(withLosses));
    }

    @Override
    public synchronized StoredRun stored(long runId) {
        return read(() -> StoredEvents.stored(handle, reads.started(runId)));
    }

    @Override
    public synchronized void forEachBlock(long runId, Consumer<EpochBlock> action) {
        int epochBytes = EpochCodec.of(started(runId).config()).epochBytes();
        // A long read (verify, export) may outlive the process serving the store: it goes on after the last block it
        // handed on, through the process that serves the store next.
        long[] delivered = {Long.MIN_VALUE};
        read(() -> {
            StoredEvents.forEachBlock(handle, runId, epochBytes, block -> {
                if (block.firstEpoch() > delivered[0]) {
                    action.accept(block);
                    delivered[0] = block.firstEpoch();
                }
            });
            return null;
        });
    }

    @Override
    public RunStarted importRun(RunStarted original, Iterator<RunEvent> rest, ImportOrigin origin) {
        return recording.importRun(original, rest, origin);
    }

    @Override
    public synchronized UUID storeId() {
        return read(() -> journal.storeId());
    }

    @Override
    public synchronized Optional<JournalEntry> journalHead() {
        return read(() -> journal.head());
    }

    @Override
    public synchronized Optional<JournalEntry> journalEntry(long seq) {
        return read(() -> journal.entry(seq));
    }

    @Override
    public synchronized void forEachJournalEntry(long from, Consumer<JournalEntry> action) {
        long[] next = {from};
        read(() -> {
            journal.forEach(next[0], entry -> {
                action.accept(entry);
                next[0] = entry.seq() + 1;
            });
            return null;
        });
    }

    @Override
    public void query(SqlQuery query, QueryRows rows) {
        ReadOnlyQuery.run(location, credentials.reader(), query, rows);
    }

    @Override
    public synchronized void close() {
        try {
            BlockWriter.closeQuietly(handle);
        } finally {
            // Jdbi leaves a connection it was given open; the database closes with the last one.
            closeConnection();
        }
    }
}
