package org.backprop.events;

import java.util.Arrays;

/**
 * One entry of a store's journal: the store-wide hash chain every event of every run extends, in commit order. An
 * entry records one stored thing (a sweep, a run's start event, a block of its epochs, its terminal event), the hash
 * of what was stored ({@link StoreJournal#eventHash}), how many events it holds, the running count of the store's
 * events, and the chain hash over all of it and the entry before.
 *
 * @param runId the run, or 0 for a sweep
 * @param sweepId the sweep of a sweep entry, else 0
 * @param firstEpoch the first epoch of an epochs entry, else -1
 * @param lastEpoch the last epoch of an epochs entry, else -1
 */
public record JournalEntry(long seq, Kind kind, long runId, long sweepId, int firstEpoch, int lastEpoch, int events, long totalEvents,
                           byte[] eventHash, byte[] chain) {

    /** What an entry records; the names are stored. */
    public enum Kind {
        SWEEP("sweep"), STARTED("started"), EPOCHS("epochs"), ENDED("ended");

        public final String stored;

        Kind(String stored) {
            this.stored = stored;
        }

        public static Kind ofStored(String s) {
            for (Kind k : values()) {
                if (k.stored.equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no journal entry kind '" + s + "'");
        }
    }

    public JournalEntry {
        eventHash = eventHash.clone();
        chain = chain.clone();
    }

    @Override
    public byte[] eventHash() {
        return eventHash.clone();
    }

    @Override
    public byte[] chain() {
        return chain.clone();
    }

    /** What the entry records, as a person would name it: "run 2's epochs 200 to 399", "sweep 1". */
    public String what() {
        return switch (kind) {
            case SWEEP -> "sweep " + sweepId;
            case STARTED -> "run " + runId + "'s start event";
            case EPOCHS -> "run " + runId + "'s epochs " + firstEpoch + " to " + lastEpoch;
            case ENDED -> "run " + runId + "'s terminal event";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalEntry e && seq == e.seq && kind == e.kind && runId == e.runId && sweepId == e.sweepId
                && firstEpoch == e.firstEpoch && lastEpoch == e.lastEpoch && events == e.events && totalEvents == e.totalEvents
                && Arrays.equals(eventHash, e.eventHash) && Arrays.equals(chain, e.chain);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq);
    }
}
