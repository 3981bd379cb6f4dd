package org.backprop.store.h2;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.backprop.events.CanonicalConfig;
import org.backprop.events.EndedRuns;
import org.backprop.events.EpochCodec;
import org.backprop.events.EventHashes;
import org.backprop.events.ImportOrigin;
import org.backprop.events.Lineage;
import org.backprop.events.PackedRecorder;
import org.backprop.events.RunEvent;
import org.backprop.events.RunRecorder;
import org.backprop.events.RunStarted;
import org.backprop.events.SheetSource;
import org.backprop.events.StoreFaultException;
import org.backprop.model.RunConfig;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Starting, resuming and importing runs: the start event and the writer's claim, then a recorder whose blocks a
 * {@link BlockWriter} commits through a connection of the run's own.
 */
final class RunRecording {
    /** About how many bytes of whole epochs one row of {@code epoch_blocks} holds, so reading one epoch reads little else. */
    static final int ROW_BYTES = 64 * 1024;

    private final Jdbi jdbi;
    private final String where;
    /**
     * One transaction at a time writes the store from this process. H2 2.3.232 can write a file whose chunks overlap
     * ("Double mark", h2database#2752) when sessions of one database commit at once with WRITE_DELAY 0: a parallel
     * sweep recorded after a worker's runs left such a file 4 to 7 times in 40 repetitions, never in 40 when its runs'
     * commits took turns (ConcurrentCommitsTest repeats it).
     */
    private final ReentrantLock writeTurn = new ReentrantLock();

    RunRecording(Jdbi jdbi, String where) {
        this.jdbi = jdbi;
        this.where = where;
    }

    RunRecorder start(RunConfig config, Lineage lineage, Long sweepId, SheetSource source) {
        for (int attempt = 0; ; attempt++) {
            RunStarted[] tried = new RunStarted[1];
            Handle writer = null;
            try {
                writer = jdbi.open();
                // The start event and the writer's claim commit together, so the run never looks interrupted.
                Handle opened = writer;
                RunStarted started = inTurn(() -> opened.inTransaction(h -> {
                    RunStarted s = insertStart(h, config, lineage, sweepId, source, Instant.now());
                    tried[0] = s;
                    new WriterLease(s.runId()).acquire(h);
                    return s;
                }));
                return recorder(writer, new WriterLease(started.runId()), started, 0);
            } catch (RuntimeException e) {
                if (writer != null) {
                    BlockWriter.closeQuietly(writer);
                }
                StoreFaultException fault = H2Errors.faultOf(e, where, "train the run again (nothing of it was recorded)");
                if (fault != null) {
                    throw fault;
                }
                // The process serving the store went away (AUTO_SERVER): start again, or carry on with the start
                // event if it was committed before the connection broke.
                if (!H2Errors.isConnectionLost(e) || attempt == 40) {
                    throw e;
                }
                H2Errors.pause(new SQLException(e.getMessage(), e));
                if (tried[0] != null && isStored(tried[0])) {
                    return resume(tried[0]);
                }
            }
        }
    }

    private PackedRecorder recorder(Handle writer, WriterLease lease, RunStarted started, int nextEpoch) {
        return new PackedRecorder(new BlockWriter(writer, jdbi::open, lease, started.runId(), where, writeTurn), true, started, nextEpoch,
                hashOf(writer, started.runId()), ROW_BYTES);
    }

    private <T> T inTurn(Supplier<T> transaction) {
        writeTurn.lock();
        try {
            return transaction.get();
        } finally {
            writeTurn.unlock();
        }
    }

    /** True when the store holds exactly this start event (its hash covers its id, time and configuration). */
    private boolean isStored(RunStarted started) {
        byte[] hash = new EventHashes().start(started);
        try (Handle h = jdbi.open()) {
            return h.createQuery("SELECT hash FROM run_started WHERE run_id = :id").bind("id", started.runId())
                    .mapTo(byte[].class).findOne().map(stored -> Arrays.equals(stored, hash)).orElse(false);
        }
    }

    /** A recorder that carries on after the last stored epoch of a run without a terminal event or a live writer. */
    RunRecorder resume(RunStarted started) {
        long runId = started.runId();
        Handle writer = jdbi.open();
        try {
            WriterLease lease = new WriterLease(runId);
            inTurn(() -> writer.inTransaction(h -> {
                refuseIfEnded(h, started);
                lease.acquire(h);
                return null;
            }));
            return recorder(writer, lease, started, storedEpochs(writer, runId));
        } catch (RuntimeException e) {
            BlockWriter.closeQuietly(writer);
            throw e;
        }
    }

    private static void refuseIfEnded(Handle h, RunStarted started) {
        long id = started.runId();
        int weights = started.config().network().weightCount();
        h.createQuery("SELECT * FROM run_ended WHERE run_id = :id").bind("id", id)
                .map((rs, ctx) -> {
                    RunEvent end;
                    try {
                        end = RunReads.readEnd(rs, id, weights);
                    } catch (RuntimeException unreadable) {
                        end = null;
                    }
                    return EndedRuns.refusal(id, end, rs.getString("status"), rs.getInt("epoch"), rs.getString("reason"), rs.getBytes("hash"),
                            hashOf(h, id), storedEpochs(h, id));
                })
                .findOne().ifPresent(refusal -> {
                    throw refusal;
                });
    }

    RunStarted importRun(RunStarted original, Iterator<RunEvent> rest, ImportOrigin origin) {
        try (Handle writer = jdbi.open()) {
            return RunImporter.importRun(writer, original, rest, origin, where);
        }
    }

    static RunStarted insertStart(Handle writer, RunConfig config, Lineage lineage, Long sweepId, SheetSource source, Instant createdAt) {
        return insertStart(writer, config, lineage, sweepId, source, null, createdAt);
    }

    static RunStarted insertStart(Handle writer, RunConfig config, Lineage lineage, Long sweepId, SheetSource source, ImportOrigin origin,
                                  Instant createdAt) {
        EventHashes hashes = new EventHashes();
        for (int attempt = 0; ; attempt++) {
            long runId = writer.createQuery("SELECT COALESCE(MAX(run_id), 0) + 1 FROM run_started").mapTo(Long.class).one();
            // Whole microseconds, so the instant reads back from the database exactly as it was hashed.
            RunStarted started = new RunStarted(runId, config, lineage, sweepId, createdAt.truncatedTo(ChronoUnit.MICROS), source, origin);
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
                        .bind("activations", StartedRows.activations(config.network()))
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
                if (attempt >= 200 || !H2Errors.isDuplicateKey(e)) {
                    throw e;
                }
            }
        }
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
}
