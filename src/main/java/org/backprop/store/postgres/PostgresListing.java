package org.backprop.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.backprop.events.RunSummary;
import org.backprop.events.SweepRecord;

/** A team store's runs and sweeps as lists: the {@code runs} view, run ids, a sweep's runs; and new sweeps. */
final class PostgresListing {
    private static final String SUMMARY = "SELECT run_id, name, learning_rate, epochs, status, parent_run_id, fork_epoch, created_at, sweep_id,"
            + " layers, epochs_recorded, reason, final_error, best_error, best_epoch FROM runs";
    private static final String SUMMARY_WITHOUT_LOSSES = "SELECT run_id, name, learning_rate, epochs, status, parent_run_id, fork_epoch,"
            + " created_at, sweep_id, layers, epochs_recorded, reason, NULL::float8, NULL::float8, NULL::int FROM runs";

    private final Connection connection;
    private final String where;

    PostgresListing(Connection connection, String where) {
        this.connection = connection;
        this.where = where;
    }

    List<Long> runIds() {
        return ids("SELECT run_id FROM run_started ORDER BY run_id", null);
    }

    List<Long> sweepRuns(long sweepId) {
        return ids("SELECT run_id FROM run_started WHERE sweep_id = ? ORDER BY run_id", sweepId);
    }

    private List<Long> ids(String sql, Long parameter) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            if (parameter != null) {
                s.setLong(1, parameter);
            }
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "listing its runs", e);
        }
    }

    List<RunSummary> runs(boolean withLosses) {
        return summaries((withLosses ? SUMMARY : SUMMARY_WITHOUT_LOSSES) + " ORDER BY run_id", null);
    }

    Optional<RunSummary> run(long runId) {
        return summaries(SUMMARY + " WHERE run_id = ?", runId).stream().findFirst();
    }

    private List<RunSummary> summaries(String sql, Long runId) {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            if (runId != null) {
                s.setLong(1, runId);
            }
            List<RunSummary> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long parent = rs.getLong(6);
                    Long parentId = rs.wasNull() ? null : parent;
                    int fork = rs.getInt(7);
                    Integer forkEpoch = rs.wasNull() ? null : fork;
                    long sweep = rs.getLong(9);
                    Long sweepId = rs.wasNull() ? null : sweep;
                    out.add(new RunSummary(rs.getLong(1), rs.getString(2), rs.getDouble(3), rs.getInt(4), rs.getString(5), parentId, forkEpoch,
                            rs.getObject(8, OffsetDateTime.class), sweepId, rs.getString(10), rs.getInt(11), rs.getString(12),
                            rs.getObject(13, Double.class), rs.getObject(14, Double.class), rs.getObject(15, Integer.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "listing its runs", e);
        }
    }

    long newSweep(boolean chained) {
        return newSweep(connection, chained, where);
    }

    /** Records a sweep in the connection's transaction and returns its id. */
    static long newSweep(Connection c, boolean chained, String where) {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sweeps (chained, created_at) VALUES (?, ?) RETURNING sweep_id")) {
            s.setBoolean(1, chained);
            s.setObject(2, OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "recording a sweep", e);
        }
    }

    Optional<SweepRecord> sweep(long sweepId) {
        try (PreparedStatement s = connection.prepareStatement("SELECT sweep_id, chained, created_at FROM sweeps WHERE sweep_id = ?")) {
            s.setLong(1, sweepId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new SweepRecord(rs.getLong(1), rs.getBoolean(2), rs.getObject(3, OffsetDateTime.class).toInstant()))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw PostgresErrors.unexpected(where, "reading sweep " + sweepId, e);
        }
    }
}
