package org.backprop.events;

/**
 * Consecutive epochs of one run exactly as stored: their canonical bytes ({@link EpochCodec}) one after another, and
 * the 32-byte chain hash of each. Nothing is checked here: a changed store hands out what it holds.
 */
public record EpochBlock(long runId, int firstEpoch, int lastEpoch, byte[] payload, byte[] hashes) {

    public EpochBlock {
        payload = payload.clone();
        hashes = hashes.clone();
    }

    public int epochCount() {
        return lastEpoch - firstEpoch + 1;
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] hashes() {
        return hashes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochBlock b && runId == b.runId && firstEpoch == b.firstEpoch && lastEpoch == b.lastEpoch
                && java.util.Arrays.equals(payload, b.payload) && java.util.Arrays.equals(hashes, b.hashes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(runId) * 31 + firstEpoch;
    }

    @Override
    public String toString() {
        return "EpochBlock[run " + runId + ", epochs " + firstEpoch + " to " + lastEpoch + "]";
    }
}
