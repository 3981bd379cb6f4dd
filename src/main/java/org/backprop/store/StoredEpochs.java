package org.backprop.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a run's stored epochs back as their canonical bytes: whole rows of {@code epoch_blocks}, with the parts of
 * an epoch too large for one row put back together from {@code epoch_parts}. Rows are fetched one at a time, so a
 * reader never holds more than one row of a run in memory.
 */
public final class StoredEpochs {
    private final Connection connection;
    private final long runId;
    private final int epochBytes;

    /** One stored row: epochs {@code first..last}, their canonical bytes one after another, and their 32-byte hashes. */
    public record Row(int first, int last, byte[] payload, byte[] hashes) {
    }

    public StoredEpochs(Connection connection, long runId, int epochBytes) {
        this.connection = connection;
        this.runId = runId;
        this.epochBytes = epochBytes;
    }

    /** The first epoch of each row that holds any of the epochs {@code from..to}, in order. */
    public List<int[]> rowKeys(int from, int to) throws SQLException {
        List<int[]> keys = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT first_epoch, last_epoch FROM epoch_blocks
                WHERE run_id = ? AND last_epoch >= ? AND first_epoch <= ? ORDER BY run_id, first_epoch""")) {
            s.setLong(1, runId);
            s.setInt(2, from);
            s.setInt(3, to);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(new int[] {rs.getInt(1), rs.getInt(2)});
                }
            }
        }
        return keys;
    }

    /** The whole row that starts at {@code first}, parts included. */
    public Row row(int first) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT last_epoch, payload, hashes FROM epoch_blocks WHERE run_id = ? AND first_epoch = ?")) {
            s.setLong(1, runId);
            s.setInt(2, first);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException("run " + runId + " has no stored row starting at epoch " + first);
                }
                int last = rs.getInt(1);
                byte[] head = rs.getBytes(2);
                byte[] hashes = rs.getBytes(3);
                int total = (last - first + 1) * epochBytes;
                return new Row(first, last, head.length >= total ? head : withParts(first, head, total, total), hashes);
            }
        }
    }

    /**
     * The last row that starts at or before {@code epoch}, with only its first stored part as payload (null when the run
     * has no such row); it holds the epoch when its {@code last} is at or after it.
     */
    public Row rowHolding(int epoch) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT first_epoch, last_epoch, payload, hashes FROM epoch_blocks
                WHERE run_id = ? AND first_epoch <= ? ORDER BY run_id DESC, first_epoch DESC LIMIT 1""")) {
            s.setLong(1, runId);
            s.setInt(2, epoch);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Row(rs.getInt(1), rs.getInt(2), rs.getBytes(3), rs.getBytes(4)) : null;
            }
        }
    }

    /** Bytes {@code [offset, offset + length)} of a row whose payload may be only its first part. */
    public byte[] slice(Row row, int offset, int length) throws SQLException {
        byte[] bytes = row.payload().length >= offset + length ? row.payload() : withParts(row.first(), row.payload(), epochBytes, offset + length);
        return java.util.Arrays.copyOfRange(bytes, offset, offset + length);
    }

    private byte[] withParts(int epoch, byte[] head, int total, int needed) throws SQLException {
        byte[] out = new byte[needed];
        System.arraycopy(head, 0, out, 0, head.length);
        int at = head.length;
        int lastPart = (needed - head.length + BlockWriter.PART_BYTES - 1) / BlockWriter.PART_BYTES;
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT payload FROM epoch_parts WHERE run_id = ? AND epoch = ? AND part <= ? ORDER BY part")) {
            s.setLong(1, runId);
            s.setInt(2, epoch);
            s.setInt(3, lastPart);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next() && at < needed) {
                    byte[] part = rs.getBytes(1);
                    int n = Math.min(part.length, needed - at);
                    System.arraycopy(part, 0, out, at, n);
                    at += n;
                }
            }
        }
        if (at < needed) {
            throw new StoreException("run " + runId + " epoch " + epoch + " is missing stored parts (" + at + " of " + total + " bytes found)");
        }
        return out;
    }
}
