package org.backprop.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/**
 * The event store port held in memory, for unit tests of what sits above the port: runs are packed and hashed by the
 * same {@link PackedRecorder} as in a real store, so replay, verify, diff and sweeps work on them unchanged. It has no
 * SQL, and a run's writer is this process for as long as its recorder is open.
 */
public final class InMemoryEventStore implements EventStore {
    private static final int ROW_BYTES = 64 * 1024;

    private final Map<Long, Run> runs = new TreeMap<>();
    private final Map<Long, SweepRecord> sweeps = new TreeMap<>();
    private final UUID storeId = UUID.randomUUID();
    private final List<JournalEntry> journal = new ArrayList<>();

    /** Journals a stored thing as a real store's trigger does. */
    private void journal(JournalEntry.Kind kind, long runId, long sweepId, int first, int last, int events, byte[] eventHash) {
        JournalEntry head = journal.isEmpty() ? null : journal.get(journal.size() - 1);
        long seq = head == null ? 1 : head.seq() + 1;
        long total = (head == null ? 0 : head.totalEvents()) + events;
        byte[] chain = StoreJournal.chain(head == null ? StoreJournal.origin(storeId) : head.chain(), seq, kind, runId, sweepId, first, last,
                events, total, eventHash);
        journal.add(new JournalEntry(seq, kind, runId, sweepId, first, last, events, total, eventHash, chain));
    }

    private static final class Run {
        final RunStarted started;
        final String config;
        final byte[] startHash;
        final List<SealedBlock> blocks = new ArrayList<>();
        RunEnding ending;
        boolean writing;

        Run(RunStarted started, String config, byte[] startHash) {
            this.started = started;
            this.config = config;
            this.startHash = startHash;
        }

        int epochCount() {
            return blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).last() + 1;
        }

