package org.backprop.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.backprop.events.EpochBlock;
import org.backprop.events.EpochCodec;
import org.backprop.events.EventHashes;
import org.backprop.events.RunStarted;
import org.backprop.events.StoredRun;

/**
 * Reads events as they lie in a team store's tables, hashes included, for the checks that must see exactly what is
 * stored. A block is the epochs stored with one {@code block_first}, as the recorder sealed them; epochs missing among
 * them split it where they are missing, so a gap shows as a gap.
 */
final class PostgresStoredEvents {
    private PostgresStoredEvents() {
    }

    static StoredRun stored(Connection c, RunStarted started, String where) {
        long runId = started.runId();
        String config;
        byte[] hash;
        try (PreparedStatement s = c.prepareStatement("SELECT config, hash FROM run_started WHERE run_id = ?")) {
            s.setLong(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                config = rs.getString(1);
                hash = rs.getBytes(2);
            }
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "reading run " + runId, e);
        }
        var end = PostgresReads.ending(c, runId, started.config().network().weightCount(), where);
        return new StoredRun(started, config, hash, end.map(PostgresReads.End::event), end.map(PostgresReads.End::hash).orElse(null));
    }

    /** Every stored epoch of the run, gaps and all, in order, handed over block by block. */
    static void forEachBlock(Connection c, RunStarted started, String where, Consumer<EpochBlock> action) {
        long runId = started.runId();
        EpochCodec codec = EpochCodec.of(started.config());
        int epochBytes = codec.epochBytes();
        PostgresReads.streaming(c, where, "reading run " + runId, () -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT epoch, block_first, array_send(vals), hash FROM epochs WHERE run_id = ? ORDER BY epoch")) {
                s.setFetchSize(PostgresReads.FETCH);
                s.setLong(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    Block block = null;
                    while (rs.next()) {
                        int epoch = rs.getInt(1);
                        int first = rs.getInt(2);
                        if (block != null && (first != block.blockFirst || epoch != block.last + 1)) {
                            action.accept(block.done(runId));
                            block = null;
                        }
                        if (block == null) {
                            block = new Block(first, epoch, epochBytes);
                        }
                        byte[] binary = rs.getBytes(3);
                        int count = Float8Arrays.count(binary);
                        // A row of the wrong size is handed over as it is (its hash then fails): this read only shows what is stored.
                        byte[] bytes = new byte[count * Double.BYTES];
                        Float8Arrays.toLittleEndian(binary, count, bytes, 0);
                        block.add(epoch, bytes, rs.getBytes(4));
                    }
                    if (block != null) {
                        action.accept(block.done(runId));
                    }
                }
            }
        });
    }

    /** Consecutive epochs of one block_first, gathered. */
    private static final class Block {
        final int blockFirst;
        final int first;
        int last;
        byte[] payload;
        int payloadLength;
        byte[] hashes = new byte[EventHashes.LENGTH * 8];
        int hashesLength;

        Block(int blockFirst, int first, int epochBytes) {
            this.blockFirst = blockFirst;
            this.first = first;
            this.last = first - 1;
            this.payload = new byte[Math.max(epochBytes, 1)];
        }

        void add(int epoch, byte[] bytes, byte[] hash) {
            if (payloadLength + bytes.length > payload.length) {
                payload = Arrays.copyOf(payload, Math.max(payload.length * 2, payloadLength + bytes.length));
            }
            System.arraycopy(bytes, 0, payload, payloadLength, bytes.length);
            payloadLength += bytes.length;
            byte[] h = hash == null ? new byte[EventHashes.LENGTH] : hash;
            if (hashesLength + h.length > hashes.length) {
                hashes = Arrays.copyOf(hashes, Math.max(hashes.length * 2, hashesLength + h.length));
            }
            System.arraycopy(h, 0, hashes, hashesLength, h.length);
            hashesLength += h.length;
            last = epoch;
        }

        EpochBlock done(long runId) {
            return new EpochBlock(runId, first, last, Arrays.copyOf(payload, payloadLength), Arrays.copyOf(hashes, hashesLength));
        }
    }
}
