package org.backprop.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import jdk.jfr.FlightRecorder;
import org.backprop.events.CanonicalConfig;
import org.backprop.events.DamagedRunException;
import org.backprop.events.EpochBlock;
import org.backprop.events.EpochCodec;
import org.backprop.events.EpochRecorded;
import org.backprop.events.EventHashes;
import org.backprop.events.EventStore;
import org.backprop.events.Lineage;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.events.SheetSource;
import org.backprop.events.StoredRun;
import org.backprop.events.UnknownRunException;
import org.backprop.model.Activation;
import org.backprop.model.Dataset;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.JdbiStatementEvent;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The H2 event store: runs as append-only rows written through Jdbi, epochs packed several to a row, every event
 * hash-chained. The application's connection may only select and insert; the schema is Flyway's.
 */
public final class RunStore implements EventStore {
    private final StoreLocation location;
    private final Jdbi jdbi;
    private final Connection connection;
    private final Handle handle;
    private final java.util.Map<Long, RunStarted> startedRuns = new java.util.HashMap<>();

    private RunStore(StoreLocation location, Jdbi jdbi, Connection connection) {
        this.location = location;
        this.jdbi = jdbi;
        this.connection = connection;
        this.handle = configured(Jdbi.create(connection)).open();
    }

    /** The store's SQL has no templates; Jdbi's default template engine and parser would load ANTLR at start-up. */
    private static Jdbi configured(Jdbi jdbi) {
        jdbi.getConfig(SqlStatements.class).setSqlParser(PARSER).setTemplateEngine(TemplateEngine.NOP);
        return jdbi;
    }

    private static final NamedParameters PARSER = new NamedParameters();

    /** Opens the store, creating it on first use and migrating an older schema; refuses a file that is not a store. */
    public static RunStore open(StoreLocation location) {
        return open(location, true);
    }

    /** Opens a store that exists already, for commands that only read or continue runs: they never create one. */
    public static RunStore openExisting(StoreLocation location) {
        return open(location, false);
    }

    private static RunStore open(StoreLocation location, boolean create) {
        FutureTask<Jdbi> jdbi = new FutureTask<>(() -> setUpJdbi(location));
        // Jdbi's set-up costs about 80 ms of a short command, and H2 about as much opening the file: side by side.
        Thread setUp = new Thread(jdbi, "backprop-jdbi-set-up");
        setUp.setDaemon(true);
        setUp.start();
        Connection app;
        try {
            app = connectApp(location, create);
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("the store " + location.describe() + " cannot be opened: " + firstLine(e.getMessage()), e);
        }
        try {
            return new RunStore(location, jdbi.get(), app);
        } catch (InterruptedException | ExecutionException e) {
            closeQuietly(app);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StoreException("the store " + location.describe() + " cannot be opened: " + e, e);
        }
    }

