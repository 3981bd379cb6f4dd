package org.backprop.store.h2;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.backprop.events.StoreException;

/**
 * Reads a run's stored epochs back as their canonical bytes: whole rows of {@code epoch_blocks}, with the parts of
 * an epoch too large for one row put back together from {@code epoch_parts}. Rows are fetched one at a time, so a
 * reader never holds more than one row of a run in memory.
 */
public final class StoredEpochs {
    /**
     * How a stored row longer than this keeps its bytes: the first {@value} in {@code epoch_blocks.payload}, and bytes
     * {@code [n·PART_BYTES, (n+1)·PART_BYTES)} in part {@code n} of {@code epoch_parts} (keyed by the row's first epoch).
     */
    public static final int PART_BYTES = BlockWriter.PART_BYTES;

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

    /**
     * The next whole row of a walk over the epochs {@code from..to}: the first row holding any of them when
     * {@code previous} is null, else the first row that starts after {@code previous} starts (so a walk over a damaged
     * run still meets every row there is); null once the walk is done. Each step is one index lookup: a walk over a
     * long run never sorts it nor holds more than one row.
     */
    public Row nextRow(Row previous, int from, int to) throws SQLException {
        Row row;
        if (previous == null) {
            Row holding = rowHolding(from);
            row = holding != null && holding.last() >= from ? holding : rowStartingFrom(from);
        } else {
            row = previous.first() == Integer.MAX_VALUE ? null : rowStartingFrom(previous.first() + 1);
        }
        if (row == null || row.first() > to) {
            return null;
        }
        int total = (row.last() - row.first() + 1) * epochBytes;
        return row.payload().length >= total ? row : new Row(row.first(), row.last(), withParts(row.first(), row.payload(), total, total), row.hashes());
    }

    /** The first row that starts at or after {@code epoch}, with only its first stored part as payload, or null. */
    private Row rowStartingFrom(int epoch) throws SQLException {
        // Ordered by the whole key, so H2 reads one index entry instead of sorting the run's rows.
        try (PreparedStatement s = connection.prepareStatement("""
                SELECT first_epoch, last_epoch, payload, hashes FROM epoch_blocks
                WHERE run_id = ? AND first_epoch >= ? ORDER BY run_id, first_epoch LIMIT 1""")) {
            s.setLong(1, runId);
            s.setInt(2, epoch);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Row(rs.getInt(1), rs.getInt(2), rs.getBytes(3), rs.getBytes(4)) : null;
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
