package org.backprop.digest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.backprop.events.EventStore;
import org.backprop.events.JournalEntry;
import org.backprop.events.StoreJournal;
import org.backprop.events.StoredRun;
import org.backprop.events.SweepRecord;
import org.backprop.events.UnknownRunException;

/**
 * Checks a store's journal: that it chains from the store's id without a gap or a changed entry, that everything it
 * records is still stored as it was, that everything stored is in it (no run deleted, no row added behind the
 * application's back), and, given a digest, that the journal still extends it.
 */
public final class JournalCheck {
    private final EventStore store;

    public JournalCheck(EventStore store) {
        this.store = store;
    }

    /** What the walk found: the journal's extent, its problems (first first), and where it stands against a digest. */
    public record Report(long entries, long events, List<String> problems, Against against) {
        public Report {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty() && (against == null || against.ok());
        }
    }

    /**
     * How the journal stands against a digest: {@code ok} when its first {@code digest.entries()} entries end in the
     * digest's head, with the digest's count of events; else {@code why} says what differs.
     */
    public record Against(StoreDigest digest, boolean ok, String why, long eventsSince) {
    }

    public Report check(StoreDigest digest) {
        UUID id = store.storeId();
        List<String> problems = new ArrayList<>();
        Walk walk = new Walk(id, digest, problems);
        store.forEachJournalEntry(1, walk::accept);
        unjournaled(walk, problems);
        Against against = digest == null ? null : walk.against();
        return new Report(walk.lastSeq, walk.total, problems, against);
    }

    /** The digest of the store as it is now. */
    public static StoreDigest digestOf(EventStore store, Instant at) {
        return StoreDigest.of(store.storeId(), store.journalHead().orElse(null), at);
    }

    private final class Walk {
        final UUID storeId;
        final StoreDigest digest;
        final List<String> problems;
        byte[] previous;
        long lastSeq;
        long total;
        byte[] chainAtDigest;
        long eventsAtDigest = -1;
        boolean consistentToDigest = true;
        final Map<Long, Map<Integer, byte[]>> blocks = new HashMap<>();
        final Map<Long, Set<Integer>> journaledBlocks = new HashMap<>();
        final Set<Long> started = new HashSet<>();
        final Set<Long> ended = new HashSet<>();

        Walk(UUID storeId, StoreDigest digest, List<String> problems) {
            this.storeId = storeId;
            this.digest = digest;
            this.problems = problems;
            this.previous = StoreJournal.origin(storeId);
        }

        void accept(JournalEntry e) {
            int before = problems.size();
            if (e.seq() != lastSeq + 1) {
                problems.add("journal entries " + (lastSeq + 1) + (e.seq() - 1 > lastSeq + 1 ? " to " + (e.seq() - 1) : "") + " are gone");
            }
            if (!Arrays.equals(StoreJournal.chain(previous, e), e.chain())) {
                problems.add("journal entry " + e.seq() + " (" + e.what() + ") does not follow on from the entry before it: the journal was changed");
            }
            total += e.events();
            if (e.totalEvents() != total) {
                problems.add("journal entry " + e.seq() + " counts " + e.totalEvents() + " events so far where its entries hold " + total);
                total = e.totalEvents();
            }
            stillStored(e);
            if (digest != null && e.seq() <= digest.entries()) {
                consistentToDigest &= problems.size() == before;
                if (e.seq() == digest.entries()) {
                    chainAtDigest = e.chain();
                    eventsAtDigest = e.totalEvents();
                }
            }
            previous = e.chain();
            lastSeq = e.seq();
        }