    private static Jdbi setUpJdbi(StoreLocation location) {
        Jdbi jdbi = configured(Jdbi.create(() -> Schema.connect(location.url(), Schema.APP, Schema.APP_PASSWORD)));
        // Jdbi registers its statement event with the Flight Recorder at its first statement, which starts the
        // recorder's machinery (60 ms); registering it here first does that off the command's path. Idempotent.
        if (FlightRecorder.isAvailable()) {
            FlightRecorder.register(JdbiStatementEvent.class);
        }
        return jdbi;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // Only letting go of a connection nobody will use.
        }
    }

    /** A new connection of the application's user, for a second writer in tests. */
    Handle writerHandle() {
        return jdbi.open();
    }

    public StoreLocation location() {
        return location;
    }

    @Override
    public RunRecorder start(RunConfig config, Lineage lineage, Long sweepId, SheetSource source) {
        for (int attempt = 0; ; attempt++) {
            RunStarted[] tried = new RunStarted[1];
            Handle writer = null;
            try {
                writer = jdbi.open();
                // The start event and the writer's claim commit together, so the run never looks interrupted.
                RunStarted started = writer.inTransaction(h -> {
                    RunStarted s = insertStart(h, config, lineage, sweepId, source, Instant.now());
                    tried[0] = s;
                    new WriterLease(s.runId()).acquire(h);
                    return s;
                });
                return new BlockRecorder(writer, jdbi::open, new WriterLease(started.runId()), started, 0, hashOf(writer, started.runId()));
            } catch (RuntimeException e) {
                if (writer != null) {
                    writer.close();
                }
                // The process serving the store went away (AUTO_SERVER): start again, or carry on with the start
                // event if it was committed before the connection broke.
                if (!BlockWriter.isConnectionLost(e) || attempt == 40) {
                    throw e;
                }
                pause(new SQLException(e.getMessage(), e));
                if (tried[0] != null && isStored(tried[0])) {
                    return resume(tried[0].runId());
                }
            }
        }
    }

    /** True when the store holds exactly this start event (its hash covers its id, time and configuration). */
    private synchronized boolean isStored(RunStarted started) {
        byte[] hash = new EventHashes().start(started);
        return handle.createQuery("SELECT hash FROM run_started WHERE run_id = :id").bind("id", started.runId())
                .mapTo(byte[].class).findOne().map(stored -> Arrays.equals(stored, hash)).orElse(false);
    }

    /**
     * Continues a run that has no terminal event and no live writer (it was interrupted): the recorder appends after
     * the last stored epoch, chained to its hash. Train it with the parameters {@code parametersAt(run, nextEpoch)}.
     */
    public RunRecorder resume(long runId) {
        RunStarted started = started(runId);
        Handle writer = jdbi.open();
        try {
            WriterLease lease = new WriterLease(runId);
            writer.useTransaction(h -> {
                refuseIfEnded(h, started);
                lease.acquire(h);
            });
            return new BlockRecorder(writer, jdbi::open, lease, started, storedEpochs(writer, runId), hashOf(writer, runId));
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    private static void refuseIfEnded(Handle h, RunStarted started) {
        long id = started.runId();
        h.createQuery("SELECT status, epoch, reason FROM run_ended WHERE run_id = :id").bind("id", id)
                .map((rs, ctx) -> EventHashes.COMPLETED.equals(rs.getString(1))
                        ? new ResumeRefusedException("run " + id + " has already completed (all " + rs.getInt(2)
                                + " epochs are recorded): there is nothing to resume; 'backprop runs' shows the runs that are interrupted")
                        : new ResumeRefusedException("run " + id + " failed at epoch " + rs.getInt(2) + " (" + rs.getString(3)
                                + "): resuming would fail the same way; train it again with another learning rate"))
                .findOne().ifPresent(refusal -> {
                    throw refusal;
                });
    }

    /** The process writing the run now, as pid@host, if one is. */
    public synchronized Optional<String> liveWriter(long runId) {
        return WriterLease.holder(handle, runId).filter(WriterLease.Holder::alive).map(WriterLease.Holder::process);
    }

    static RunStarted insertStart(Handle writer, RunConfig config, Lineage lineage, Long sweepId, SheetSource source, Instant createdAt) {
        EventHashes hashes = new EventHashes();
        for (int attempt = 0; ; attempt++) {
            long runId = writer.createQuery("SELECT COALESCE(MAX(run_id), 0) + 1 FROM run_started").mapTo(Long.class).one();
            // Whole microseconds, so the instant reads back from the database exactly as it was hashed.
            RunStarted started = new RunStarted(runId, config, lineage, sweepId, createdAt.truncatedTo(ChronoUnit.MICROS), source);
            String json = CanonicalConfig.json(started);
            byte[] initial = EpochCodec.pack(config.initial());
            byte[] hash = hashes.start(json.getBytes(StandardCharsets.UTF_8), initial);
            try {
                writer.createUpdate("""
                        INSERT INTO run_started (run_id, name, learning_rate, epochs, layers, activations, biased, train_biases,
                            sample_count, inputs, targets, initial_parameters, weight_seed, parent_run_id, fork_epoch, sweep_id,
                            config, hash, created_at)
                        VALUES (:id, :name, :rate, :epochs, :layers, :activations, :biased, :trainBiases, :samples, :inputs,
                            :targets, :initial, :seed, :parent, :forkEpoch, :sweep, :config, :hash, :createdAt)""")
                        .bind("id", runId)
                        .bind("name", config.name())
                        .bind("rate", config.learningRate())
                        .bind("epochs", config.epochs())
                        .bind("layers", config.network().shape())
                        .bind("activations", activationList(config.network()))
                        .bind("biased", config.network().biased())
                        .bind("trainBiases", config.network().trainBiases())
                        .bind("samples", config.data().sampleCount())
                        .bind("inputs", EpochCodec.packRows(config.data().inputs()))
                        .bind("targets", EpochCodec.packRows(config.data().targets()))
                        .bind("initial", initial)
                        .bind("seed", config.weightSeed())
                        .bind("parent", lineage == null ? null : lineage.parentRunId())
                        .bind("forkEpoch", lineage == null ? null : lineage.forkEpoch())
                        .bind("sweep", sweepId)
                        .bind("config", json)
                        .bind("hash", hash)
                        .bind("createdAt", OffsetDateTime.ofInstant(started.createdAt(), ZoneOffset.UTC))
                        .execute();
                return started;
            } catch (UnableToExecuteStatementException e) {
                // Another process took this run id first: take the next one.
                if (attempt >= 200 || !isDuplicateKey(e)) {
                    throw e;
                }
            }
        }
    }

    static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static String activationList(Network network) {
        return String.join(",", network.activations().stream().map(Activation::label).toList());
    }

    /** The number of epochs the run has stored. */
    static int storedEpochs(Handle h, long runId) {
        // Ordering by the whole index lets H2 read just its last entry instead of every row of the run.
        return h.createQuery("SELECT last_epoch + 1 FROM epoch_blocks WHERE run_id = :id ORDER BY run_id DESC, last_epoch DESC LIMIT 1")
                .bind("id", runId).mapTo(Integer.class).findOne().orElse(0);
    }

    /** The hash of the run's newest event: its last epoch's, or its start event's when it has no epochs. */
    static byte[] hashOf(Handle h, long runId) {
        Optional<byte[]> lastBlock = h.createQuery("""
                SELECT hashes FROM epoch_blocks WHERE run_id = :id ORDER BY run_id DESC, first_epoch DESC LIMIT 1""")
                .bind("id", runId).mapTo(byte[].class).findOne();
        if (lastBlock.isPresent()) {
            byte[] hashes = lastBlock.get();
            return Arrays.copyOfRange(hashes, hashes.length - EventHashes.LENGTH, hashes.length);
        }
        return h.createQuery("SELECT hash FROM run_started WHERE run_id = :id").bind("id", runId).mapTo(byte[].class).one();
    }

    @Override
    public synchronized RunStarted started(long runId) {
        // Start events never change, so one read per run serves every later question about it.
        RunStarted cached = startedRuns.get(runId);
        if (cached != null) {
            return cached;
        }
        RunStarted started = handle.createQuery("SELECT * FROM run_started WHERE run_id = :id").bind("id", runId)
                .map((rs, ctx) -> readStarted(rs)).findOne()
                .orElseThrow(() -> new UnknownRunException("there is no run " + runId + " in " + location.describe()
                        + ": 'backprop runs' lists the runs"));
        startedRuns.put(runId, started);
        return started;
    }

    /** The start event in the current row of a {@code SELECT * FROM run_started}. */
    public static RunStarted readStarted(ResultSet rs) throws SQLException {
        Network network = network(rs.getString("layers"), rs.getString("activations"), rs.getBoolean("biased"), rs.getBoolean("train_biases"));
        int samples = rs.getInt("sample_count");
        Dataset data = new Dataset(EpochCodec.unpackRows(rs.getBytes("inputs"), samples, network.inputs()),
                EpochCodec.unpackRows(rs.getBytes("targets"), samples, network.outputs()));
        Parameters initial = EpochCodec.unpack(rs.getBytes("initial_parameters"), network.weightCount());
        long seed = rs.getLong("weight_seed");
        Long weightSeed = rs.wasNull() ? null : seed;
        RunConfig config = new RunConfig(rs.getString("name"), network, data, initial, weightSeed,
                rs.getDouble("learning_rate"), rs.getInt("epochs"));
        long parent = rs.getLong("parent_run_id");
        Lineage lineage = rs.wasNull() ? null : new Lineage(parent, rs.getInt("fork_epoch"));
        long sweep = rs.getLong("sweep_id");
        Long sweepId = rs.wasNull() ? null : sweep;
        Instant created = rs.getObject("created_at", OffsetDateTime.class).toInstant();
        // A sheet run's source lives only in its canonical configuration text, which its hash covers.
        return new RunStarted(rs.getLong("run_id"), config, lineage, sweepId, created, CanonicalConfig.source(rs.getString("config")));
    }

    /** The network a run_started row describes: its layers as "2-2-2", its activations as "sigmoid,sigmoid". */
    public static Network network(String layers, String activations, boolean biased, boolean trainBiases) {
        return new Network(Arrays.stream(layers.split("-")).mapToInt(Integer::parseInt).toArray(),
                Arrays.stream(activations.split(",")).map(Activation::parse).toList(), biased, trainBiases);
    }

    @Override
    public synchronized List<EpochRecorded> epochs(long runId, int from, int to) {
        RunStarted started = started(runId);
        EpochCodec codec = EpochCodec.of(started.config());
        StoredEpochs stored = new StoredEpochs(handle.getConnection(), runId, codec.epochBytes());
        List<EpochRecorded> out = new ArrayList<>();
        int expected = Math.max(from, 0);
        try {
            for (StoredEpochs.Row row = stored.nextRow(null, from, to); row != null; row = stored.nextRow(row, from, to)) {
                ByteBuffer payload = ByteBuffer.wrap(row.payload());
                for (int e = Math.max(from, row.first()); e <= Math.min(to, row.last()); e++) {
                    // A row that does not follow on from the last: the epochs between are missing from the store.
                    if (e != expected) {
                        throw DamagedRunException.missingEpoch(runId, expected, epochCount(runId));
                    }
                    payload.position((e - row.first()) * codec.epochBytes());
                    out.add(codec.read(runId, e, payload));
                    expected++;
                }
            }
            if (expected <= to) {
                int count = epochCount(runId);
                if (expected < count) {
                    throw DamagedRunException.missingEpoch(runId, expected, count);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("run " + runId + " cannot be read from " + location.describe() + ": " + firstLine(e.getMessage()), e);
        }
        return out;
    }

    @Override
    public synchronized Optional<RunEvent> ended(long runId) {
        RunStarted started = started(runId);
        int weights = started.config().network().weightCount();
        return handle.createQuery("SELECT * FROM run_ended WHERE run_id = :id").bind("id", runId)
                .map((rs, ctx) -> readEnd(rs, runId, weights)).findOne();
    }

    static RunEvent readEnd(ResultSet rs, long runId, int weights) throws SQLException {
        Instant at = rs.getObject("ended_at", OffsetDateTime.class).toInstant();
        return EventHashes.COMPLETED.equals(rs.getString("status"))
                ? new RunCompleted(runId, rs.getInt("epoch"), EpochCodec.unpack(rs.getBytes("final_parameters"), weights), at)
                : new RunFailed(runId, rs.getInt("epoch"), rs.getString("reason"), at);
    }

    @Override
    public synchronized int epochCount(long runId) {
        return storedEpochs(handle, runId);
    }

    @Override
    public synchronized Parameters parametersAt(long runId, int epoch) {
        RunStarted started = started(runId);
        if (epoch == 0) {
            return started.config().initial();
        }
        EpochCodec codec = EpochCodec.of(started.config());
        StoredEpochs stored = new StoredEpochs(handle.getConnection(), runId, codec.epochBytes());
        try {
            // One index lookup finds the row holding the epoch; its first part holds the parameters of a small epoch.
            StoredEpochs.Row row = epoch < 0 ? null : stored.rowHolding(epoch);
            if (row != null && row.last() >= epoch) {
                return codec.readParameters(ByteBuffer.wrap(stored.slice(row, (epoch - row.first()) * codec.epochBytes(), codec.parameterBytes())));
            }
            int count = epochCount(runId);
            if (epoch >= 0 && epoch < count) {
                throw DamagedRunException.missingEpoch(runId, epoch, count);
            }
            if (epoch == count && count > 0) {
                EpochRecorded last = epochs(runId, count - 1, count - 1).get(0);
                return last.after(started.config().learningRate(), started.config().network().trainBiases());
            }
            throw new UnknownRunException("run " + runId + " has no epoch " + epoch
                    + (count == 0 ? " (it has recorded no epochs yet)" : " (its epochs are 0 to " + (count - 1) + ", and " + count + " is the state after the last)"));
        } catch (SQLException e) {
            throw new StoreException("run " + runId + " cannot be read from " + location.describe() + ": " + firstLine(e.getMessage()), e);
        }
    }

    @Override
    public synchronized long resolve(String idOrName) {
        if (idOrName.matches("[0-9]{1,18}")) {
            long id = Long.parseLong(idOrName);
            if (handle.createQuery("SELECT COUNT(*) FROM run_started WHERE run_id = :id").bind("id", id).mapTo(Integer.class).one() == 1) {
                return id;
            }
        }
        List<Long> ids = handle.createQuery("SELECT run_id FROM run_started WHERE name = :name ORDER BY run_id")
                .bind("name", idOrName).mapTo(Long.class).list();
        if (ids.size() == 1) {
            return ids.get(0);
        }
        if (ids.isEmpty()) {
            throw new UnknownRunException("there is no run '" + idOrName + "' in " + location.describe() + ": 'backprop runs' lists the runs");
        }
        throw new UnknownRunException("the name '" + idOrName + "' belongs to runs " + ids + ": give the run id instead");
    }

    @Override
    public synchronized long newSweep(boolean chained) {
        return handle.createUpdate("INSERT INTO sweeps (chained, created_at) VALUES (:chained, :at)")
                .bind("chained", chained)
                .bind("at", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS))
                .executeAndReturnGeneratedKeys("sweep_id").mapTo(Long.class).one();
    }

    @Override
    public synchronized List<Long> sweepRuns(long sweepId) {
        return handle.createQuery("SELECT run_id FROM run_started WHERE sweep_id = :sweep ORDER BY run_id")
                .bind("sweep", sweepId).mapTo(Long.class).list();
    }

    /** Whether the sweep was chained (each run from the previous one's final weights); empty when there is no such sweep. */
    public synchronized Optional<Boolean> sweepChained(long sweepId) {
        return handle.createQuery("SELECT chained FROM sweeps WHERE sweep_id = :sweep").bind("sweep", sweepId)
                .mapTo(Boolean.class).findOne();
    }

    @Override
    public synchronized List<Long> runIds() {
        return StoredEvents.runIds(handle);
    }

    @Override
    public synchronized StoredRun stored(long runId) {
        return StoredEvents.stored(handle, started(runId));
    }

    @Override
    public synchronized void forEachBlock(long runId, Consumer<EpochBlock> action) {
        RunStarted started = started(runId);
        int epochBytes = EpochCodec.of(started.config()).epochBytes();
        StoredEvents.forEachBlock(handle, runId, epochBytes, action);
    }

    @Override
    public RunStarted importRun(RunStarted original, Iterator<RunEvent> rest) {
        try (Handle writer = jdbi.open()) {
            return RunImporter.importRun(writer, original, rest);
        }
    }

    /** Every run, oldest first, as the {@code runs} view shows them. */
    public synchronized List<RunSummary> runs() {
        return handle.createQuery("SELECT * FROM runs ORDER BY run_id").map((rs, ctx) -> {
            long parent = rs.getLong("parent_run_id");
            Long parentId = rs.wasNull() ? null : parent;
            int fork = rs.getInt("fork_epoch");
            Integer forkEpoch = rs.wasNull() ? null : fork;
            long sweep = rs.getLong("sweep_id");
            Long sweepId = rs.wasNull() ? null : sweep;
            return new RunSummary(rs.getLong("run_id"), rs.getString("name"), rs.getDouble("learning_rate"), rs.getInt("epochs"),
                    rs.getString("status"), parentId, forkEpoch, rs.getObject("created_at", OffsetDateTime.class), sweepId,
                    rs.getString("layers"), rs.getInt("epochs_recorded"), rs.getString("reason"));
        }).list();
    }

    /**
     * Runs one query on a connection of the read-only user, so nothing it says can change the store; statements
     * other than queries are refused before they reach the database.
     */
    public QueryResult query(String sql) {
        String trimmed = sql.strip();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        if (trimmed.isEmpty()) {
            throw new InvalidQueryException("the query is empty: give one SELECT statement, such as \"SELECT * FROM runs\"");
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return readOnly(trimmed);
            } catch (SQLException e) {
                // A query is safe to run again when the process serving the store closed it under this one.
                if (!BlockWriter.isConnectionLost(e) || attempt == 40) {
                    throw new InvalidQueryException(describeQueryError(e));
                }
                pause(e);
            }
        }
    }

    private QueryResult readOnly(String trimmed) throws SQLException {
        try (Connection c = Schema.connect(location.url(), Schema.READER, Schema.READER_PASSWORD)) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                if (!s.execute(trimmed)) {
                    c.rollback();
                    throw new InvalidQueryException("only queries are allowed, and this statement changes the store: give a SELECT");
                }
                try (ResultSet rs = s.getResultSet()) {
                    ResultSetMetaData md = rs.getMetaData();
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        columns.add(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
                    }
                    List<List<Object>> rows = new ArrayList<>();
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>(columns.size());
                        for (int i = 1; i <= columns.size(); i++) {
                            row.add(rs.getObject(i));
                        }
                        rows.add(Collections.unmodifiableList(row));
                    }
                    return new QueryResult(columns, rows);
                }
            } finally {
                c.rollback();
            }
        }
    }

    /** Waits a moment before trying a store again that was passing from one process to another. */
    private static void pause(SQLException e) {
        try {
            Thread.sleep(250);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store: " + firstLine(e.getMessage()), e);
        }
    }

    private static String describeQueryError(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = firstLine(e.getMessage());
        if (state.equals("90096") || message.startsWith("Not enough rights")) {
            return "the query tries to change the store, and the sql command only reads: give a SELECT (" + message + ")";
        }
        return "the query is not valid SQL for this store: " + message;
    }

    @Override
    public synchronized void close() {
        try {
            handle.close();
        } finally {
            // Jdbi leaves a connection it was given open; the database closes with the last one.
            try {
                connection.close();
            } catch (SQLException e) {
                // Closing only lets go: everything was committed. It fails when the process serving the store has
                // gone and H2 tries to reconnect only to say goodbye, which nobody needs to hear about.
            }
        }
    }

    private static Connection connectApp(StoreLocation location, boolean create) throws SQLException, java.io.IOException {
        if (!location.exists()) {
            if (!create) {
                throw new StoreException("there is no store at " + location.describe() + " (nothing was created): give the --db of an"
                        + " existing store, or record a run there first with 'backprop train --db " + location.file() + "'");
            }
            var parent = location.file().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new StoreException("the folder " + parent + " does not exist: create it or give another --db path");
            }
            createFile(location);
        }
        Connection app;
        try {
            app = connectAppUser(location);
        } catch (SQLException e) {
            // A server URL naming a store the server does not have yet: create it there, as a file path would.
            boolean missing = e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_NOT_FOUND_WITH_IF_EXISTS_1
                    || e.getErrorCode() == org.h2.api.ErrorCode.REMOTE_DATABASE_NOT_FOUND_1;
            if (location.file() == null && missing) {
                if (!create) {
                    throw new StoreException("there is no store " + location.describe() + " (nothing was created): check the name after"
                            + " the port, or record a run there first with 'backprop train --db " + location.url() + "'", e);
                }
                return create(location);
            }
            throw notAStore(location, e);
        }
        int version = Schema.version(app);
        if (version > Schema.CURRENT_VERSION) {
            app.close();
            throw new StoreException("the store " + location.describe() + " was written by a newer backprop (schema " + version
                    + ", this program knows up to " + Schema.CURRENT_VERSION + "): use a newer backprop or another --db");
        }
        if (version < Schema.CURRENT_VERSION) {
            Schema.migrate(location.url());
        }
        Schema.writeCommitsAtOnce(location.url());
        return app;
    }

    /**
     * Creates a file store whole or not at all: it is set up under a temporary name and then linked into place, so a
     * process killed meanwhile leaves no half-made store behind, and of two processes creating it at once one wins.
     */
    private static void createFile(StoreLocation location) throws SQLException, java.io.IOException {
        Path folder = location.file().toAbsolutePath().getParent();
        String name = location.file().getFileName().toString();
        removeAbandonedCreations(folder, name);
        Path temporary = folder.resolve(name + CREATING + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Path temporaryData = Path.of(temporary + ".mv.db");
        try {
            String url = "jdbc:h2:file:" + temporary;
            try (Connection owner = Schema.connect(url, Schema.OWNER, Schema.OWNER_PASSWORD); Statement s = owner.createStatement()) {
                Schema.migrate(url);
                s.execute("SHUTDOWN");
            }
            try {
                Files.createLink(location.dataFile(), temporaryData);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Another process created the store first: use that one.
            } catch (UnsupportedOperationException | java.io.IOException e) {
                if (!Files.exists(location.dataFile())) {
                    Files.move(temporaryData, location.dataFile());
                }
            }
        } finally {
            Files.deleteIfExists(temporaryData);
            Files.deleteIfExists(Path.of(temporary + ".trace.db"));
        }
    }

    private static final String CREATING = ".creating-";

    /** Deletes the temporary files of creations whose process was killed before it could link the store into place. */
    private static void removeAbandonedCreations(Path folder, String name) throws java.io.IOException {
        try (var files = Files.newDirectoryStream(folder, name + CREATING + "*.mv.db")) {
            for (Path f : files) {
                String rest = f.getFileName().toString().substring((name + CREATING).length());
                int dash = rest.indexOf('-');
                if (dash > 0 && rest.substring(0, dash).matches("[0-9]{1,18}")
                        && ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).isEmpty()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /**
     * The application's connection to a store that exists. Two passing states are waited out for a few seconds: the
     * process serving the store is closing it and another is taking over (AUTO_SERVER), and through a server, a store
     * another process is creating exists before its users do.
     */
    private static Connection connectAppUser(StoreLocation location) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Schema.connect(ifExists(location.url()), Schema.APP, Schema.APP_PASSWORD);
            } catch (SQLException e) {
                boolean passing = BlockWriter.isConnectionLost(e) || location.file() == null && "28000".equals(e.getSQLState());
                if (!passing || attempt == 40) {
                    throw e;
                }
                pause(e);
            }
        }
    }

    /** Owner first, so the database is created with the owner as its admin and the app as a restricted user. */
    private static Connection create(StoreLocation location) throws SQLException {
        try (Connection owner = Schema.connect(location.url(), Schema.OWNER, Schema.OWNER_PASSWORD)) {
            Schema.migrate(location.url());
            Schema.writeCommitsAtOnce(location.url());
            return Schema.connect(location.url(), Schema.APP, Schema.APP_PASSWORD);
        }
    }

    private static String ifExists(String url) {
        return url.contains(";IFEXISTS=") ? url : url + ";IFEXISTS=TRUE";
    }

    private static StoreException notAStore(StoreLocation location, SQLException e) {
        // 28000: the file is an H2 database, but not one with backprop's users; anything else: not H2 at all.
        String why = "28000".equals(e.getSQLState()) ? "it is an H2 database but not a backprop store"
                : location.file() != null ? "it is not an H2 database file" : firstLine(e.getMessage());
        return new StoreException(location.describe() + " is not a backprop store (" + why + "): give another --db path", e);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.replaceAll(" \\[[0-9-]+\\]$", "").replaceAll("; SQL statement:$", "");
    }
}
