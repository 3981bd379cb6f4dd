package org.backprop.events;

/**
 * Whole epochs {@code first..last} of one run on their way to the store: their canonical bytes one after another and
 * one 32-byte chain hash per epoch. Unlike {@link EpochBlock} it hands out its arrays themselves, not copies: a
 * {@link PackedRecorder} makes each one new, hands it to a {@link BlockSink} once and never touches it again, so the
 * hot path of recording copies nothing twice.
 */
public final class SealedBlock {
    private final int first;
    private final int last;
    private final byte[] payload;
    private final byte[] hashes;

    public SealedBlock(int first, int last, byte[] payload, byte[] hashes) {
        this.first = first;
        this.last = last;
        this.payload = payload;
        this.hashes = hashes;
    }

    public int first() {
        return first;
    }

    public int last() {
        return last;
    }

    /** The epochs' canonical bytes; the array itself, not to be changed. */
    public byte[] payload() {
        return payload;
    }

    /** The epochs' chain hashes, {@value EventHashes#LENGTH} bytes each; the array itself, not to be changed. */
    public byte[] hashes() {
        return hashes;
    }

    @Override
    public String toString() {
        return "SealedBlock[epochs " + first + " to " + last + ", " + payload.length + " bytes]";
    }
}