        private void stillStored(JournalEntry e) {
            String where = " (journal entry " + e.seq() + ")";
            switch (e.kind()) {
                case SWEEP -> {
                    Optional<SweepRecord> sweep = store.sweep(e.sweepId());
                    if (sweep.isEmpty()) {
                        problems.add("sweep " + e.sweepId() + " is gone from the store" + where);
                    } else if (!Arrays.equals(StoreJournal.sweepHash(e.sweepId(), sweep.get().chained(), sweep.get().createdAt()), e.eventHash())) {
                        problems.add("sweep " + e.sweepId() + " was changed" + where);
                    }
                }
                case STARTED -> {
                    if (!started.add(e.runId())) {
                        problems.add("run " + e.runId() + " was started twice" + where + ": a run was deleted and its id given again");
                    }
                    storedRun(e.runId()).ifPresentOrElse(
                            run -> {
                                if (!Arrays.equals(run.startHash(), e.eventHash())) {
                                    problems.add("run " + e.runId() + "'s start event is not the one recorded" + where + ": the run was replaced or changed");
                                }
                            },
                            () -> problems.add("run " + e.runId() + " is gone from the store" + where + ": it was deleted"));
                }
                case ENDED -> {
                    ended.add(e.runId());
                    storedRun(e.runId()).ifPresent(run -> {
                        if (run.endHash() == null) {
                            problems.add("run " + e.runId() + "'s terminal event is gone" + where + ": the run now looks interrupted");
                        } else if (!Arrays.equals(run.endHash(), e.eventHash())) {
                            problems.add("run " + e.runId() + "'s terminal event is not the one recorded" + where);
                        }
                    });
                }
                case EPOCHS -> {
                    journaledBlocks.computeIfAbsent(e.runId(), r -> new HashSet<>()).add(e.firstEpoch());
                    Map<Integer, byte[]> stored = blocksOf(e.runId());
                    if (stored == null) {
                        return;
                    }
                    byte[] hash = stored.get(e.firstEpoch());
                    if (hash == null) {
                        problems.add("run " + e.runId() + "'s epochs " + e.firstEpoch() + " to " + e.lastEpoch() + " are gone from the store" + where);
                    } else if (!Arrays.equals(hash, e.eventHash())) {
                        problems.add("run " + e.runId() + "'s epochs " + e.firstEpoch() + " to " + e.lastEpoch() + " are not the ones recorded" + where);
                    }
                }
            }
        }

        private Optional<StoredRun> storedRun(long runId) {
            try {
                return Optional.of(store.stored(runId));
            } catch (UnknownRunException e) {
                return Optional.empty();
            }
        }

        /** The run's stored blocks by first epoch, with the hash a journal entry records of each; null when the run is gone. */
        Map<Integer, byte[]> blocksOf(long runId) {
            if (blocks.containsKey(runId)) {
                return blocks.get(runId);
            }
            Map<Integer, byte[]> found = new HashMap<>();
            try {
                store.forEachBlock(runId, b -> found.put(b.firstEpoch(), StoreJournal.blockHash(b.hashes())));
            } catch (UnknownRunException e) {
                blocks.put(runId, null);
                return null;
            }
            blocks.put(runId, found);
            return found;
        }

        Against against() {
            if (!digest.storeId().equals(storeId)) {
                return new Against(digest, false, "the digest is of store " + digest.storeId() + ", and this is store " + storeId
                        + ": it was replaced by another store", 0);
            }
            if (lastSeq < digest.entries()) {
                return new Against(digest, false, "this store held " + grouped(digest.events()) + " events on " + digest.at() + "; it now holds "
                        + grouped(total) + " (" + lastSeq + " of the digest's " + digest.entries() + " journal entries): it was rolled back or replaced", 0);
            }
            if (digest.entries() == 0) {
                return new Against(digest, true, null, total);
            }
            if (!consistentToDigest && Arrays.equals(chainAtDigest, digest.head())) {
                return new Against(digest, false, "not everything the digest of " + digest.at() + " covered is still there, unchanged (first: "
                        + problems.get(0) + ")", 0);
            }
            if (!Arrays.equals(chainAtDigest, digest.head()) || eventsAtDigest != digest.events()) {
                String first = consistentToDigest ? "the journal was rewritten consistently, so which entry differs cannot be told from the digest"
                        : "first: " + problems.get(0);
                return new Against(digest, false, "the store's first " + digest.entries() + " journal entries are not the ones the digest of "
                        + digest.at() + " covered (" + first + ")", 0);
            }
            return new Against(digest, true, null, total - digest.events());
        }
    }

    /** Stored things the journal does not record: rows added behind the application's back, or runs whose ids were skipped. */
    private void unjournaled(Walk walk, List<String> problems) {
        List<Long> ids = store.runIds();
        long expected = 1;
        for (long id : ids) {
            if (id > expected) {
                problems.add(id - 1 > expected ? "runs " + expected + " to " + (id - 1) + " are missing: runs were deleted"
                        : "run " + expected + " is missing: a run was deleted");
            }
            expected = id + 1;
            if (!walk.started.contains(id)) {
                problems.add("run " + id + " is stored but its start is not in the journal: it was added behind the application's back");
            }
            Map<Integer, byte[]> stored = walk.blocksOf(id);
            Set<Integer> journaled = walk.journaledBlocks.getOrDefault(id, Set.of());
            if (stored != null) {
                stored.keySet().stream().filter(first -> !journaled.contains(first)).sorted().findFirst().ifPresent(first ->
                        problems.add("run " + id + "'s epochs from " + first + " are stored but not in the journal: they were added behind the application's back"));
            }
            if (!walk.ended.contains(id) && store.stored(id).endHash() != null) {
                problems.add("run " + id + "'s terminal event is stored but not in the journal: it was added behind the application's back");
            }
        }
    }

    static String grouped(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
