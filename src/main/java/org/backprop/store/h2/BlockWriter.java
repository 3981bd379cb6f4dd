package org.backprop.store.h2;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.backprop.events.BlockSink;
import org.backprop.events.ConcurrentAppendException;
import org.backprop.events.PackedRecorder;
import org.backprop.events.ResumeRefusedException;
import org.backprop.events.RunEnding;
import org.backprop.events.SealedBlock;
import org.backprop.events.StoreException;
import org.backprop.events.StoreFaultException;
import org.backprop.events.StoreLostException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Writes one run's sealed rows through one connection: several rows a transaction, committed once
 * {@value #COMMIT_BYTES} bytes wait or {@link PackedRecorder#COMMIT_NANOS} after the last commit. Each commit confirms the run's
 * {@link WriterLease}; when the connection breaks (the process serving the store exited) it reconnects and carries on
 * where the store is. One thread uses it at a time.
 */
final class BlockWriter implements BlockSink {
    static final int PART_BYTES = 256 * 1024;
    /** Below H2's write buffer: a bigger transaction has its pages written twice, once uncommitted (see the README). */
    static final int COMMIT_BYTES = 4 * 1024 * 1024;
    /** Tries to reach the store again after a broken connection, over about {@value #RECONNECT_SECONDS} seconds. */
    static final int RECONNECT_SECONDS = 60;

    private volatile Handle handle;
    private final Supplier<Handle> reconnect;
    private final WriterLease lease;
    private final long runId;
    /** The store, as messages name it. */
    private final String where;
    /** Taken for every transaction: the turn this store's writers in this process take one after another (RunRecording). */
    private final Lock turn;
    private final List<SealedBlock> pending = new ArrayList<>();
    private long pendingBytes;
    private long lastCommit = System.nanoTime();

    /**
     * @param reconnect opens a new connection when this one breaks, or null to give up at once
     * @param lease the run's writer claim, confirmed with every commit and given up at the end, or null for none
     */
    BlockWriter(Handle handle, Supplier<Handle> reconnect, WriterLease lease, long runId, String where) {
        this(handle, reconnect, lease, runId, where, new ReentrantLock());
    }

    /** The same, its transactions taking {@code turn} with the other writers that share it. */
    BlockWriter(Handle handle, Supplier<Handle> reconnect, WriterLease lease, long runId, String where, Lock turn) {
        this.turn = turn;
        this.where = where;
        this.handle = handle;
        this.reconnect = reconnect;
        this.lease = lease;
        this.runId = runId;
    }

    Handle handle() {
        return handle;
    }

    @Override
    public void add(SealedBlock block) {
        pending.add(block);
        pendingBytes += block.payload().length;
        if (pendingBytes >= COMMIT_BYTES) {
            commit();
        } else {
            commitIfDue();
        }
    }

    @Override
    public void commitIfDue() {
        if (nanosUntilDue() <= 0) {
            commit();
        }
    }

    @Override
    public long nanosUntilDue() {
        return pending.isEmpty() ? PackedRecorder.COMMIT_NANOS : lastCommit + PackedRecorder.COMMIT_NANOS - System.nanoTime();
    }

    /** Commits the waiting rows now, in one transaction. */
    @Override
    public void commit() {
        if (!pending.isEmpty()) {
            write((h, retry) -> {
                if (retry) {
                    dropStoredBlocks(h);
                }
                confirmLease(h);
                insert(h);
            });
            pending.clear();
            pendingBytes = 0;
        }
        lastCommit = System.nanoTime();
    }

    private void insert(Handle h) {
        PreparedBatch batch = h.prepareBatch("""
                INSERT INTO epoch_blocks (run_id, first_epoch, last_epoch, payload, hashes)
                VALUES (:run, :first, :last, :payload, :hashes)""");
        PreparedBatch parts = h.prepareBatch("INSERT INTO epoch_parts (run_id, epoch, part, payload) VALUES (:run, :epoch, :part, :payload)");
        boolean anyParts = false;
        for (SealedBlock b : pending) {
            byte[] payload = b.payload();
            // An epoch over PART_BYTES keeps its first part here and the rest in epoch_parts (see schema 5).
            byte[] head = payload.length > PART_BYTES ? Arrays.copyOf(payload, PART_BYTES) : payload;
            batch.bind("run", runId).bind("first", b.first()).bind("last", b.last())
                    .bind("payload", head).bind("hashes", b.hashes()).add();
            for (int from = PART_BYTES, n = 1; payload.length > PART_BYTES && from < payload.length; from += PART_BYTES, n++) {
                parts.bind("run", runId).bind("epoch", b.first()).bind("part", n)
                        .bind("payload", Arrays.copyOfRange(payload, from, Math.min(payload.length, from + PART_BYTES))).add();
                anyParts = true;
            }
        }
        if (!pending.isEmpty()) {
            batch.execute();
        }
        if (anyParts) {
            parts.execute();
        }
    }

    /** Records the run's terminal event, whose hash the recorder computed, and gives up the lease with it. */
    @Override
    public void end(RunEnding ending) {
        commit();
        byte[] hash = ending.hash();
        write((h, retry) -> {
            if (retry) {
                Optional<byte[]> there = h.createQuery("SELECT hash FROM run_ended WHERE run_id = :run")
                        .bind("run", runId).mapTo(byte[].class).findOne();
                if (there.isPresent()) {
                    if (!Arrays.equals(there.get(), hash)) {
                        throw new ConcurrentAppendException("run " + runId + " was ended by someone else while this process was reconnecting: the store was written behind backprop's back");
                    }
                    return;
                }
            }
            // A reconnection after the last commit gave this writer a new session, which must hold the lease to end the run.
            confirmLease(h);
            h.createUpdate("""
                        INSERT INTO run_ended (run_id, status, epoch, reason, final_parameters, hash, ended_at)
                        VALUES (:run, :status, :epoch, :reason, :final, :hash, :at)""")
                    .bind("run", runId).bind("status", ending.status()).bind("epoch", ending.epoch()).bind("reason", ending.reason())
                    .bind("final", ending.finalParameters()).bind("hash", hash).bind("at", OffsetDateTime.ofInstant(ending.at(), ZoneOffset.UTC))
                    .execute();
            if (lease != null) {
                lease.release(h);
            }
        }, true);
    }

    @Override
    public void commitAndRelease() {
        commit();
        if (lease != null) {
            write((h, retry) -> lease.release(h));
        }
    }

    @Override
    public void close() {
        closeQuietly(handle);
    }

    /** One transaction's work; {@code retry} is true when an earlier try may have been committed before the connection broke. */
    @FunctionalInterface
    private interface Work {
        void run(Handle h, boolean retry);
    }

    /**
     * Runs the work in one transaction. When the connection breaks it reconnects (backing off, for about
     * {@value #RECONNECT_SECONDS} seconds) and runs it again; any other failure is thrown.
     */
    private void write(Work work) {
        write(work, false);
    }

    /** As {@link #write(Work)}; {@code ending} says the work records the run's end event. */
    private void write(Work work, boolean ending) {
        RuntimeException lost = null;
        long deadline = System.nanoTime() + RECONNECT_SECONDS * 1_000_000_000L;
        for (int attempt = 0; ; attempt++) {
            try {
                if (lost != null) {
                    reopen(attempt);
                }
                boolean retry = lost != null;
                turn.lock();
                try {
                    handle.useTransaction((HandleConsumer<RuntimeException>) h -> work.run(h, retry));
                } finally {
                    turn.unlock();
                }
                return;
            } catch (RuntimeException e) {
                if (reconnect == null || !H2Errors.isConnectionLost(e) || System.nanoTime() > deadline) {
                    throw translate(e, lost, ending);
                }
                lost = e;
            }
        }
    }

    /** Lets go of a connection; one that broke, or whose database closed under it, cannot say goodbye, and need not. */
    static void closeQuietly(Handle h) {
        try {
            h.close();
        } catch (RuntimeException ignored) {
            // Everything worth keeping was committed or is lost already: closing only tidies up.
        }
    }

    private void reopen(int attempt) {
        closeQuietly(handle);
        try {
            Thread.sleep(Math.min(2000L, 50L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while reconnecting to the store for run " + runId, e);
        }
        handle = reconnect.get();
    }

    private RuntimeException translate(RuntimeException e, RuntimeException lost, boolean ending) {
        if (e instanceof ConcurrentAppendException || e instanceof StoreException || e instanceof StoreFaultException) {
            return e;
        }
        StoreFaultException fault = H2Errors.faultOf(e, where, "'backprop resume " + runId + "' (what was committed before is kept)");
        if (fault != null) {
            return fault;
        }
        String message = String.valueOf(e.getMessage());
        if (message.contains("has ended: no epochs can be appended") || ending && H2Errors.isDuplicateKey(e)) {
            return new ConcurrentAppendException("run " + runId + " was ended by someone else: the store holds an end event this"
                    + " process did not write, so the store was written behind backprop's back; 'backprop verify " + runId
                    + "' says what it holds", e);
        }
        if (H2Errors.isDuplicateKey(e) || message.contains("expects epoch")) {
            return new ConcurrentAppendException("someone else appended to run " + runId + " while this process was writing it"
                    + (pending.isEmpty() ? "" : " (this process expected epoch " + pending.get(0).first() + " to be next)")
                    + ", so the store was written behind backprop's back; 'backprop verify " + runId + "' says what it holds", e);
        }
        if (message.contains("only the session holding")) {
            return new ConcurrentAppendException("run " + runId + " was taken over by another writer while this process was writing"
                    + " it: the store refused this process's epochs; 'backprop runs' shows who writes it", e);
        }
        if (H2Errors.isConnectionLost(e) && lost != null) {
            return new StoreLostException("the connection to the store broke while recording run " + runId
                    + " and could not be made again within " + RECONNECT_SECONDS + " s: the run is interrupted; 'backprop resume "
                    + runId + "' continues it once the store is reachable", e);
        }
        return e;
    }

    /**
     * After a broken connection: the waiting rows the store already holds (the commit went through before the
     * connection broke) are dropped, once their hashes are seen to be this writer's.
     */
    private void dropStoredBlocks(Handle h) {
        int stored = RunRecording.storedEpochs(h, runId);
        int first = pending.get(0).first();
        if (stored < first) {
            throw new StoreException("the store lost epochs " + stored + " to " + (first - 1) + " of run " + runId
                    + " when the process serving it stopped: the run is interrupted; 'backprop resume " + runId
                    + "' computes them again");
        }
        while (!pending.isEmpty() && pending.get(0).first() < stored) {
            SealedBlock b = pending.get(0);
            Optional<byte[]> there = h.createQuery("SELECT hashes FROM epoch_blocks WHERE run_id = :run AND first_epoch = :first")
                    .bind("run", runId).bind("first", b.first()).mapTo(byte[].class).findOne();
            if (there.isEmpty() || !Arrays.equals(there.get(), b.hashes())) {
                throw new ConcurrentAppendException("another writer appended to run " + runId + " while this one was reconnecting");
            }
            pending.remove(0);
            pendingBytes -= b.payload().length;
        }
    }

    private void confirmLease(Handle h) {
        if (lease == null) {
            return;
        }
        try {
            lease.confirm(h);
        } catch (ResumeRefusedException e) {
            throw new ConcurrentAppendException("run " + runId + " was taken over by another writer: " + e.getMessage(), e);
        }
    }
}