        byte[] lastHash() {
            if (blocks.isEmpty()) {
                return startHash.clone();
            }
            byte[] hashes = blocks.get(blocks.size() - 1).hashes();
            return java.util.Arrays.copyOfRange(hashes, hashes.length - EventHashes.LENGTH, hashes.length);
        }
    }

    @Override
    public String describe() {
        return "an in-memory store";
    }

    @Override
    public synchronized RunRecorder start(RunConfig config, Lineage lineage, Long sweepId, SheetSource source) {
        return record(newRun(config, lineage, sweepId, source, null, Instant.now()), true);
    }

    private Run newRun(RunConfig config, Lineage lineage, Long sweepId, SheetSource source, ImportOrigin origin, Instant createdAt) {
        long id = runs.size() + 1L;
        RunStarted started = new RunStarted(id, config, lineage, sweepId, createdAt.truncatedTo(ChronoUnit.MICROS), source, origin);
        String json = CanonicalConfig.json(started);
        byte[] hash = new EventHashes().start(json.getBytes(StandardCharsets.UTF_8), EpochCodec.pack(config.initial()));
        Run run = new Run(started, json, hash);
        runs.put(id, run);
        journal(JournalEntry.Kind.STARTED, id, 0, -1, -1, 1, hash);
        return run;
    }

    private PackedRecorder record(Run run, boolean live) {
        run.writing = live;
        return new PackedRecorder(new Sink(run), live, run.started, run.epochCount(), run.lastHash(), ROW_BYTES);
    }

    /** Keeps a run's sealed blocks as they are committed. */
    private final class Sink implements BlockSink {
        private final Run run;

        Sink(Run run) {
            this.run = run;
        }

        @Override
        public void add(SealedBlock block) {
            synchronized (InMemoryEventStore.this) {
                if (run.ending != null || block.first() != run.epochCount()) {
                    throw new ConcurrentAppendException("run " + run.started.runId() + " expects epoch " + run.epochCount() + " next");
                }
                run.blocks.add(block);
                journal(JournalEntry.Kind.EPOCHS, run.started.runId(), 0, block.first(), block.last(), block.last() - block.first() + 1,
                        StoreJournal.blockHash(block.hashes()));
            }
        }

        @Override
        public void commitIfDue() {
        }

        @Override
        public long nanosUntilDue() {
            return PackedRecorder.COMMIT_NANOS;
        }

        @Override
        public void commit() {
        }

        @Override
        public void end(RunEnding ending) {
            synchronized (InMemoryEventStore.this) {
                run.ending = ending;
                run.writing = false;
                journal(JournalEntry.Kind.ENDED, run.started.runId(), 0, -1, -1, 1, ending.hash());
            }
        }

        @Override
        public void commitAndRelease() {
            synchronized (InMemoryEventStore.this) {
                run.writing = false;
            }
        }

        @Override
        public void close() {
        }
    }

    @Override
    public synchronized RunRecorder resume(long runId) {
        Run run = run(runId);
        if (run.ending != null) {
            RunEnding e = run.ending;
            throw EndedRuns.refusal(runId, ended(runId).orElseThrow(), e.status(), e.epoch(), e.reason(), e.hash(), run.lastHash(), run.epochCount());
        }
        if (run.writing) {
            throw new ResumeRefusedException("run " + runId + " is still being written by process " + ProcessHandle.current().pid()
                    + " (this one): there is nothing to resume");
        }
        return record(run, true);
    }

    private Run run(long runId) {
        Run run = runs.get(runId);
        if (run == null) {
            throw new UnknownRunException("there is no run " + runId + " in " + describe());
        }
        return run;
    }

    @Override
    public synchronized RunStarted started(long runId) {
        return run(runId).started;
    }

    @Override
    public synchronized List<EpochRecorded> epochs(long runId, int from, int to) {
        Run run = run(runId);
        EpochCodec codec = EpochCodec.of(run.started.config());
        List<EpochRecorded> out = new ArrayList<>();
        for (SealedBlock b : run.blocks) {
            ByteBuffer payload = ByteBuffer.wrap(b.payload());
            for (int e = Math.max(from, b.first()); e <= Math.min(to, b.last()); e++) {
                payload.position((e - b.first()) * codec.epochBytes());
                out.add(codec.read(runId, e, payload));
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<RunEvent> ended(long runId) {
        RunEnding e = run(runId).ending;
        if (e == null) {
            return Optional.empty();
        }
        int weights = run(runId).started.config().network().weightCount();
        return Optional.of(EventHashes.COMPLETED.equals(e.status())
                ? new RunCompleted(runId, e.epoch(), EpochCodec.unpack(e.finalParameters(), weights), e.at())
                : new RunFailed(runId, e.epoch(), e.reason(), e.at()));
    }

    @Override
    public synchronized int epochCount(long runId) {
        return run(runId).epochCount();
    }

    @Override
    public synchronized Parameters parametersAt(long runId, int epoch) {
        Run run = run(runId);
        if (epoch == 0) {
            return run.started.config().initial();
        }
        int count = run.epochCount();
        if (epoch < 0 || epoch > count) {
            throw new UnknownRunException("run " + runId + " has no epoch " + epoch);
        }
        if (epoch == count) {
            RunConfig c = run.started.config();
            return epochs(runId, count - 1, count - 1).get(0).after(c.learningRate(), c.network().trainBiases());
        }
        return epochs(runId, epoch, epoch).get(0).before();
    }

    @Override
    public synchronized long resolve(String idOrName) {
        if (idOrName.matches("[0-9]{1,18}") && runs.containsKey(Long.parseLong(idOrName))) {
            return Long.parseLong(idOrName);
        }
        List<Long> named = runs.values().stream().filter(r -> r.started.config().name().equals(idOrName)).map(r -> r.started.runId()).toList();
        if (named.size() != 1) {
            throw new UnknownRunException(named.isEmpty() ? "there is no run '" + idOrName + "'" : "the name '" + idOrName + "' belongs to runs " + named);
        }
        return named.get(0);
    }

    @Override
    public synchronized long newSweep(boolean chained) {
        long id = sweeps.size() + 1L;
        SweepRecord sweep = new SweepRecord(id, chained, Instant.now().truncatedTo(ChronoUnit.MICROS));
        sweeps.put(id, sweep);
        journal(JournalEntry.Kind.SWEEP, 0, id, -1, -1, 0, StoreJournal.sweepHash(id, chained, sweep.createdAt()));
        return id;
    }

    @Override
    public synchronized Optional<SweepRecord> sweep(long sweepId) {
        return Optional.ofNullable(sweeps.get(sweepId));
    }

    @Override
    public synchronized List<Long> sweepRuns(long sweepId) {
        return runs.values().stream().filter(r -> Long.valueOf(sweepId).equals(r.started.sweepId())).map(r -> r.started.runId()).toList();
    }

    @Override
    public synchronized List<Long> runIds() {
        return List.copyOf(runs.keySet());
    }

    @Override
    public synchronized List<RunSummary> runs(boolean withLosses) {
        List<RunSummary> out = new ArrayList<>();
        for (Run r : runs.values()) {
            RunStarted s = r.started;
            RunConfig c = s.config();
            String status = r.ending != null ? r.ending.status() : r.writing ? "running" : "interrupted";
            LossTally losses = new LossTally();
            for (EpochRecorded e : withLosses ? epochs(s.runId(), 0, r.epochCount() - 1) : List.<EpochRecorded>of()) {
                losses.add(e.epoch(), e.loss());
            }
            out.add(new RunSummary(s.runId(), c.name(), c.learningRate(), c.epochs(), status,
                    s.lineage() == null ? null : s.lineage().parentRunId(), s.lineage() == null ? null : s.lineage().forkEpoch(),
                    s.createdAt().atOffset(ZoneOffset.UTC), s.sweepId(), c.network().shape(), r.epochCount(),
                    r.ending == null ? null : r.ending.reason(), losses.finalError(), losses.bestError(), losses.bestEpoch()));
        }
        return out;
    }

    @Override
    public synchronized StoredRun stored(long runId) {
        Run r = run(runId);
        return new StoredRun(r.started, r.config, r.startHash, ended(runId), r.ending == null ? null : r.ending.hash());
    }

    @Override
    public synchronized void forEachBlock(long runId, Consumer<EpochBlock> action) {
        for (SealedBlock b : run(runId).blocks) {
            action.accept(new EpochBlock(runId, b.first(), b.last(), b.payload(), b.hashes()));
        }
    }

    @Override
    public synchronized RunStarted importRun(RunStarted original, Iterator<RunEvent> rest, ImportOrigin origin) {
        Run run = newRun(original.config(), null, null, original.source(), origin, original.createdAt());
        long id = run.started.runId();
        try {
            PackedRecorder recorder = record(run, false);
            while (rest.hasNext()) {
                switch (rest.next()) {
                    case EpochRecorded e -> recorder.append(new EpochRecorded(id, e.epoch(), e.before(), e.netInputs(), e.activations(),
                            e.deltas(), e.weightGradients(), e.biasGradients(), e.loss()));
                    case RunCompleted done -> recorder.end(new RunCompleted(id, done.epochs(), done.finalParameters(), done.endedAt()));
                    case RunFailed failed -> recorder.end(new RunFailed(id, failed.epoch(), failed.reason(), failed.endedAt()));
                    case RunStarted s -> throw new IllegalArgumentException("run " + original.runId() + " cannot start twice");
                }
            }
            recorder.flush();
        } catch (RuntimeException e) {
            runs.remove(id);
            throw e;
        }
        return run.started;
    }

    @Override
    public UUID storeId() {
        return storeId;
    }

    @Override
    public synchronized Optional<JournalEntry> journalHead() {
        return journal.isEmpty() ? Optional.empty() : Optional.of(journal.get(journal.size() - 1));
    }

    @Override
    public synchronized Optional<JournalEntry> journalEntry(long seq) {
        return seq >= 1 && seq <= journal.size() ? Optional.of(journal.get((int) seq - 1)) : Optional.empty();
    }

    @Override
    public synchronized void forEachJournalEntry(long from, Consumer<JournalEntry> action) {
        journal.stream().filter(e -> e.seq() >= from).toList().forEach(action);
    }

    @Override
    public void query(SqlQuery query, QueryRows rows) {
        throw new InvalidQueryException("an in-memory store has no SQL: query a real store");
    }

    @Override
    public void close() {
    }
}
