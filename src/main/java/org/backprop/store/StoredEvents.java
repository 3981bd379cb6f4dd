package org.backprop.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.backprop.events.EpochBlock;
import org.backprop.events.RunEvent;
import org.backprop.events.RunStarted;
import org.backprop.events.StoredRun;
import org.jdbi.v3.core.Handle;

/** Reads events as they lie in the tables, hashes included, for the checks that must see exactly what is stored. */
final class StoredEvents {
    private StoredEvents() {
    }

    static List<Long> runIds(Handle h) {
        return h.createQuery("SELECT run_id FROM run_started ORDER BY run_id").mapTo(Long.class).list();
    }

    static StoredRun stored(Handle h, RunStarted started) {
        long runId = started.runId();
        record Start(String config, byte[] hash) {
        }
        record End(RunEvent event, byte[] hash) {
        }
        Start start = h.createQuery("SELECT config, hash FROM run_started WHERE run_id = :id").bind("id", runId)
                .map((rs, ctx) -> new Start(rs.getString(1), rs.getBytes(2))).one();
        int weights = started.config().network().weightCount();
        Optional<End> end = h.createQuery("SELECT * FROM run_ended WHERE run_id = :id").bind("id", runId)
                .map((rs, ctx) -> new End(RunStore.readEnd(rs, runId, weights), rs.getBytes("hash"))).findOne();
        return new StoredRun(started, start.config(), start.hash(), end.map(End::event), end.map(End::hash).orElse(null));
    }

    /**
     * Reads the rows one query each, keyed on the next first epoch: H2 builds a query's whole result before it hands out
     * the first row (in memory up to thousands of rows), so one query over a long run would copy the run first.
     */
    static void forEachBlock(Handle h, long runId, int epochBytes, Consumer<EpochBlock> action) {
        StoredEpochs stored = new StoredEpochs(h.getConnection(), runId, epochBytes);
        int from = Integer.MIN_VALUE;
        while (true) {
            // Ordered by the whole key, so H2 reads one index entry instead of sorting the run's rows.
            Optional<Integer> first = h.createQuery("""
                    SELECT first_epoch FROM epoch_blocks
                    WHERE run_id = :id AND first_epoch >= :from ORDER BY run_id, first_epoch LIMIT 1""")
                    .bind("id", runId).bind("from", from)
                    .mapTo(Integer.class)
                    .findOne();
            if (first.isEmpty()) {
                return;
            }
            StoredEpochs.Row row;
            try {
                row = stored.row(first.get());
            } catch (java.sql.SQLException e) {
                throw new StoreException("run " + runId + " cannot be read: " + RunStore.firstLine(e.getMessage()), e);
            }
            action.accept(new EpochBlock(runId, row.first(), row.last(), row.payload(), row.hashes()));
            if (row.first() == Integer.MAX_VALUE) {
                return;
            }
            from = row.first() + 1;
        }
    }
}
