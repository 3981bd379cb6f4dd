package org.backprop.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.function.Consumer;
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
import org.backprop.events.StoredRun;
import org.backprop.events.UnknownRunException;
import org.backprop.model.Activation;
import org.backprop.model.Dataset;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
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
    private final Handle handle;
    private final java.util.Map<Long, RunStarted> startedRuns = new java.util.HashMap<>();

    private RunStore(StoreLocation location, Jdbi jdbi, Handle handle) {
        this.location = location;
        this.jdbi = jdbi;
        this.handle = handle;
    }

    /** Opens the store, creating it on first use and migrating an older schema; refuses a file that is not a store. */
    public static RunStore open(StoreLocation location) {
        Connection app;
        try {
            app = connectApp(location);
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("the store " + location.describe() + " cannot be opened: " + firstLine(e.getMessage()), e);
        }
        NamedParameters parser = new NamedParameters();
        Jdbi jdbi = Jdbi.create(() -> Schema.connect(location.url(), Schema.APP, Schema.APP_PASSWORD));
        // The store's SQL has no templates; Jdbi's default template engine and parser would load ANTLR at start-up.
        jdbi.getConfig(SqlStatements.class).setSqlParser(parser).setTemplateEngine(TemplateEngine.NOP);
        Jdbi shared = Jdbi.create(app);
        shared.getConfig(SqlStatements.class).setSqlParser(parser).setTemplateEngine(TemplateEngine.NOP);
        return new RunStore(location, jdbi, shared.open());
    }

    /** A new connection of the application's user, for a second writer in tests. */
    Handle writerHandle() {
        return jdbi.open();
    }

    public StoreLocation location() {
        return location;
    }

    @Override
    public RunRecorder start(RunConfig config, Lineage lineage, Long sweepId) {
        Handle writer = jdbi.open();
        try {
            RunStarted started = insertStart(writer, config, lineage, sweepId);
            return new BlockRecorder(writer, started, 0, hashOf(writer, started.runId()));
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    private static RunStarted insertStart(Handle writer, RunConfig config, Lineage lineage, Long sweepId) {
        return insertStart(writer, config, lineage, sweepId, Instant.now());
    }

    static RunStarted insertStart(Handle writer, RunConfig config, Lineage lineage, Long sweepId, Instant createdAt) {
        EventHashes hashes = new EventHashes();
        for (int attempt = 0; ; attempt++) {
            long runId = writer.createQuery("SELECT COALESCE(MAX(run_id), 0) + 1 FROM run_started").mapTo(Long.class).one();
            // Whole microseconds, so the instant reads back from the database exactly as it was hashed.
            RunStarted started = new RunStarted(runId, config, lineage, sweepId, createdAt.truncatedTo(ChronoUnit.MICROS));
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
                if (attempt >= 20 || !isDuplicateKey(e)) {
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
        int[] layers = Arrays.stream(rs.getString("layers").split("-")).mapToInt(Integer::parseInt).toArray();
        List<Activation> activations = Arrays.stream(rs.getString("activations").split(",")).map(Activation::parse).toList();
        Network network = new Network(layers, activations, rs.getBoolean("biased"), rs.getBoolean("train_biases"));
        int samples = rs.getInt("sample_count");
        Dataset data = new Dataset(unpackRows(rs.getBytes("inputs"), samples, network.inputs()),
                unpackRows(rs.getBytes("targets"), samples, network.outputs()));
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
        return new RunStarted(rs.getLong("run_id"), config, lineage, sweepId, created);
    }

    static double[][] unpackRows(byte[] bytes, int rows, int width) {
        DoubleBuffer d = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        double[][] out = new double[rows][width];
        for (double[] row : out) {
            d.get(row);
        }
        return out;
    }

    @Override
    public synchronized List<EpochRecorded> epochs(long runId, int from, int to) {
        RunStarted started = started(runId);
        EpochCodec codec = new EpochCodec(started.config().network(), started.config().data().sampleCount());
        StoredEpochs stored = new StoredEpochs(handle.getConnection(), runId, codec.epochBytes());
        List<EpochRecorded> out = new ArrayList<>();
        try {
            for (int[] key : stored.rowKeys(from, to)) {
                StoredEpochs.Row row = stored.row(key[0]);
                ByteBuffer payload = ByteBuffer.wrap(row.payload());
                for (int e = Math.max(from, row.first()); e <= Math.min(to, row.last()); e++) {
                    payload.position((e - row.first()) * codec.epochBytes());
                    out.add(codec.read(runId, e, payload));
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
        return "completed".equals(rs.getString("status"))
                ? new RunCompleted(runId, rs.getInt("epoch"), EpochCodec.unpack(rs.getBytes("final_parameters"), weights), at)
                : new RunFailed(runId, rs.getInt("epoch"), rs.getString("reason"), at);
    }

    @Override
    public synchronized int epochCount(long runId) {
        // Ordering by the whole index lets H2 read just its last entry instead of every row of the run.
        return handle.createQuery("SELECT last_epoch + 1 FROM epoch_blocks WHERE run_id = :id ORDER BY run_id DESC, last_epoch DESC LIMIT 1")
                .bind("id", runId).mapTo(Integer.class).findOne().orElse(0);
    }

    @Override
    public synchronized Parameters parametersAt(long runId, int epoch) {
        RunStarted started = started(runId);
        if (epoch == 0) {
            return started.config().initial();
        }
        EpochCodec codec = new EpochCodec(started.config().network(), started.config().data().sampleCount());
        StoredEpochs stored = new StoredEpochs(handle.getConnection(), runId, codec.epochBytes());
        try {
            // One index lookup finds the row holding the epoch; its first part holds the parameters of a small epoch.
            StoredEpochs.Row row = epoch < 0 ? null : stored.rowHolding(epoch);
            if (row != null && row.last() >= epoch) {
                int bytes = (started.config().network().weightCount() + started.config().network().biasCount()) * Double.BYTES;
                return codec.readParameters(ByteBuffer.wrap(stored.slice(row, (epoch - row.first()) * codec.epochBytes(), bytes)));
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
        int epochBytes = new EpochCodec(started.config().network(), started.config().data().sampleCount()).epochBytes();
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
        } catch (SQLException e) {
            throw new InvalidQueryException(describeQueryError(e));
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
        handle.close();
    }

    private static Connection connectApp(StoreLocation location) throws SQLException, java.io.IOException {
        if (!location.exists()) {
            var parent = location.file().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new StoreException("the folder " + parent + " does not exist: create it or give another --db path");
            }
            // Owner first, so the database is created with the owner as its admin and the app as a restricted user.
            try (Connection owner = Schema.connect(location.url(), Schema.OWNER, Schema.OWNER_PASSWORD)) {
                Schema.migrate(location.url());
                return Schema.connect(location.url(), Schema.APP, Schema.APP_PASSWORD);
            } catch (SQLException | RuntimeException e) {
                // A store that could not be set up whole is removed, never left half-made.
                Files.deleteIfExists(location.dataFile());
                throw e;
            }
        }
        Connection app;
        try {
            app = Schema.connect(ifExists(location.url()), Schema.APP, Schema.APP_PASSWORD);
        } catch (SQLException e) {
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
        return app;
    }

    private static String ifExists(String url) {
        return url.contains(";IFEXISTS=") ? url : url + ";IFEXISTS=TRUE";
    }

    private static StoreException notAStore(StoreLocation location, SQLException e) {
        // 28000: the file is an H2 database, but not one with backprop's users; anything else: not H2 at all.
        String why = "28000".equals(e.getSQLState()) ? "it is an H2 database but not a backprop store" : firstLine(e.getMessage());
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
