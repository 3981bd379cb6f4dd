package org.backprop.events;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;

/**
 * How a store's journal is hashed, the same in every adapter. The chain starts from a hash of the store's id (so a
 * digest of one store never verifies another); entry n's chain hash covers entry n−1's, then the entry's number, kind,
 * run, sweep, epochs, event counts and the hash of what it records. What it records is hashed as stored: a start or
 * terminal event by its own chain hash, a block of epochs by the SHA-256 of its epochs' hashes one after another (each
 * of which covers its epoch's bytes), a sweep by its id, kind and time.
 */
public final class StoreJournal {
    private StoreJournal() {
    }

    /** The chain hash before the first entry of the store with this id. */
    public static byte[] origin(UUID storeId) {
        MessageDigest d = sha256();
        d.update("backprop journal 1".getBytes(StandardCharsets.UTF_8));
        d.update(ByteBuffer.allocate(16).putLong(storeId.getMostSignificantBits()).putLong(storeId.getLeastSignificantBits()).array());
        return d.digest();
    }

    /** The chain hash of an entry that follows the entry whose chain hash is {@code previous}. */
    public static byte[] chain(byte[] previous, long seq, JournalEntry.Kind kind, long runId, long sweepId, int firstEpoch, int lastEpoch,
                               int events, long totalEvents, byte[] eventHash) {
        MessageDigest d = sha256();
        d.update(previous);
        ByteBuffer b = ByteBuffer.allocate(8 + 1 + 8 + 8 + 4 + 4 + 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(seq).put((byte) kind.ordinal()).putLong(runId).putLong(sweepId).putInt(firstEpoch).putInt(lastEpoch)
                .putInt(events).putLong(totalEvents);
        d.update(b.array());
        d.update(eventHash);
        return d.digest();
    }

    /** The entry's own chain hash, recomputed from its fields and the chain hash before it. */
    public static byte[] chain(byte[] previous, JournalEntry e) {
        return chain(previous, e.seq(), e.kind(), e.runId(), e.sweepId(), e.firstEpoch(), e.lastEpoch(), e.events(), e.totalEvents(),
                e.eventHash());
    }

    /** What an epochs entry records: the SHA-256 of the block's epoch hashes as stored. */
    public static byte[] blockHash(byte[] epochHashes) {
        return sha256().digest(epochHashes);
    }

    /** What a sweep entry records. */
    public static byte[] sweepHash(long sweepId, boolean chained, Instant createdAt) {
        ByteBuffer b = ByteBuffer.allocate(8 + 1 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(sweepId).put((byte) (chained ? 1 : 0)).putLong(createdAt.getEpochSecond()).putInt(createdAt.getNano());
        return sha256().digest(b.array());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
